package io.tracewire.exporters.otel;

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
 * closes that scope. A scope opened on top of ours and still open at that moment (the span scope
 * of a run that started inside a streaming step and outlives the step's pull, for instance)
 * makes OpenTelemetry ignore the close; the entry is then marked restored, reads on its thread
 * skip it, and the scope is closed by a later restore on that thread once it is current again.
 * On any other thread an entry is valid as it is: that is a propagated parent.
 *
 * <h2>Contract</h2>
 * Thread-safe (entries are written only by their own thread); never throws; no lock. Costs per
 * step, against the thread-local storage: one context copy, one scope and one entry allocated,
 * two more thread-local reads (see {@code docs/context.md} for measured figures).
 */
public final class OtelRunContextStorage implements RunContextStorage {
  /** The name for {@code -Dtracewire.context.storage}: {@value}. */
  public static final String NAME = "otel";

  private static final ContextKey<Entry> KEY = ContextKey.named("tracewire-run-context");
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
    return resolve(Context.current().get(KEY), Thread.currentThread());
  }

  @Override
  public Object attach(RunConfig config) {
    Context cur = Context.current();
    Entry top = cur.get(KEY);
    Thread me = Thread.currentThread();
    if (resolve(top, me) == config) {
      return UNCHANGED;
    }
    Entry e = new Entry(config, me, top);
    e.scope = cur.with(KEY, e).makeCurrent();
    return e;
  }

  @Override
  public void restore(Object token) {
    if (!(token instanceof Entry)) {
      return;
    }
    Entry e = (Entry) token;
    e.restored = true;
    Thread me = Thread.currentThread();
    Entry t = e;
    while (true) {
      Scope s = t.scope;
      if (s != null) {
        s.close();
      }
      Entry now = Context.current().get(KEY);
      if (now == t) {
        // another scope opened on top of ours is still open: the close was ignored, retry later
        return;
      }
      t.scope = null;
      if (now == null || now.owner != me || !now.restored || now.scope == null) {
        return;
      }
      // an entry restored earlier that could not be closed then is current again: close it now
      t = now;
    }
  }

  /** The config an entry stands for on {@code me}: restored entries of this thread are skipped. */
  private static RunConfig resolve(Entry e, Thread me) {
    while (e != null && e.owner == me && e.restored) {
      e = e.prev;
    }
    return e == null ? null : e.config;
  }

  /** One attach: immutable but for the owner's own bookkeeping. */
  private static final class Entry {
    final RunConfig config;
    final Thread owner;
    final Entry prev;
    /** Written and read by {@link #owner} only. */
    boolean restored;
    /** The scope to close; null once closed. Owner only. */
    Scope scope;

    Entry(RunConfig config, Thread owner, Entry prev) {
      this.config = config;
      this.owner = owner;
      this.prev = prev;
    }
  }
}
