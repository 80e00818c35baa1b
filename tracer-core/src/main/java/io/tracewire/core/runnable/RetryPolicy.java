package io.tracewire.core.runnable;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * When and how {@link Runnable#withRetry} retries: up to {@code maxAttempts} attempts, for
 * failures that {@code retryOn} accepts, waiting an exponential backoff (with full jitter when
 * {@code jitter} is set) between attempts. Immutable.
 */
public record RetryPolicy(int maxAttempts, Predicate<Throwable> retryOn, Duration initialBackoff,
    Duration maxBackoff, double multiplier, boolean jitter) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    Objects.requireNonNull(retryOn, "retryOn");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("multiplier must be >= 1, got " + multiplier);
    }
  }

  /** Up to {@code maxAttempts} attempts on any exception, without waiting. */
  public static RetryPolicy attempts(int maxAttempts) {
    return new RetryPolicy(maxAttempts, t -> t instanceof Exception, Duration.ZERO, Duration.ZERO, 2.0, false);
  }

  /** A copy that retries only failures {@code retryOn} accepts. */
  public RetryPolicy retryingOn(Predicate<Throwable> predicate) {
    return new RetryPolicy(maxAttempts, predicate, initialBackoff, maxBackoff, multiplier, jitter);
  }

  /** A copy with exponential backoff from {@code initial} up to {@code max}, with full jitter. */
  public RetryPolicy withBackoff(Duration initial, Duration max) {
    return new RetryPolicy(maxAttempts, retryOn, initial, max, multiplier, true);
  }

  /** The wait before attempt {@code attempt} (2-based). */
  Duration backoff(int attempt) {
    if (initialBackoff.isZero()) {
      return Duration.ZERO;
    }
    double nanos = initialBackoff.toNanos() * Math.pow(multiplier, attempt - 2);
    long capped = (long) Math.min(nanos, maxBackoff.toNanos());
    return Duration.ofNanos(jitter ? ThreadLocalRandom.current().nextLong(capped + 1) : capped);
  }
}
