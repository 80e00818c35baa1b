package io.tracewire.core.internal;

import java.util.concurrent.atomic.AtomicLong;

/** Event timestamps (epoch nanoseconds from a monotonic source) and the process-wide sequence. */
public final class Clock {
  private Clock() {}

  private static final long BASE_EPOCH_NANOS = System.currentTimeMillis() * 1_000_000L;
  private static final long BASE_NANO = System.nanoTime();
  private static final AtomicLong SEQ = new AtomicLong();

  public static long nowEpochNanos() {
    return BASE_EPOCH_NANOS + (System.nanoTime() - BASE_NANO);
  }

  public static long nextSeq() {
    return SEQ.incrementAndGet();
  }
}
