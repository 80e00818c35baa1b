package io.tracewire.core.internal;

import io.tracewire.core.util.Frozen;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.RunContext;
import io.tracewire.core.runnable.Runnable;

import java.util.NoSuchElementException;

/**
 * One run on LangChain's transform path ({@code _transform_stream_with_config}): pulls its first
 * input chunk before starting, emits a stream event per output chunk as it leaves, drains the
 * rest of its input after its output, then ends with the aggregated output and input.
 */
public final class TransformRun<I, O> implements CloseableIterator<O> {
  private static final int NEW = 0;
  private static final int RUNNING = 1;
  private static final int DONE = 2;

  private final CloseableIterator<? extends I> upstream;
  private final RunConfig config;
  private final RunNode.Spec spec;
  private final Runs.Transformer<I, O> fn;
  private final Addable.Aggregator inAgg = new Addable.Aggregator();
  private final Addable.Aggregator outAgg = new Addable.Aggregator();
  private RecordingInput recorded;
  private RunNode node;
  private RunConfig child;
  private CurrentRun.Binding pulls;
  private CloseableIterator<O> out;
  private volatile int state = NEW;
  private O pending;
  private boolean hasPending;

  public TransformRun(CloseableIterator<? extends I> upstream, RunConfig config, RunNode.Spec spec, Runs.Transformer<I, O> fn) {
    this.upstream = upstream;
    this.config = config;
    this.spec = spec;
    this.fn = fn;
  }

  @Override
  public boolean hasNext() {
    if (hasPending) {
      return true;
    }
    if (state == DONE) {
      return false;
    }
    try {
      Object pulled;
      if (state == NEW) {
        recorded = new RecordingInput();
        recorded.hasNext(); // pull the first input chunk before the run starts
        node = RunNode.start(config, spec, Frozen.EMPTY, null);
        state = RUNNING;
        child = Runs.child(config, node, null);
        pulls = new CurrentRun.Binding(child);
        // open the output and pull its first chunk in one attach of the context (it was two)
        pulled = pulls.with(() -> {
          out = fn.apply(recorded, node, child);
          return out.hasNext() ? out.next() : CurrentRun.Binding.END;
        });
      } else {
        pulled = pulls.pull(out);
      }
      if (pulled != CurrentRun.Binding.END) {
        @SuppressWarnings("unchecked")
        O chunk = (O) pulled;
        outAgg.add(chunk);
        node.emitStream(chunk);
        pending = chunk;
        hasPending = true;
        return true;
      }
      while (recorded.hasNext()) {
        recorded.next();
      }
      state = DONE;
      out.close();
      node.endChain(outAgg.value(), inAgg.value(), true);
      return false;
    } catch (Throwable t) {
      boolean wasRunning = state == RUNNING;
      state = DONE;
      if (wasRunning) {
        node.error(t, Frozen.of2("error", t, "input", inAgg.value()));
      }
      closeQuietly();
      throw Engine.unchecked(t);
    }
  }

  @Override
  public O next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    hasPending = false;
    O o = pending;
    pending = null;
    return o;
  }

  @Override
  public void close() {
    int s = state;
    state = DONE;
    try {
      closeQuietly(); // children first, as ends are ordered
    } finally {
      if (s == RUNNING && node != null) {
        node.cancel();
      }
    }
  }

  private void closeQuietly() {
    try {
      if (out != null) {
        out.close();
      }
    } finally {
      upstream.close();
    }
  }

  /** The input as the transformer sees it; every chunk pulled is also aggregated for the end event. */
  private final class RecordingInput implements CloseableIterator<I> {
    private I buffered;
    private boolean hasBuffered;
    private boolean exhausted;

    @Override
    public boolean hasNext() {
      if (hasBuffered) {
        return true;
      }
      if (exhausted) {
        return false;
      }
      if (upstream.hasNext()) {
        buffered = upstream.next();
        hasBuffered = true;
        inAgg.add(buffered);
        return true;
      }
      exhausted = true;
      return false;
    }

    @Override
    public I next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      hasBuffered = false;
      I v = buffered;
      buffered = null;
      return v;
    }

    @Override
    public void close() {
      upstream.close();
    }
  }
}
