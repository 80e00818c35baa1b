package io.tracewire.adapters;

import java.time.Duration;
import java.util.Objects;

/**
 * The timeouts of a provider call. {@link Duration#ZERO} disables one. Immutable.
 *
 * @param connect establishing the TCP/TLS connection
 * @param firstByte from sending the request until the response headers arrive
 * @param idle the longest pause between two reads of the streamed body
 * @param total the whole call including reading the stream (OkHttp's call timeout)
 */
public record Timeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {
  /** The SDK defaults: connect 60 s, first byte 600 s, idle 600 s, total 600 s. */
  public static final Timeouts DEFAULTS = new Timeouts(
      Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(10));

  public Timeouts {
    check(connect, "connect");
    check(firstByte, "firstByte");
    check(idle, "idle");
    check(total, "total");
  }

  private static void check(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
  }

  public Timeouts withConnect(Duration d) {
    return new Timeouts(d, firstByte, idle, total);
  }

  public Timeouts withFirstByte(Duration d) {
    return new Timeouts(connect, d, idle, total);
  }

  public Timeouts withIdle(Duration d) {
    return new Timeouts(connect, firstByte, d, total);
  }

  public Timeouts withTotal(Duration d) {
    return new Timeouts(connect, firstByte, idle, d);
  }
}
