package io.tracewire.core.internal;

import io.tracewire.core.RunConfig;

import java.util.function.Supplier;

/**
 * Where the current thread's run context lives: the child config of the run executing here.
 * {@link io.tracewire.core.RunContext} is the public face; the engine sets the context around
 * every step it executes with {@link #with}. Internal: not API, may change in any release.
 * Per thread; no locking.
 */
public final class CurrentRun {
  private static final ThreadLocal<RunConfig> CURRENT = new ThreadLocal<>();

  private CurrentRun() {}

  /** The context config of this thread, or {@code null} outside any run. */
  public static RunConfig get() {
    return CURRENT.get();
  }

  /** Runs {@code body} with {@code config} as the current context, restoring the previous one after. */
  public static <T> T with(RunConfig config, Supplier<T> body) {
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

  /** Makes {@code config} current and returns the previous context, for {@link #restore}. */
  public static RunConfig attach(RunConfig config) {
    RunConfig prev = CURRENT.get();
    CURRENT.set(config);
    return prev;
  }

  /** Restores what {@link #attach} returned. */
  public static void restore(RunConfig prev) {
    if (prev == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(prev);
    }
  }
}
