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
    long[] base = base(System::nanoTime, Instant::now);
    BASE_NANO = base[0];
    BASE_EPOCH_NANOS = base[1];
  }

  /**
   * {nanoTime, epoch nanos} of one instant. The wall clock is read between two nanoTime calls and
   * the narrowest of up to 16 tries is kept (its nanoTime is the midpoint): a thread preempted
   * between the two reads (a busy machine) would otherwise shift every timestamp of the process by
   * the length of the preemption (15 ms seen on 2 loaded cores).
   */
  static long[] base(java.util.function.LongSupplier nanoTime, java.util.function.Supplier<Instant> wall) {
    long bestGap = Long.MAX_VALUE;
    long bestNano = 0;
    long bestEpoch = 0;
    for (int i = 0; i < 16 && bestGap > 10_000L; i++) {
      long t0 = nanoTime.getAsLong();
      Instant now = wall.get();
      long t1 = nanoTime.getAsLong();
      if (t1 - t0 < bestGap) {
        bestGap = t1 - t0;
        bestNano = t0 + (t1 - t0) / 2;
        bestEpoch = now.getEpochSecond() * 1_000_000_000L + now.getNano();
      }
    }
    return new long[] {bestNano, bestEpoch};
  }

  private static final AtomicLong SEQ = new AtomicLong();

  public static long nowEpochNanos() {
    return BASE_EPOCH_NANOS + (System.nanoTime() - BASE_NANO);
  }

  public static long nextSeq() {
    return SEQ.incrementAndGet();
  }
}
