package io.tracewire.core.internal;

import io.tracewire.core.RunConfig;
import io.tracewire.core.context.RunContextStorage;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where the current thread's run context lives: the child config of the run executing here.
 * {@link io.tracewire.core.RunContext} is the public face; the engine sets the context around
 * every step it executes with {@link #with}. The storage is chosen once at class initialisation
 * ({@link ContextStorageSelector}); {@code null} there means the built-in thread-local, whose
 * path below is the one the JIT keeps when the static final folds. Internal: not API, may change
 * in any release. Per thread; no locking.
 */
public final class CurrentRun {
  private static final Logger LOG = Logger.getLogger(CurrentRun.class.getName());
  private static final ThreadLocal<RunConfig> CURRENT = new ThreadLocal<>();
  /** The plugged-in storage, or {@code null} for {@link #CURRENT}. */
  private static final RunContextStorage STORAGE = ContextStorageSelector.select();
  /** What {@link #attach} returns when a plugged-in storage failed: restoring it does nothing. */
  private static final Object FAILED = new Object();
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private CurrentRun() {}

  /** The name of the storage in use ({@code threadlocal}, {@code otel}, ...). */
  public static String storageName() {
    return STORAGE == null ? RunContextStorage.THREAD_LOCAL : STORAGE.name();
  }

  /** The context config of this thread, or {@code null} outside any run. */
  public static RunConfig get() {
    RunContextStorage s = STORAGE;
    if (s == null) {
      return CURRENT.get();
    }
    try {
      return s.current();
    } catch (Throwable t) {
      failed(t);
      return null;
    }
  }

  /** Runs {@code body} with {@code config} as the current context, restoring the previous one after. */
  public static <T> T with(RunConfig config, Supplier<T> body) {
    RunContextStorage s = STORAGE;
    if (s != null) {
      return withStorage(s, config, body);
    }
    RunConfig prev = CURRENT.get();
    if (prev == config) {
      return body.get();
    }
    // set(prev) even when prev is null: remove() would rescan the thread's map on every step
    CURRENT.set(config);
    try {
      return body.get();
    } finally {
      CURRENT.set(prev);
    }
  }

  private static <T> T withStorage(RunContextStorage s, RunConfig config, Supplier<T> body) {
    Object token = attachTo(s, config);
    try {
      return body.get();
    } finally {
      restoreIn(s, token);
    }
  }

  /** Makes {@code config} current and returns a token for {@link #restore}. */
  public static Object attach(RunConfig config) {
    RunContextStorage s = STORAGE;
    if (s == null) {
      RunConfig prev = CURRENT.get();
      CURRENT.set(config);
      return prev;
    }
    return attachTo(s, config);
  }

  /** Restores what {@link #attach} returned. */
  public static void restore(Object token) {
    RunContextStorage s = STORAGE;
    if (s == null) {
      // set(null) rather than remove(), as in with(): remove() expunges the entry, and the next
      // attach on this thread (the next wrapped task on a pool thread) would re-create it
      CURRENT.set((RunConfig) token);
      return;
    }
    restoreIn(s, token);
  }

  /**
   * One run's config made current again and again by the consumer of a streaming step: around
   * each chunk it pulls. With a plugged-in storage each attach after the first is a
   * {@link RunContextStorage#reattach} with the previous token, so the storage can reuse what it
   * built for the previous pull; with the thread-local storage it is {@link #with}. Not
   * thread-safe: one per iterator, used by whichever thread pulls the iterator at the time.
   */
  public static final class Binding {
    /** What {@link #pull} returns when the iterator has no more items. */
    public static final Object END = new Object();

    private final RunConfig config;
    /** The storage's token of the previous attach, for its reattach. */
    private Object last;

    public Binding(RunConfig config) {
      this.config = config;
    }

    /** Runs {@code body} with the config current, as {@link CurrentRun#with} does. */
    public <T> T with(Supplier<T> body) {
      RunContextStorage s = STORAGE;
      if (s == null) {
        return CurrentRun.with(config, body);
      }
      Object token = reattachTo(s, config, last);
      last = token;
      try {
        return body.get();
      } finally {
        restoreIn(s, token);
      }
    }

    /**
     * {@code it.hasNext()} and, when true, {@code it.next()}, both with the config current (one
     * attach): the item, or {@link #END} when the iterator is exhausted.
     */
    public Object pull(Iterator<?> it) {
      RunContextStorage s = STORAGE;
      if (s == null) {
        RunConfig prev = CURRENT.get();
        if (prev == config) {
          return it.hasNext() ? it.next() : END;
        }
        CURRENT.set(config);
        try {
          return it.hasNext() ? it.next() : END;
        } finally {
          CURRENT.set(prev);
        }
      }
      Object token = reattachTo(s, config, last);
      last = token;
      try {
        return it.hasNext() ? it.next() : END;
      } finally {
        restoreIn(s, token);
      }
    }
  }

  private static Object reattachTo(RunContextStorage s, RunConfig config, Object previous) {
    try {
      Object token = previous == null || previous == FAILED ? s.attach(config) : s.reattach(config, previous);
      return token == null ? FAILED : token;
    } catch (Throwable t) {
      failed(t);
      return FAILED;
    }
  }

  private static Object attachTo(RunContextStorage s, RunConfig config) {
    return reattachTo(s, config, null);
  }

  private static void restoreIn(RunContextStorage s, Object token) {
    if (token == FAILED) {
      return;
    }
    try {
      s.restore(token);
    } catch (Throwable t) {
      failed(t);
    }
  }

  private static void failed(Throwable t) {
    if (WARNED.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "Tracewire: run-context storage " + STORAGE.name()
          + " failed; runs continue without its context (logged once)", t);
    }
  }
}
