package io.tracewire.adapters;

import java.time.Duration;
import java.util.Objects;

/**
 * How a provider call is retried. A call is retried only before its first chunk was delivered:
 * on 408, 409, 429 and 5xx responses (including Anthropic's 529), on connection failures and on
 * timeouts; a {@code x-should-retry} header overrides the status rule. The wait is the server's
 * {@code retry-after-ms} or {@code retry-after} (seconds or HTTP date) when present, else
 * {@code min(initialBackoff * 2^(attempt-1), maxBackoff)} reduced by up to 25 % random jitter.
 * Immutable.
 *
 * @param maxRetries retries after the first attempt (0 = no retry)
 */
public record Retries(int maxRetries, Duration initialBackoff, Duration maxBackoff) {
  /** The SDK defaults: 2 retries, 0.5 s initial backoff, 8 s cap. */
  public static final Retries DEFAULTS = new Retries(2, Duration.ofMillis(500), Duration.ofSeconds(8));

  /** No retries. */
  public static final Retries NONE = new Retries(0, Duration.ofMillis(500), Duration.ofSeconds(8));

  public Retries {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
  }
}
