package io.tracewire.exporters.otel;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The span bookkeeping of one {@link OtelBridge}: which runs are open, on which thread, whose
 * span is current there (the per-thread scope stack), the {@code maxOpenRuns} limit, the
 * run-id lookup for the stand-alone path and cross-links, and the ring of recently ended runs.
 * It sets no attribute: {@link SpanMapper} does.
 *
 * <p>Threading: called on the runs' threads, concurrently for different runs. Per-run counters
 * are per thread ({@link Local}, plain stores with release semantics, summed on demand), so the
 * default path does no atomic operation; the run-id map, the ring and the limit counter are
 * used only where the class doc of {@link OtelBridge} says so. Never blocks.
 */
final class SpanBookkeeping {
  private static final Logger LOG = Logger.getLogger(OtelBridge.class.getName());
  private static final int MAX_DEFERRED_SCOPES = 64;
  /** {@link RunState#done}: compare-and-set on the stand-alone path, plain access on the per-run-state path. */
  static final VarHandle DONE;
  /** {@link RunState#ended}: written with release semantics, read with acquire by the run's starting thread. */
  static final VarHandle ENDED;
  /** {@link Local#started} and {@link Local#ended}: written by their thread only (release), summed by any (acquire). */
  private static final VarHandle STARTED_COUNT;
  private static final VarHandle ENDED_COUNT;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      DONE = l.findVarHandle(RunState.class, "done", int.class);
      ENDED = l.findVarHandle(RunState.class, "ended", boolean.class);
      STARTED_COUNT = l.findVarHandle(Local.class, "started", long.class);
      ENDED_COUNT = l.findVarHandle(Local.class, "ended", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final boolean makeCurrent;
  private final int maxOpenRuns;
  /** Whether every run counts against {@code maxOpenRuns} (it was set explicitly). */
  final boolean limitAll;
  /**
   * Run id to run: the runs the stand-alone path handles, and, while cross-links are on, the runs
   * of the per-run-state path; recently ended ones stay until they leave {@link #ended}.
   */
  private final ConcurrentHashMap<String, RunState> runs = new ConcurrentHashMap<>();
  /** Whether per-run-state runs are registered in {@link #runs} (see {@link OtelBridge.Builder#crossLinks}). */
  volatile boolean crossLinks;
  /** Ring of recently ended runs: the oldest entry leaves {@link #runs} when a newer run takes its slot. */
  private final AtomicReferenceArray<RunState> ended;
  private final AtomicLong endedPos = new AtomicLong();
  /** Per-thread scope stack and run counters (plain stores: no atomic operation per run). */
  private final ThreadLocal<Local> local = ThreadLocal.withInitial(this::newLocal);
  /** Every thread's {@link Local}, for {@link #counts()}; threads that died are folded into the two counters below. */
  private final ConcurrentLinkedQueue<Local> locals = new ConcurrentLinkedQueue<>();
  private final AtomicLong startedByDeadThreads = new AtomicLong();
  private final AtomicLong endedByDeadThreads = new AtomicLong();
  /**
   * Open runs counted against {@code maxOpenRuns}: the runs of the stand-alone path and, when
   * {@link OtelBridge.Builder#maxOpenRuns} was set or cross-links are on, every run.
   */
  private final LongAdder limited = new LongAdder();
  private final AtomicLong untraced = new AtomicLong();
  private final AtomicBoolean warnedFull = new AtomicBoolean();

  SpanBookkeeping(OtelBridge.Builder b) {
    this.makeCurrent = b.makeSpansCurrent;
    this.maxOpenRuns = b.maxOpenRuns;
    this.limitAll = b.maxOpenRunsSet;
    this.crossLinks = b.crossLinks;
    this.ended = b.recentlyEndedCapacity > 0 ? new AtomicReferenceArray<>(b.recentlyEndedCapacity) : null;
  }

  // ---------------------------------------------------------------- lookup and counters

  /** The open or recently ended run with this id, or null. */
  RunState run(String runId) {
    return runs.get(runId);
  }

  /** The span context of an open or recently ended run; invalid when unknown. */
  SpanContext spanContextOf(String runId) {
    RunState st = runs.get(runId);
    return st != null ? st.spanContext : SpanContext.getInvalid();
  }

  /** Runs that got no span because {@code maxOpenRuns} spans were open. */
  long untraced() {
    return untraced.get();
  }

  private Local newLocal() {
    Local l = new Local(Thread.currentThread());
    counts(); // folds the counters of threads that died, so the list tracks live threads
    locals.add(l);
    return l;
  }

  /** Runs started and ended with a span, over all threads. */
  long[] counts() {
    long started = 0;
    long ended = 0;
    for (Local l : locals) {
      long s = (long) STARTED_COUNT.getAcquire(l);
      long e = (long) ENDED_COUNT.getAcquire(l);
      Thread t = l.owner.get();
      if ((t == null || !t.isAlive()) && locals.remove(l)) {
        startedByDeadThreads.addAndGet(s);
        endedByDeadThreads.addAndGet(e);
      } else {
        started += s;
        ended += e;
      }
    }
    return new long[] {started + startedByDeadThreads.get(), ended + endedByDeadThreads.get()};
  }

  // ---------------------------------------------------------------- start

  /**
   * Admits a starting run: picks the bookkeeping of this thread (a child started on its parent's
   * thread shares the parent's, with no thread-local lookup), closes ended scopes on top of its
   * stack, and applies the {@code maxOpenRuns} limit when {@code limit}. Returns the thread's
   * bookkeeping, or null when the run gets no span.
   */
  Local admit(RunState parentRun, boolean limit) {
    Local here = parentRun != null && parentRun.thread() == Thread.currentThread() ? parentRun.local : local.get();
    ArrayDeque<RunState> stack = here.stack;
    if (makeCurrent && !stack.isEmpty()) {
      popEnded(stack);
    }
    if (limit) {
      limited.increment();
      if (limited.sum() > maxOpenRuns) {
        limited.decrement();
        untraced.incrementAndGet();
        if (warnedFull.compareAndSet(false, true)) {
          LOG.warning("OtelBridge: " + maxOpenRuns + " runs are open; further runs get no span until some end (counted in stats().runsUntraced)");
        }
        return null;
      }
    }
    STARTED_COUNT.setRelease(here, here.started + 1);
    return here;
  }

  /** The context a child of {@code p} starts in: p's, or, once p ended (a detached child), p's ids. */
  static Context parentContext(RunState p) {
    Context c = p.context;
    return c != null ? c : Context.current().with(Span.wrap(p.spanContext));
  }

  /** Makes a started run's span current on this thread when configured and the stack has room. */
  void makeCurrent(RunState st) {
    ArrayDeque<RunState> stack = st.local.stack;
    if (makeCurrent && stack.size() < OtelBridge.MAX_SCOPE_DEPTH) {
      Context context = st.context;
      st.current = context;
      st.scope = context.makeCurrent();
      stack.push(st);
    }
  }

  /** Makes a run findable by id; false if another open run has its id. */
  boolean register(RunState st) {
    st.registered = true;
    RunState prev = runs.putIfAbsent(st.runId, st);
    return prev == null || ((int) DONE.getVolatile(prev) == 1 && runs.replace(st.runId, prev, st));
  }

  /** Undoes the start of a run that {@link #register} refused (its id is open): ends its span untracked. */
  void discardDuplicate(RunState st) {
    DONE.set(st, 1);
    st.registered = false;
    st.span.end();
    closeScope(st);
    STARTED_COUNT.setRelease(st.local, st.local.started - 1);
    limited.decrement();
  }

  // ---------------------------------------------------------------- end

  /** Counts a run's end (on the ending thread's bookkeeping) and releases its limit slot. */
  void ending(RunState st) {
    Local here = st.thread() == Thread.currentThread() ? st.local : local.get();
    ENDED_COUNT.setRelease(here, here.ended + 1);
    if (st.limited) {
      limited.decrement();
    }
  }

  /** Ends the run's span at {@code endNanos}, closes its scope and keeps only its ids. */
  void ended(RunState st, long endNanos) {
    st.span.end(endNanos, NANOSECONDS);
    closeScope(st);
    st.span = null;
    st.context = null;
    st.lastChunk = null;
    if (st.registered) {
      retire(st);
    }
  }

  /** Keeps an ended run findable by id until {@code recentlyEndedCapacity} later runs ended. */
  private void retire(RunState st) {
    if (ended == null) {
      runs.remove(st.runId, st);
      return;
    }
    RunState old = ended.getAndSet((int) Long.remainderUnsigned(endedPos.getAndIncrement(), ended.length()), st);
    if (old != null) {
      runs.remove(old.runId, old);
    }
  }

  // ---------------------------------------------------------------- scopes

  private static void closeScope(RunState st) {
    if (st.scope == null) {
      return;
    }
    ENDED.setRelease(st, true);
    if (st.thread() == Thread.currentThread()) {
      popEnded(st.local.stack);
    }
  }

  /**
   * Closes, in LIFO order, the scopes of ended runs at the top of this thread's stack. A scope
   * whose context is not current (application code made another context current and has not
   * restored it yet) is not closed over it: it waits for a later event on this thread, and is
   * abandoned without closing once more than {@value #MAX_DEFERRED_SCOPES} entries pile up.
   */
  private static void popEnded(ArrayDeque<RunState> stack) {
    RunState top;
    while ((top = stack.peek()) != null && (boolean) ENDED.getAcquire(top)) {
      // run-context scopes that interleaved streaming steps left above this one close first
      OtelRunContextStorage.settle();
      // identity, or what the contexts carry under the Java agent's wrapping storage
      if (OtelRunContextStorage.isCurrent(top.current, Context.current())) {
        stack.pop();
        top.scope.close();
        // recently ended runs stay in the cross-link lookup: keep them small (ids only)
        top.scope = null;
        top.current = null;
      } else if (stack.size() > MAX_DEFERRED_SCOPES) {
        stack.pop();
        top.scope = null;
        top.current = null;
      } else {
        return;
      }
    }
  }

  /** One thread's bookkeeping for one bridge. */
  static final class Local {
    /** Runs whose span this thread made current, in the order it did. */
    final ArrayDeque<RunState> stack = new ArrayDeque<>();
    final WeakReference<Thread> owner;
    /** Runs this thread started with a span and runs it ended; written by this thread only. */
    long started;
    long ended;

    Local(Thread owner) {
      this.owner = new WeakReference<>(owner);
    }
  }
}
