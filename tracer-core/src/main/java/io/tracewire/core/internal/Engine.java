package io.tracewire.core.internal;

import io.tracewire.core.RunConfig;
import io.tracewire.core.Tracewire;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.event.spi.BusAccess;
import io.tracewire.core.sink.EventBus;

import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Process-wide runtime state: global listeners, the default executor, listener isolation. */
public final class Engine {
  private static final Logger LOG = Logger.getLogger("io.tracewire.core");

  private Engine() {}

  private static final BusAccess BUS = busAccess();

  private static BusAccess busAccess() {
    EventBus.builder(); // its initialiser installs the access
    return BusAccess.get();
  }

  public static final RunListener[] NO_LISTENERS = new RunListener[0];

  /** Listeners installed globally (see {@link Tracewire}); every root run inherits them. */
  public static volatile RunListener[] globalListeners = NO_LISTENERS;

  public static final AtomicLong LISTENER_FAILURES = new AtomicLong();
  private static final Set<Class<?>> WARNED = ConcurrentHashMap.newKeySet();

  private static final class Pool {
    static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(daemonThreads("tracewire-worker"));
  }

  /** The default executor for async work: cached daemon threads. */
  public static Executor defaultExecutor() {
    return Pool.EXECUTOR;
  }

  public static Executor executor(RunConfig c) {
    return c.executor() != null ? c.executor() : Pool.EXECUTOR;
  }

  public static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Whether an event about to be built can be skipped because nobody would receive it: every
   * listener is an {@link EventBus} whose every sink would drop it now (DROP_NEWEST with a full
   * queue, or closed) or does not accept its kind. Then the drop is counted on each sink that accepts it and the event's sequence number is
   * used up, so that readers of a sink's output still see a gap where it was, and {@code true} is
   * returned. This keeps a stalled DROP_NEWEST sink from costing the application more than a
   * counter per event.
   */
  public static boolean skipUnwanted(RunListener[] handlers, String event) {
    BusAccess access = BUS;
    for (RunListener h : handlers) {
      if (!(h instanceof EventBus bus) || !access.saturated(bus, event)) {
        return false;
      }
    }
    for (RunListener h : handlers) {
      access.dropUnbuilt((EventBus) h, event);
    }
    Clock.nextSeq();
    return true;
  }

  /** Delivers an event to each listener; a failing listener is logged once and counted. */
  public static void dispatch(RunListener[] handlers, StreamEvent e) {
    for (RunListener h : handlers) {
      try {
        h.onEvent(e);
      } catch (Throwable t) {
        listenerFailed(h, e, t);
      }
    }
  }

  /** The isolation of every delivery path: log once per listener class, count, rethrow VM errors. */
  public static void listenerFailed(RunListener h, StreamEvent e, Throwable t) {
    LISTENER_FAILURES.incrementAndGet();
    if (WARNED.add(h.getClass())) {
      LOG.log(Level.WARNING, "run listener " + h.getClass().getName()
          + " threw on " + e.event() + "; the run goes on (further failures of this listener class are counted, not logged)", t);
    }
    if (t instanceof VirtualMachineError vme) {
      throw vme;
    }
  }

  /** Unwraps future wrappers; checked exceptions come back wrapped in a CompletionException. */
  public static RuntimeException unchecked(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error err) {
      throw err;
    }
    if (t instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      CancellationException c = new CancellationException("interrupted");
      c.initCause(t);
      return c;
    }
    return new CompletionException(t);
  }
}
