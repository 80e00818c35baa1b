package io.tracewire.core.runnable;

import io.tracewire.core.internal.Runs;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunType;

import java.util.List;

/**
 * Applies a runnable to every element of a list ({@code map()}): a {@code chain} run named
 * {@code RunnableEach} whose child batch runs the elements. As in LangChain, it cannot stream
 * events: iterating {@code streamEvents} throws {@link UnsupportedOperationException}.
 */
final class RunnableEach<I, O> extends Runnable<List<I>, List<O>> {
  private final Runnable<I, O> bound;

  RunnableEach(Runnable<I, O> bound) {
    super(null);
    this.bound = bound;
  }

  @Override
  protected String defaultName() {
    return "RunnableEach";
  }

  @Override
  public List<O> invoke(List<I> input, RunConfig config) {
    return Runs.call(input, config, Runs.spec(RunType.CHAIN, name()), (in, child, node) -> bound.batch(in, child));
  }

  @Override
  void checkStreamEventsSupported() {
    throw new UnsupportedOperationException("RunnableEach does not support streamEvents yet.");
  }
}
