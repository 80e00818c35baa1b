package io.tracewire.exporters.otel;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.tracewire.core.RunConfig;
import io.tracewire.core.context.RunContextStorage;

/**
 * Keeps Tracewire's run context inside OpenTelemetry's {@link Context}, so that everything that
 * propagates that context to other threads carries the parent run too: the OpenTelemetry Java
 * agent's executor, {@code CompletableFuture} and virtual-thread instrumentation,
 * {@link Context#taskWrapping}, {@link Context#wrap(Runnable)}. Provided to tracer-core through
 * {@code META-INF/services}, so it is the storage whenever this module and the OpenTelemetry
 * context API are on the class path; {@code -Dtracewire.context.storage=threadlocal} turns it off.
 * Construction fails (and tracer-core falls back to its thread-local) when
 * {@code opentelemetry-context} is missing.
 *
 * <h2>How</h2>
 * Each {@link #attach} makes current a context that carries one small entry under a
 * {@link ContextKey}: the config, the thread that attached it and the entry it covers. Restoring
 * closes that scope when its context is the current one. When another scope opened on top of it
 * is still open (the span scope of a run that started inside a streaming step's pull and
 * outlives it, for instance), the entry is only marked restored: reads on its thread skip it
 * while its scope is open, and its scope is closed as soon as its context is current again (at
 * the next attach or restore on that thread, or when {@link OtelBridge} closes a span scope).
 * Anywhere else (another thread, or its own thread after its scope was closed) an entry found in
 * the current context is valid as it is: that is a propagated parent. A streaming step's pulls go
 * through {@link #reattach}, which makes the previous pull's context current again instead of
 * building a new one.
 *
 * <h2>Contexts made current over ours</h2>
 * Code that makes current a context captured earlier hides the entries attached since. Micrometer
 * tracing's OpenTelemetry bridge does it with every observation scope: it makes current the
 * context its span was created in (plus the span), so inside Spring AI's advisor, model and tool
 * observations the entry of the ChatClient run attached in between is gone from
 * {@link Context#current()}. Each thread therefore also keeps its open entries (attached here, not
 * restored yet) in a thread-local chain. When the current context carries no entry, or only an
 * ancestor of this thread's innermost open entry, that open entry is the current one: the
 * context is stale, not a different parent. A context carrying any other entry (a propagated
 * parent, a task captured elsewhere and run here) wins as before. The span in the current context
 * is left alone: new entries are built on the context that is current, so spans of instrumented
 * code keep Micrometer's parent.
 *
 * <h2>Contract</h2>
 * Thread-safe (an entry's bookkeeping is touched only by its own thread); never throws; no lock.
 * Costs per step, against the thread-local storage: one context copy, one scope and one entry
 * allocated, and a few more thread-local reads; per pull of a streaming step after its first,
 * one scope (see {@code docs/context.md} for measured figures).
 */
public final class OtelRunContextStorage implements RunContextStorage {
  /** The name for {@code -Dtracewire.context.storage}: {@value}. */
  public static final String NAME = "otel";

  private static final ContextKey<Entry> KEY = ContextKey.named("tracewire-run-context");
  /** This thread's innermost entry attached here and not restored (restored ones below are skipped when read). */
  private static final ThreadLocal<Entry> OPEN = new ThreadLocal<>();
  /** The token of an attach that changed nothing: the config was already current. */
  private static final Object UNCHANGED = new Object();

