package io.tracewire.core;

import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.spi.TracerEngine;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.sink.EventBus;
import io.tracewire.core.sink.EventSink;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.sink.SinkStats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The entry point for tracing a whole application: installs {@link RunListener}s and
 * {@link EventSink}s globally, so that every root run (and through inheritance every run) reports
 * to them, and wraps existing code so that it joins the run tree.
 *
 * <pre>{@code
 * try (Tracewire tw = Tracewire.builder()
 *     .sink(jsonlSink, SinkConfig.named("jsonl").withPolicy(OverflowPolicy.BLOCK))
 *     .install()) {
 *   String answer = Tracewire.trace("answer", () -> chain.invoke(question));
 * } // listeners removed, sinks flushed and closed
 * }</pre>
 *
 * <p>Registration is scoped: {@link Builder#install()} adds this instance's listeners (and its
 * {@link EventBus}, when it has sinks) to the global set; {@link #close()} removes exactly those
 * again and then closes the bus. Runs already started keep the listeners they started with.
 * Several instances may be installed at once. For one call only, build an {@link EventBus} and
 * pass it with {@code RunConfig.builder().listener(bus)} instead.
 *
 * <p>Thread-safe. Installing and closing are rare operations (they copy the global listener
 * array); reading it on every root run is a single volatile read.
 */
public final class Tracewire implements AutoCloseable {
  private static final Object LOCK = new Object();

  private final RunListener[] installed;
  private final EventBus bus;
  private final Duration closeTimeout;
  private final Thread shutdownHook;
  private boolean closed;

  private Tracewire(RunListener[] installed, EventBus bus, Duration closeTimeout, boolean closeOnShutdown) {
    this.installed = installed;
    this.bus = bus;
    this.closeTimeout = closeTimeout;
    this.shutdownHook = closeOnShutdown ? new Thread(this::close, "tracewire-shutdown") : null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs {@code body} as a {@code chain} run named {@code name} (a child of the current run, if
   * any), so that everything traced inside it nests under it. The run's output is the body's
   * result; an exception from the body ends the run with an error and is rethrown unchanged
   * (checked causes wrapped in {@code CompletionException}). Runs on the calling thread.
   */
  public static <T> T trace(String name, Supplier<? extends T> body) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    return RunnableLambda.<Object, T>of(name, ignored -> body.get()).invoke(null, null);
  }

  /**
   * Any function as a named {@link Runnable} ({@code chain} runs): invoke it, stream it, compose
   * it, and nested runs inside the function become its children. Same as
   * {@link RunnableLambda#of(String, Function)}.
   */
  public static <I, O> Runnable<I, O> function(String name, Function<? super I, ? extends O> fn) {
    Objects.requireNonNull(name, "name");
    return RunnableLambda.of(name, fn);
  }

  /** An executor whose tasks run in their submitter's run context ({@link RunContext#wrap(Executor)}). */
  public static Executor wrap(Executor executor) {
    return RunContext.wrap(executor);
  }

  /** As {@link #wrap(Executor)} for an executor service. */
  public static ExecutorService wrap(ExecutorService executor) {
    return RunContext.wrap(executor);
  }

  /** The bus delivering to this instance's sinks, or {@code null} when it has none. */
  public EventBus bus() {
    return bus;
  }

  /** Counters of this instance's sinks (empty without sinks). */
  public List<SinkStats> stats() {
    return bus == null ? List.of() : bus.stats();
  }

  /** Flushes this instance's sinks; see {@link EventBus#flush(Duration)}. */
  public boolean flush(Duration timeout) {
    return bus == null || bus.flush(timeout);
  }

  /**
   * Removes this instance's listeners from the global set, then closes its sinks with the
   * builder's close timeout ({@link EventBus#close(Duration)}). Idempotent.
   */
  @Override
  public void close() {
    synchronized (LOCK) {
      if (closed) {
        return;
      }
      closed = true;
      List<RunListener> now = new ArrayList<>(Arrays.asList(TracerEngine.INSTANCE.globalListeners()));
      for (RunListener l : installed) {
        for (int i = 0; i < now.size(); i++) {
          if (now.get(i) == l) {
            now.remove(i);
            break;
          }
        }
      }
      TracerEngine.INSTANCE.setGlobalListeners(now.toArray(new RunListener[0]));
    }
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to
      }
    }
    if (bus != null) {
      bus.close(closeTimeout);
    }
  }

  /** Configures what {@link #install()} installs. Not thread-safe. */
  public static final class Builder {
    /** The default close timeout: {@value} seconds. */
    public static final long DEFAULT_CLOSE_TIMEOUT_SECONDS = EventBus.DEFAULT_CLOSE_TIMEOUT_SECONDS;

    private final List<RunListener> listeners = new ArrayList<>();
    private final EventBus.Builder bus = EventBus.builder();
    private int sinkCount;
    private Duration closeTimeout = Duration.ofSeconds(DEFAULT_CLOSE_TIMEOUT_SECONDS);
    private boolean closeOnShutdown;

    private Builder() {}

    /** Adds a synchronous listener. */
    public Builder listener(RunListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Adds an asynchronous sink with the default {@link SinkConfig}. */
    public Builder sink(EventSink sink) {
      bus.sink(sink);
      sinkCount++;
      return this;
    }

    /** Adds an asynchronous sink with its own queue config. */
    public Builder sink(EventSink sink, SinkConfig config) {
      bus.sink(sink, config);
      sinkCount++;
      return this;
    }

    /** How long {@link Tracewire#close()} waits for the sinks to drain and close. */
    public Builder closeTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must not be negative: " + timeout);
      }
      this.closeTimeout = timeout;
      return this;
    }

    /** Also close (drain, flush) on JVM shutdown, through a shutdown hook. Off by default. */
    public Builder closeOnShutdown(boolean enabled) {
      this.closeOnShutdown = enabled;
      return this;
    }

    /** Starts the sinks' workers and adds the listeners and the bus to the global set. */
    public Tracewire install() {
      EventBus b = sinkCount == 0 ? null : bus.build();
      List<RunListener> mine = new ArrayList<>(listeners);
      if (b != null) {
        mine.add(b);
      }
      RunListener[] installed = mine.toArray(new RunListener[0]);
      Tracewire tw = new Tracewire(installed, b, closeTimeout, closeOnShutdown);
      synchronized (LOCK) {
        RunListener[] now = TracerEngine.INSTANCE.globalListeners();
        RunListener[] next = Arrays.copyOf(now, now.length + installed.length);
        System.arraycopy(installed, 0, next, now.length, installed.length);
        TracerEngine.INSTANCE.setGlobalListeners(next);
      }
      if (tw.shutdownHook != null) {
        Runtime.getRuntime().addShutdownHook(tw.shutdownHook);
      }
      return tw;
    }
  }
}
