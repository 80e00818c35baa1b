package io.tracewire.core.runnable;

import io.tracewire.core.internal.Runs;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunType;
import io.tracewire.core.internal.Engine;

import java.time.Duration;
import java.util.Iterator;

/**
 * Retries failed invocations of a runnable. On the invoke path it is a {@code chain} run named
 * after the wrapped runnable; every attempt is a child, attempts after the first tagged
 * {@code retry:attempt:<n>}. Streaming is not retried and adds no run (as in LangChain).
 */
final class RunnableRetry<I, O> extends Runnable<I, O> {
  private final Runnable<I, O> bound;
  private final RetryPolicy policy;

  RunnableRetry(Runnable<I, O> bound, RetryPolicy policy) {
    super(null);
    this.bound = bound;
    this.policy = java.util.Objects.requireNonNull(policy, "policy");
  }

  @Override
  protected String defaultName() {
    return bound.name();
  }

  @Override
  public O invoke(I input, RunConfig config) {
    return Runs.call(input, config, Runs.spec(RunType.CHAIN, name()), (in, child, node) -> {
      for (int attempt = 1; ; attempt++) {
        try {
          return bound.invoke(in, attempt == 1 ? child : Runs.child(child, node, "retry:attempt:" + attempt));
        } catch (RuntimeException e) {
          if (attempt >= policy.maxAttempts() || !policy.retryOn().test(e)) {
            throw e;
          }
          Duration wait = policy.backoff(attempt + 1);
          if (!wait.isZero()) {
            try {
              Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
              throw Engine.unchecked(ie);
            }
          }
        }
      }
    });
  }

  @Override
  public CloseableIterator<O> stream(I input, RunConfig config) {
    return bound.stream(input, config);
  }

  @Override
  public CloseableIterator<O> transform(Iterator<? extends I> input, RunConfig config) {
    return bound.transform(input, config);
  }
}