  /** Fails with {@link NoClassDefFoundError} when the OpenTelemetry context API is missing. */
  public OtelRunContextStorage() {
    Context.root();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RunConfig current() {
    Entry e = effective(Context.current().get(KEY), Thread.currentThread());
    return e == null ? null : e.config;
  }

  @Override
  public Object attach(RunConfig config) {
    Context cur = Context.current();
    Entry top = cur.get(KEY);
    Thread me = Thread.currentThread();
    if (top != null && top.restored && top.owner == me && top.scope != null) {
      // a restore that could not close its scope then: tidy up before stacking on it
      settle(cur, top);
      cur = Context.current();
      top = cur.get(KEY);
    }
    Entry eff = effective(top, me);
    if ((eff == null ? null : eff.config) == config) {
      return UNCHANGED;
    }
    // when the context is stale (see the class doc) the new entry stacks on this thread's open entry
    Entry e = new Entry(config, me, eff != null && eff != resolveEntry(top, me) ? eff : top, cur);
    Context ctx = cur.with(KEY, e);
    e.context = ctx;
    e.scope = ctx.makeCurrent();
    push(e);
    return e;
  }

  private static void push(Entry e) {
    e.below = OPEN.get();
    OPEN.set(e);
  }

  /**
   * Makes the context of {@code previous} current again when it was built on this thread for the
   * same config on top of the context that is current now (identity): a streaming step's next
   * pull. That saves the entry and the context copy; only the scope is new. Anything else (another
   * thread, another base context, an entry still open or waiting to be settled below it) is a
   * plain {@link #attach}. Under the OpenTelemetry Java agent {@code Context.current()} is a new
   * wrapper per call, so there every pull is an attach.
   */
  @Override
  public Object reattach(RunConfig config, Object previous) {
    if (previous instanceof Entry) {
      Entry e = (Entry) previous;
      if (e.scope == null && e.config == config && e.owner == Thread.currentThread() && e.context != null
          && Context.current() == e.base && !waitsToSettle(e.prev, e.owner)) {
        e.restored = false;
        e.scope = e.context.makeCurrent();
        push(e);
        return e;
      }
    }
    return attach(config);
  }

  @Override
  public void restore(Object token) {
    if (!(token instanceof Entry)) {
      return;
    }
    Entry e = (Entry) token;
    e.restored = true;
    if (e.owner == Thread.currentThread() && OPEN.get() == e) {
      // set(null), not remove(): removing expunges the thread's map entry, and the next attach re-creates it
      OPEN.set(firstOpen(e.below));
    }
    if (isCurrent(e, Context.current())) {
      e.close();
      // the context current now is the one e was attached on, whose top entry is e.prev
      if (waitsToSettle(e.prev, e.owner)) {
        settle(Context.current(), e.prev);
      }
    }
    // else: a scope opened above ours is still open; ours closes once it is current again
  }

  /**
   * Closes the scopes of this thread's restored entries whose contexts are current again,
   * innermost first; {@link OtelBridge} calls it before it closes its own span scopes. One
   * context read when there is nothing to close.
   */
  static void settle() {
    Context cur = Context.current();
    Entry top = cur.get(KEY);
    if (top != null && top.restored && top.scope != null && top.owner == Thread.currentThread()) {
      settle(cur, top);
    }
  }

  /** Whether {@code e} is an entry of {@code owner} restored while its scope could not be closed. */
  private static boolean waitsToSettle(Entry e, Thread owner) {
    return e != null && e.restored && e.scope != null && e.owner == owner;
  }

  private static void settle(Context cur, Entry top) {
    Thread me = top.owner;
    while (top != null && top.restored && top.scope != null && top.owner == me && isCurrent(top, cur)) {
      top.close();
      cur = Context.current();
      top = cur.get(KEY);
    }
  }

  /**
   * Whether {@code e}'s context is the current one (see {@link #isCurrent(Context, Context)}).
   */
  private static boolean isCurrent(Entry e, Context cur) {
    return e.scope != null && isCurrent(e.context, cur);
  }

  /**
   * Whether {@code expected} is the current context {@code cur}. With OpenTelemetry's own
   * storage that is identity. The OpenTelemetry Java agent's storage hands the application a new
   * wrapper on every {@code Context.current()}, so there (and only there: two reads give two
   * objects) the contexts are compared by what they carry: the same run-context entry and the
   * same span. {@link OtelBridge} checks its span scopes the same way.
   */
  static boolean isCurrent(Context expected, Context cur) {
    if (cur == expected) {
      return true;
    }
    if (Context.current() == cur) {
      return false;
    }
    return cur.get(KEY) == expected.get(KEY)
        && Span.fromContext(cur).getSpanContext().equals(Span.fromContext(expected).getSpanContext());
  }

  /**
   * The config an entry stands for on {@code me}: entries of this thread restored while their
   * scope could not be closed yet are skipped. An entry whose scope was closed and that is found
   * in the current context all the same came back in a propagated context (a task captured in its
   * step and run later on the same thread): it is the parent as it is.
   */
  private static Entry resolveEntry(Entry e, Thread me) {
    while (e != null && e.owner == me && e.restored && e.scope != null) {
      e = e.prev;
    }
    return e;
  }

  /**
   * The entry that stands for the current run on {@code me}, given the current context's top
   * entry: that one resolved, unless it is missing or an ancestor of this thread's innermost open
   * entry (a stale context made current over ours, see the class doc). One thread-local read
   * when the two agree.
   */
  private static Entry effective(Entry top, Thread me) {
    Entry fromContext = resolveEntry(top, me);
    Entry open = OPEN.get();
    if (open == fromContext || open == null) {
      return fromContext;
    }
    open = firstOpen(open);
    if (open == null || open == fromContext) {
      return fromContext;
    }
    if (fromContext == null || isAncestor(fromContext, open)) {
      return open;
    }
    return fromContext;
  }

  /** {@code e} or the first entry below it on its thread's chain that is not restored. */
  private static Entry firstOpen(Entry e) {
    while (e != null && e.restored) {
      e = e.below;
    }
    return e;
  }

  private static boolean isAncestor(Entry candidate, Entry of) {
    for (Entry p = of.prev; p != null; p = p.prev) {
      if (p == candidate) {
        return true;
      }
    }
    return false;
  }

  /** One attach: immutable but for the owner's own bookkeeping. */
  private static final class Entry {
    final RunConfig config;
    final Thread owner;
    final Entry prev;
    /** The context that was current when it was attached (prev is its entry); for reattach. */
    final Context base;
    /** The context made current (base with this entry); kept after close for reattach. Owner only. */
    Context context;
    /** The scope to close; null while not attached. Owner only. */
    Scope scope;
    /** Whether the owner restored past this entry since it was last attached. Owner only. */
    boolean restored;
    /** The owner's open entry when this one was last attached (the thread-local chain). Owner only. */
    Entry below;

    Entry(RunConfig config, Thread owner, Entry prev, Context base) {
      this.config = config;
      this.owner = owner;
      this.prev = prev;
      this.base = base;
    }

    void close() {
      Scope s = scope;
      scope = null;
      if (s != null) {
        s.close();
      }
    }
  }
}
