package io.tracewire.core.internal;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event timestamps (epoch nanoseconds from a monotonic source) and the process-wide sequence.
 * The epoch base is read once, at the wall clock's own precision ({@link Instant#now()}, that is
 * {@code Clock.systemUTC()}: microseconds or better on common platforms, where
 * {@code System.currentTimeMillis()} would truncate it and put every timestamp up to 1 ms early
 * against other tracers' spans); {@link System#nanoTime()} gives the offset from it, so timestamps
 * never go backwards. Thread-safe; no allocation per call.
 */
public final class Clock {
  private Clock() {}

  private static final long BASE_EPOCH_NANOS;
  private static final long BASE_NANO;

  static {
    Instant now = Instant.now();
    BASE_NANO = System.nanoTime();
    BASE_EPOCH_NANOS = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static final AtomicLong SEQ = new AtomicLong();

  public static long nowEpochNanos() {
    return BASE_EPOCH_NANOS + (System.nanoTime() - BASE_NANO);
  }

  public static long nextSeq() {
    return SEQ.incrementAndGet();
  }
}
