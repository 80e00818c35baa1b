package io.tracewire.core.runnable;

import io.tracewire.core.internal.Runs;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A runnable with a bound config, name or call arguments ({@code withConfig}, {@code withName},
 * {@code bind}). Not a run of its own: each call merges the bound config under the call's
 * config ({@link RunConfig#merge}) and delegates. Immutable.
 */
final class RunnableBinding<I, O> extends Runnable<I, O> {
  private final Runnable<I, O> bound;
  private final RunConfig config;

  RunnableBinding(Runnable<I, O> bound, RunConfig config, String name) {
    super(name);
    RunConfig own = name == null ? config : config.toBuilder().runName(name).build();
    if (bound instanceof RunnableBinding<I, O> b) {
      this.bound = b.bound;
      // LangChain: binding.with_config(...) replaces keys shallowly ({**old, **new}).
      this.config = Runs.overlay(b.config, own);
    } else {
      this.bound = bound;
      this.config = own;
    }
  }

  @Override
  public String name() {
    return config.runName() != null ? config.runName() : bound.name();
  }

  @Override
  protected String defaultName() {
    return bound.name();
  }

  private RunConfig merged(RunConfig call) {
    return RunConfig.merge(config, call);
  }

  @Override
  public O invoke(I input, RunConfig call) {
    return bound.invoke(input, merged(call));
  }

  @Override
  public CompletableFuture<O> invokeAsync(I input, RunConfig call) {
    return bound.invokeAsync(input, merged(call));
  }

  @Override
  public List<O> batch(List<? extends I> inputs, RunConfig call) {
    return bound.batch(inputs, merged(call));
  }

  @Override
  public CloseableIterator<O> stream(I input, RunConfig call) {
    return bound.stream(input, merged(call));
  }

  @Override
  public CloseableIterator<O> transform(Iterator<? extends I> input, RunConfig call) {
    return bound.transform(input, merged(call));
  }

  @Override
  void checkStreamEventsSupported() {
    bound.checkStreamEventsSupported();
  }
}
