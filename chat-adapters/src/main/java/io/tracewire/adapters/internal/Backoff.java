package io.tracewire.adapters.internal;

import io.tracewire.adapters.Retries;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;
import okhttp3.Headers;

/** The retry rules of the official SDKs: what to retry and how long to wait. Pure functions. */
public final class Backoff {
  private Backoff() {}

  /** Whether a failed response may be retried: {@code x-should-retry} wins, else 408, 409, 429, 5xx. */
  public static boolean shouldRetry(int status, Headers headers) {
    String hint = headers.get("x-should-retry");
    if ("true".equalsIgnoreCase(hint)) {
      return true;
    }
    if ("false".equalsIgnoreCase(hint)) {
      return false;
    }
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }

  /** The server's wait hint: {@code retry-after-ms}, then {@code retry-after} (seconds or HTTP date), else {@code null}. */
  public static Duration retryAfter(Headers headers, Instant now) {
    if (headers == null) {
      return null;
    }
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        double v = Double.parseDouble(ms.trim());
        if (v >= 0) {
          return Duration.ofNanos((long) (v * 1_000_000));
        }
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    String ra = headers.get("retry-after");
    if (ra == null) {
      return null;
    }
    try {
      double s = Double.parseDouble(ra.trim());
      return s >= 0 ? Duration.ofNanos((long) (s * 1_000_000_000L)) : null;
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(ra.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(now, at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /**
   * The wait before retry number {@code attempt} (1-based): the server hint when given, else
   * {@code min(initial * 2^(attempt-1), max) * (1 - 0.25 * random)}.
   */
  public static Duration delay(Retries retries, int attempt, Duration serverHint, DoubleSupplier random) {
    if (serverHint != null) {
      return serverHint;
    }
    double base = retries.initialBackoff().toNanos() * Math.pow(2, Math.max(0, attempt - 1));
    double capped = Math.min(base, retries.maxBackoff().toNanos());
    return Duration.ofNanos((long) (capped * (1 - 0.25 * random.getAsDouble())));
  }
}
