package io.tracewire.core.runnable;

import io.tracewire.core.internal.Runs;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunType;
import io.tracewire.core.internal.Addable;
import io.tracewire.core.internal.Engine;
import io.tracewire.core.internal.LazyIterator;
import io.tracewire.core.internal.ProducerIterator;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A function as a runnable (a {@code chain} run). Java lambdas have no name, so give one
 * explicitly ({@code of("reverse", ...)}); an unnamed lambda is named {@code RunnableLambda}, as
 * in LangChain. When the function returns a {@link Runnable}, that runnable is invoked (or
 * streamed) with the same input as a child run, with the recursion limit lowered by one.
 *
 * <p>Streamed, a lambda first drains its whole input (aggregating chunks with {@code +}), then
 * calls the function and yields its result as one chunk. A {@link #generator} lambda yields
 * every value its body emits instead; the body runs on the config's executor and is interrupted
 * when the consumer closes the stream.
 *
 * <p>Thread-safe if the function is.
 */
public final class RunnableLambda<I, O> extends Runnable<I, O> {
  private enum Mode { SYNC, ASYNC, EMITTER }

  private final Mode mode;
  private final BiFunction<? super I, RunConfig, ?> fn;
  private final BiConsumer<? super I, Consumer<O>> emitter;

  private RunnableLambda(String name, Mode mode, BiFunction<? super I, RunConfig, ?> fn,
      BiConsumer<? super I, Consumer<O>> emitter) {
    super(name);
    this.mode = mode;
    this.fn = fn;
    this.emitter = emitter;
  }

  /** An unnamed lambda (run name {@code RunnableLambda}). */
  public static <I, O> RunnableLambda<I, O> of(Function<? super I, ? extends O> fn) {
    return of(null, fn);
  }

  /** A named lambda. */
  public static <I, O> RunnableLambda<I, O> of(String name, Function<? super I, ? extends O> fn) {
    Objects.requireNonNull(fn, "fn");
    return new RunnableLambda<>(name, Mode.SYNC, (i, c) -> fn.apply(i), null);
  }

  /** A named lambda that receives its run's child config (to pass to nested calls explicitly). */
  public static <I, O> RunnableLambda<I, O> withConfig(String name, BiFunction<? super I, RunConfig, ? extends O> fn) {
    Objects.requireNonNull(fn, "fn");
    return new RunnableLambda<>(name, Mode.SYNC, fn, null);
  }

  /**
   * A lambda that returns a runnable to run instead, with the same input (LangChain's
   * "a function that returns a Runnable").
   */
  public static <I, O> RunnableLambda<I, O> routing(String name,
      Function<? super I, ? extends Runnable<? super I, ? extends O>> router) {
    Objects.requireNonNull(router, "router");
    return new RunnableLambda<>(name, Mode.SYNC, (i, c) -> router.apply(i), null);
  }

  /** An asynchronous lambda: the run ends when the returned stage completes. */
  public static <I, O> RunnableLambda<I, O> async(String name,
      BiFunction<? super I, RunConfig, ? extends CompletionStage<? extends O>> fn) {
    Objects.requireNonNull(fn, "fn");
    return new RunnableLambda<>(name, Mode.ASYNC, fn, null);
  }

  /**
   * A generator lambda: {@code body} receives the (whole) input and emits any number of outputs;
   * streamed, each is a chunk; invoked, they are aggregated with {@code +}.
   */
  public static <I, O> RunnableLambda<I, O> generator(String name, BiConsumer<? super I, Consumer<O>> body) {
    Objects.requireNonNull(body, "body");
    return new RunnableLambda<>(name, Mode.EMITTER, null, body);
  }

  @Override
  protected String defaultName() {
    return "RunnableLambda";
  }

  @Override
  public O invoke(I input, RunConfig config) {
    return Runs.call(input, config, Runs.spec(RunType.CHAIN, name()), (in, child, node) -> {
      if (mode == Mode.EMITTER) {
        Addable.Aggregator agg = new Addable.Aggregator();
        emitter.accept(in, agg::add);
        @SuppressWarnings("unchecked")
        O out = (O) agg.value();
        return out;
      }
      Object r = call(in, child);
      if (r instanceof Runnable<?, ?> next) {
        @SuppressWarnings("unchecked")
        Runnable<I, O> nr = (Runnable<I, O>) next;
        return nr.invoke(in, lowerRecursion(child, in));
      }
      @SuppressWarnings("unchecked")
      O out = (O) r;
      return out;
    });
  }

  private Object call(I in, RunConfig child) {
    Object r = fn.apply(in, child);
    if (mode == Mode.ASYNC) {
      try {
        return ((CompletionStage<?>) r).toCompletableFuture().join();
      } catch (RuntimeException e) {
        throw Engine.unchecked(e);
      }
    }
    return r;
  }

  private RunConfig lowerRecursion(RunConfig child, I in) {
    int limit = child.recursionLimit() - 1;
    if (limit <= 0) {
      throw new IllegalStateException("recursion limit reached when invoking " + name() + " with input " + in);
    }
    return child.toBuilder().recursionLimit(limit).build();
  }

  @Override
  public CloseableIterator<O> stream(I input, RunConfig config) {
    return transform(CloseableIterator.single(input), config);
  }

  @Override
  public CloseableIterator<O> transform(java.util.Iterator<? extends I> input, RunConfig config) {
    return Runs.transform(input, config, Runs.spec(RunType.CHAIN, name()), (in, node, child) -> new LazyIterator<O>(() -> {
      Addable.Aggregator agg = new Addable.Aggregator();
      while (in.hasNext()) {
        agg.add(in.next());
      }
      @SuppressWarnings("unchecked")
      I all = (I) agg.value();
      if (mode == Mode.EMITTER) {
        return new ProducerIterator<O>(emit -> emitter.accept(all, emit), RunConfig.current(), Engine.executor(child));
      }
      Object r = call(all, child);
      if (r instanceof Runnable<?, ?> next) {
        @SuppressWarnings("unchecked")
        Runnable<I, O> nr = (Runnable<I, O>) next;
        return nr.stream(all, lowerRecursion(child, all));
      }
      @SuppressWarnings("unchecked")
      O out = (O) r;
      return CloseableIterator.single(out);
    }));
  }
}
