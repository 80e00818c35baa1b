package io.tracewire.core;

import io.tracewire.core.event.spi.TracerEngine;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * The run context of the current thread: the config of the run executing here, which nested
 * calls without an explicit config inherit (so that they become its children). Tracewire sets it
 * around every step it executes; use the {@code wrap} methods to carry it to work that runs on
 * other threads. Thread-safe; the context is per thread.
 *
 * <p>Where the context lives is pluggable ({@link io.tracewire.core.context.RunContextStorage}):
 * a thread-local by default; with {@code tracewire-exporters} and the OpenTelemetry API on the
 * class path it travels inside OpenTelemetry's {@code Context}, so whatever propagates that
 * context (the OpenTelemetry Java agent's executor instrumentation, {@code Context.taskWrapping})
 * carries Tracewire's parent run too, without {@code wrap}. {@code wrap} works with every storage.
 */
public final class RunContext {
  private static final TracerEngine ENGINE = TracerEngine.INSTANCE;

  private RunContext() {}

  /**
   * The name of the run-context storage in use: {@code threadlocal}, {@code otel}, or another
   * provider's {@link io.tracewire.core.context.RunContextStorage#name()}. Fixed for the life of
   * the class loader once the first run started (or this method was called).
   */
  public static String storageName() {
    return ENGINE.storageName();
  }

  private static <T> T with(RunConfig config, Supplier<T> body) {
    return ENGINE.withCurrent(config, body);
  }

  /** Captures the caller's context; the returned task runs with it on whatever thread runs it. */
  public static java.lang.Runnable wrap(java.lang.Runnable task) {
    Objects.requireNonNull(task, "task");
    RunConfig captured = ENGINE.currentConfig();
    return () -> with(captured, () -> {
      task.run();
      return null;
    });
  }

  /** Captures the caller's context for a callable. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    RunConfig captured = ENGINE.currentConfig();
    return () -> {
      Object token = ENGINE.attach(captured);
      try {
        return task.call();
      } finally {
        ENGINE.restore(token);
      }
    };
  }

  /** Captures the caller's context for a supplier (for {@code CompletableFuture.supplyAsync}). */
  public static <T> Supplier<T> wrapSupplier(Supplier<T> task) {
    Objects.requireNonNull(task, "task");
    RunConfig captured = ENGINE.currentConfig();
    return () -> with(captured, task);
  }

  /**
   * Makes runs started on this thread without an explicit parent children of a run in another
   * process until the returned scope is closed, as {@link RunConfig.Builder#remoteParent} does
   * for one call; for a server filter around one request. Other fields of the current context
   * are kept; its parent, if any, is replaced. Runs started in the scope get the global listeners
   * installed when this is called. Close the scope on this thread (try-with-resources); scopes
   * nest. Never throws but {@link NullPointerException} for a null parent.
   */
  public static Scope attachRemoteParent(RemoteParent parent) {
    Objects.requireNonNull(parent, "parent");
    RunConfig ctx = ENGINE.currentConfig();
    RunConfig c = (ctx == null ? RunConfig.builder() : ctx.toBuilder()).remoteParent(parent).build();
    return new Scope(ENGINE.attach(c));
  }

  /**
   * Makes {@code config} the context of this thread until the returned scope is closed, so runs
   * started here without an explicit config nest as {@code config} says; for a run started by
   * hand ({@link io.tracewire.core.runnable.RunHandle#childConfig()}) whose body is code that does
   * not take a config. Close the scope on this thread (try-with-resources); scopes nest. Never
   * throws but {@link NullPointerException} for a null config.
   */
  public static Scope attach(RunConfig config) {
    Objects.requireNonNull(config, "config");
    return new Scope(ENGINE.attach(config));
  }

  /**
   * A context attached by {@link #attach} or {@link #attachRemoteParent}; {@link #close()} restores the context that
   * was current before. Not thread-safe: close it on the thread that opened it; closing twice
   * does nothing.
   */
  public static final class Scope implements AutoCloseable {
    /** The storage's restore token for the context that was current before. */
    private final Object previous;
    private boolean closed;

    private Scope(Object previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        ENGINE.restore(previous);
      }
    }
  }

  /**
   * An executor that runs each task with the context of the thread that submitted it, so runs
   * started inside the task nest under the submitter's run.
   */
  public static Executor wrap(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return task -> executor.execute(wrap(task));
  }

  /** As {@link #wrap(Executor)}, for an executor service (submit, invokeAll and shutdown delegate). */
  public static ExecutorService wrap(ExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return new ContextExecutorService(executor);
  }
  /**
   * A thread factory whose threads run in the run context of the thread that asks for them (the
   * context is captured in {@code newThread}), so that thread-per-task executors and structured
   * concurrency carry parents without a wrap per task: for example
   * {@code Executors.newThreadPerTaskExecutor(RunContext.threadFactory(Thread.ofVirtual().factory()))}, or a
   * {@code StructuredTaskScope} configured {@code withThreadFactory(RunContext.threadFactory(...))}.
   * Do not use it for pooled threads: a pool creates a thread once and reuses it for tasks of other
   * runs; wrap the executor instead ({@link #wrap(ExecutorService)}).
   */
  public static ThreadFactory threadFactory(ThreadFactory factory) {
    Objects.requireNonNull(factory, "factory");
    return task -> factory.newThread(wrap(task));
  }
}
