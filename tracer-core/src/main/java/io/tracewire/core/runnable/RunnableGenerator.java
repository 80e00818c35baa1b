package io.tracewire.core.runnable;

import io.tracewire.core.internal.Runs;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunType;
import io.tracewire.core.internal.Addable;
import io.tracewire.core.internal.Engine;
import io.tracewire.core.internal.ProducerIterator;

import java.util.Iterator;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A function over the input stream (a {@code chain} run on the transform path, named after the
 * given name or {@code RunnableGenerator}). Two forms: a pull function from the input iterator to
 * an output iterator, evaluated lazily on the consuming thread; or an emitting body that pushes
 * outputs with {@code emit.accept(x)}, run on the config's executor and interrupted when the
 * consumer closes the stream. Invoked, the outputs are aggregated with {@code +}.
 */
public final class RunnableGenerator<I, O> extends Runnable<I, O> {
  private final Function<Iterator<I>, Iterator<O>> pull;
  private final BiConsumer<Iterator<I>, Consumer<O>> push;

  private RunnableGenerator(String name, Function<Iterator<I>, Iterator<O>> pull, BiConsumer<Iterator<I>, Consumer<O>> push) {
    super(name);
    this.pull = pull;
    this.push = push;
  }

  /** A pull generator. */
  public static <I, O> RunnableGenerator<I, O> of(String name, Function<Iterator<I>, Iterator<O>> fn) {
    return new RunnableGenerator<>(name, Objects.requireNonNull(fn, "fn"), null);
  }

  /** An emitting generator. */
  public static <I, O> RunnableGenerator<I, O> emitting(String name, BiConsumer<Iterator<I>, Consumer<O>> body) {
    return new RunnableGenerator<>(name, null, Objects.requireNonNull(body, "body"));
  }

  @Override
  protected String defaultName() {
    return "RunnableGenerator";
  }

  @Override
  public O invoke(I input, RunConfig config) {
    Addable.Aggregator agg = new Addable.Aggregator();
    try (CloseableIterator<O> it = stream(input, config)) {
      while (it.hasNext()) {
        agg.add(it.next());
      }
    }
    @SuppressWarnings("unchecked")
    O out = (O) agg.value();
    return out;
  }

  @Override
  public CloseableIterator<O> stream(I input, RunConfig config) {
    return transform(CloseableIterator.single(input), config);
  }

  @Override
  public CloseableIterator<O> transform(Iterator<? extends I> input, RunConfig config) {
    return Runs.<I, O>transform(input, config, Runs.spec(RunType.CHAIN, name()), (in, node, child) -> {
      if (pull != null) {
        return CloseableIterator.of(pull.apply(in));
      }
      return new ProducerIterator<O>(emit -> push.accept(in, emit), child, Engine.executor(child));
    });
  }
}
