package io.tracewire.core.runnable;

import io.tracewire.core.internal.Runs;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunType;
import io.tracewire.core.internal.Addable;
import io.tracewire.core.util.Frozen;
import io.tracewire.core.internal.RunNode;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * Tries runnables in order until one succeeds (a {@code chain} run named
 * {@code RunnableWithFallbacks}; each attempt is a child run). If all fail, the first failure is
 * thrown with the others suppressed. Streamed, an attempt counts as succeeded once its first
 * chunk arrives; a failure after that propagates.
 */
final class RunnableWithFallbacks<I, O> extends Runnable<I, O> {
  private final List<Runnable<I, O>> all;

  RunnableWithFallbacks(List<Runnable<I, O>> all, String name) {
    super(name);
    this.all = List.copyOf(all);
  }

  @Override
  protected String defaultName() {
    return "RunnableWithFallbacks";
  }

  @Override
  public O invoke(I input, RunConfig config) {
    return Runs.call(input, config, Runs.spec(RunType.CHAIN, name()), (in, child, node) -> {
      RuntimeException first = null;
      for (Runnable<I, O> r : all) {
        try {
          return r.invoke(in, child);
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
      throw first;
    });
  }

  @Override
  public CloseableIterator<O> stream(I input, RunConfig config) {
    RunConfig c = Runs.ensure(config);
    return new CloseableIterator<O>() {
      private RunNode node;
      private CloseableIterator<O> it;
      private final Addable.Aggregator agg = new Addable.Aggregator();
      private boolean done;

      @Override
      public boolean hasNext() {
        if (done) {
          return false;
        }
        try {
          if (node == null) {
            node = RunNode.start(c, Runs.spec(RunType.CHAIN, name()), Frozen.of1("input", input), input);
            RunConfig child = Runs.child(c, node, null);
            RuntimeException first = null;
            for (Runnable<I, O> r : all) {
              CloseableIterator<O> s = r.stream(input, child);
              try {
                s.hasNext();
                it = s;
                break;
              } catch (RuntimeException e) {
                s.close();
                if (first == null) {
                  first = e;
                } else {
                  first.addSuppressed(e);
                }
              }
            }
            if (it == null) {
              throw first;
            }
          }
          if (it.hasNext()) {
            return true;
          }
          done = true;
          node.endChain(agg.value(), null, false);
          return false;
        } catch (RuntimeException e) {
          done = true;
          if (node != null) {
            node.error(e, Frozen.of2("error", e, "input", input));
          }
          throw e;
        }
      }

      @Override
      public O next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        O o = it.next();
        agg.add(o);
        return o;
      }

      @Override
      public void close() {
        if (!done && node != null) {
          node.cancel();
        }
        done = true;
        if (it != null) {
          it.close();
        }
      }
    };
  }
}
