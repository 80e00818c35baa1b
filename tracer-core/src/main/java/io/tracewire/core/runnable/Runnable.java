package io.tracewire.core.runnable;

import io.tracewire.core.internal.CurrentRun;
import io.tracewire.core.internal.Runs;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.RunContext;
import io.tracewire.core.event.EventFilter;
import io.tracewire.core.event.RunType;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.internal.Addable;
import io.tracewire.core.internal.Engine;
import io.tracewire.core.internal.EventStreamDriver;
import io.tracewire.core.util.Frozen;
import io.tracewire.core.internal.IteratorPublisher;
import io.tracewire.core.internal.LazyIterator;
import io.tracewire.core.internal.RunNode;
import io.tracewire.core.internal.TransformRun;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A unit of work that can be invoked, batched, streamed and traced: LangChain's
 * {@code Runnable}. Every invocation is a <em>run</em> with an id, a place in the run tree,
 * tags and metadata, and produces events ({@link StreamEvent}) for the listeners attached to
 * it; {@link #streamEvents} returns them for one call exactly as LangChain's
 * {@code astream_events} v2 does.
 *
 * <h2>Execution model</h2>
 * Streaming is pull-based and lazy: nothing runs until the returned iterator is pulled, each
 * step pulls its first input chunk before it starts and drains its input before it ends. All of
 * a stream's work runs on the consuming thread, except steps that are concurrent by nature
 * (parallel branches, emitting generators, async lambdas), whose events are delivered in order
 * of production. Closing a stream before its end cancels the runs in flight
 * ({@code on_<type>_cancel} for sinks; no end events, as in LangChain).
 *
 * <h2>Errors</h2>
 * A failing step's exception propagates unchanged (unchecked exceptions as they are, checked
 * ones wrapped in {@link java.util.concurrent.CompletionException}). Listener failures never
 * reach the caller.
 *
 * <h2>Context</h2>
 * While a step executes, its child config is the thread's {@link RunContext}: runnables invoked
 * inside it without an explicit config become its children. The async methods carry the
 * caller's context to the executor thread.
 *
 * <p>Subclass to make a custom runnable: implement {@link #invoke(Object, RunConfig)}, usually by
 * starting a run with {@link #startRun}; override {@link #stream(Object, RunConfig)} to stream.
 * Instances are immutable and thread-safe when their functions are.
 *
 * @param <I> input type
 * @param <O> output type
 */
public abstract class Runnable<I, O> {
  private final String name;

  /** A runnable whose name is its default name. */
  protected Runnable() {
    this(null);
  }

  /** A runnable with an explicit name ({@code null} for the default name). */
  protected Runnable(String name) {
    this.name = name;
  }

  /** The run name: the explicit name if given, else {@link #defaultName()}. */
  public String name() {
    return name != null ? name : defaultName();
  }

  /** The name used when none is given: the simple class name. */
  protected String defaultName() {
    return getClass().getSimpleName();
  }

  // ------------------------------------------------------------------ invoke

  /** Invokes with the current context's config. */
  public final O invoke(I input) {
    return invoke(input, null);
  }

  /**
   * Runs to completion and returns the output. {@code config} may be {@code null}. Blocks the
   * calling thread; throws what the work throws.
   */
  public abstract O invoke(I input, RunConfig config);

  /**
   * Invokes on the config's executor (a shared daemon pool by default) with the caller's run
   * context. Cancelling the future does not interrupt the work; close a stream to cancel.
   */
  public CompletableFuture<O> invokeAsync(I input, RunConfig config) {
    Executor ex = Engine.executor(config != null && config.executor() != null ? config : RunConfig.current());
    return CompletableFuture.supplyAsync(RunContext.wrapSupplier(() -> invoke(input, config)), ex);
  }

  public final CompletableFuture<O> invokeAsync(I input) {
    return invokeAsync(input, null);
  }

  /**
   * Invokes once per input, at most {@code maxConcurrency} at a time (all at once when unset),
   * and returns the outputs in input order. A config with a run id applies it to the first
   * input only. The first failure is thrown after every started item has finished.
   */
  public List<O> batch(List<? extends I> inputs, RunConfig config) {
    Objects.requireNonNull(inputs, "inputs");
    int n = inputs.size();
    if (n == 0) {
      return List.of();
    }
    RunConfig c = Runs.ensure(config);
    List<RunConfig> configs = Runs.forBatch(c, n);
    if (n == 1) {
      return List.of(invoke(inputs.get(0), configs.get(0)));
    }
    int workers = Math.min(n, c.maxConcurrency() == null ? n : c.maxConcurrency());
    Object[] results = new Object[n];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Executor ex = Engine.executor(c);
    CompletableFuture<?>[] fs = new CompletableFuture<?>[workers];
    for (int w = 0; w < workers; w++) {
      fs[w] = CompletableFuture.runAsync(RunContext.wrap(() -> {
        int i;
        while ((i = next.getAndIncrement()) < n && failure.get() == null) {
          try {
            results[i] = invoke(inputs.get(i), configs.get(i));
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          }
        }
      }), ex);
    }
    try {
      CompletableFuture.allOf(fs).join();
    } catch (RuntimeException e) {
      throw Engine.unchecked(e);
    }
    if (failure.get() != null) {
      throw Engine.unchecked(failure.get());
    }
    @SuppressWarnings("unchecked")
    List<O> out = (List<O>) Arrays.asList(results);
    return java.util.Collections.unmodifiableList(out);
  }

  public final List<O> batch(List<? extends I> inputs) {
    return batch(inputs, null);
  }

  /** {@link #batch} on the config's executor. */
  public CompletableFuture<List<O>> batchAsync(List<? extends I> inputs, RunConfig config) {
    Executor ex = Engine.executor(config != null && config.executor() != null ? config : RunConfig.current());
    return CompletableFuture.supplyAsync(RunContext.wrapSupplier(() -> batch(inputs, config)), ex);
  }

  // ------------------------------------------------------------------ stream

  public final CloseableIterator<O> stream(I input) {
    return stream(input, null);
  }

  /**
   * Streams the output in chunks. Lazy: nothing runs before the first {@code hasNext}. The
   * default yields the output of {@link #invoke} as one chunk; streaming runnables override it.
   * Close the iterator to stop early (this cancels the work in flight).
   */
  public CloseableIterator<O> stream(I input, RunConfig config) {
    RunConfig c = Runs.ensure(config);
    return new LazyIterator<>(() -> CloseableIterator.single(invoke(input, c)));
  }

  public final CloseableIterator<O> transform(Iterator<? extends I> input) {
    return transform(input, null);
  }

  /**
   * Streams the output for a streamed input. The default drains the input (aggregating the
   * chunks with {@code +} where they support it), then streams the aggregate; runnables that
   * consume input incrementally override it. Closing the result closes {@code input} when it
   * is a {@link CloseableIterator}.
   */
  public CloseableIterator<O> transform(Iterator<? extends I> input, RunConfig config) {
    RunConfig c = Runs.ensure(config);
    CloseableIterator<? extends I> in = CloseableIterator.of(input);
    return new LazyIterator<>(() -> {
      Addable.Aggregator agg = new Addable.Aggregator();
      while (in.hasNext()) {
        agg.add(in.next());
      }
      if (!agg.has()) {
        return CloseableIterator.empty();
      }
      @SuppressWarnings("unchecked")
      I all = (I) agg.value();
      return stream(all, c);
    }, in);
  }

  /**
   * {@link #stream} as a {@link Flow.Publisher}: each subscription runs a new stream on the
   * config's executor, honouring demand; cancelling the subscription closes the stream.
   */
  public Flow.Publisher<O> streamAsync(I input, RunConfig config) {
    Executor ex = Engine.executor(config != null && config.executor() != null ? config : RunConfig.current());
    return new IteratorPublisher<>(RunContext.wrapSupplier(() -> stream(input, config)), ex);
  }

  // ------------------------------------------------------------------ events

  /** {@link #streamEvents(Object, RunConfig, EventFilter)} with no config and no filter. */
  public final CloseableIterator<StreamEvent> streamEvents(I input) {
    return streamEvents(input, null, EventFilter.ALL);
  }

  /**
   * Streams this call's events with LangChain's {@code astream_events} v2 semantics (the only
   * version: there is no version parameter). The iterator runs the work on the consuming thread
   * as it is pulled; events produced on other threads are delivered in order. If the work
   * fails, every event produced before the failure is delivered, then {@code hasNext} throws
   * the failure. Closing the iterator early cancels the run. Not thread-safe, except
   * {@code close()}.
   *
   * @param config may be {@code null}
   * @param filter may be {@code null} for {@link EventFilter#ALL}
   */
  public final CloseableIterator<StreamEvent> streamEvents(I input, RunConfig config, EventFilter filter) {
    return new EventStreamDriver<>(this::stream, this::checkStreamEventsSupported, input, config, filter == null ? EventFilter.ALL : filter);
  }

  /**
   * {@link #streamEvents} as a {@link Flow.Publisher}: each subscription streams the events on the
   * config's executor honouring demand; cancelling the subscription cancels the run; a failure
   * arrives as {@code onError} after the events before it.
   */
  public final Flow.Publisher<StreamEvent> streamEventsAsync(I input, RunConfig config, EventFilter filter) {
    Executor ex = Engine.executor(config != null && config.executor() != null ? config : RunConfig.current());
    return new IteratorPublisher<>(RunContext.wrapSupplier(() -> streamEvents(input, config, filter)), ex);
  }

  /** Hook for runnables that cannot stream events. */
  void checkStreamEventsSupported() {}

  // ------------------------------------------------------------------ composition

  /** This runnable followed by {@code next}: a {@link RunnableSequence} (nested sequences flatten). */
  public <T> Runnable<I, T> pipe(Runnable<? super O, ? extends T> next) {
    Objects.requireNonNull(next, "next");
    return RunnableSequence.of(this, next);
  }

  /** A binding that merges {@code config} under every call's config; it is not a run of its own. */
  public Runnable<I, O> withConfig(RunConfig config) {
    Objects.requireNonNull(config, "config");
    return new RunnableBinding<>(this, config, null);
  }

  /** A binding that names this runnable's runs. */
  public Runnable<I, O> withName(String newName) {
    Objects.requireNonNull(newName, "newName");
    return new RunnableBinding<>(this, RunConfig.empty(), newName);
  }

  /**
   * A binding that passes call arguments to the run, as LangChain's {@code bind(**kwargs)}; chat
   * models read {@code stop}, {@code temperature}, {@code max_tokens}, {@code model} and
   * {@code tools} from here.
   */
  public Runnable<I, O> bind(Map<String, ?> kwargs) {
    Objects.requireNonNull(kwargs, "kwargs");
    return new RunnableBinding<>(this, Runs.withKwargs(Frozen.map(kwargs)), null);
  }

  /** Retries failed invocations by {@code policy}; streaming is not retried (as in LangChain). */
  public Runnable<I, O> withRetry(RetryPolicy policy) {
    return new RunnableRetry<>(this, policy);
  }

  /** Tries {@code fallbacks} in order when this runnable fails. */
  @SafeVarargs
  public final Runnable<I, O> withFallbacks(Runnable<I, O>... fallbacks) {
    List<Runnable<I, O>> all = new ArrayList<>();
    all.add(this);
    all.addAll(Arrays.asList(fallbacks));
    return new RunnableWithFallbacks<>(all, null);
  }

  /** A runnable that applies this one to every element of a list input (LangChain's {@code map()}). */
  public Runnable<List<I>, List<O>> map() {
    return new RunnableEach<>(this);
  }

  // ------------------------------------------------------------------ for subclasses

  /**
   * Starts a run of {@code type} for a custom runnable, with {@code input} as its start input.
   * The caller must end it exactly once through the handle. {@code config} may be {@code null}.
   */
  protected final RunHandle startRun(RunConfig config, RunType type, Object input) {
    RunConfig c = Runs.ensure(config);
    RunNode node = RunNode.start(c, new RunNode.Spec(type, name()), null, input);
    return new RunHandle(node, c);
  }

  /**
   * As {@link #startRun(RunConfig, RunType, Object)}, with {@code localMetadata} on this run
   * only: unlike the config's metadata, the runs started under it (through
   * {@link RunHandle#childConfig()}) do not inherit it.
   */
  protected final RunHandle startRun(RunConfig config, RunType type, Object input, Map<String, ?> localMetadata) {
    Objects.requireNonNull(localMetadata, "localMetadata");
    RunConfig c = Runs.ensure(config);
    RunNode.Spec spec = new RunNode.Spec(type, name());
    spec.localMetadata = Frozen.<String, Object>map(localMetadata);
    RunNode node = RunNode.start(c, spec, null, input);
    return new RunHandle(node, c);
  }
}
