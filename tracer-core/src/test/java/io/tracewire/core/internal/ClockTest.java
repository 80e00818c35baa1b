package io.tracewire.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Event timestamps are epoch nanoseconds at the wall clock's own precision, not whole milliseconds. */
class ClockTest {
  private static long nanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  @Test
  void timestampsAgreeWithTheSystemClockWithinMicroseconds() {
    Clock.nowEpochNanos(); // initialised (the base is read once)
    long before = nanos(Instant.now());
    long ours = Clock.nowEpochNanos();
    long after = nanos(Instant.now());
    // a base truncated to the millisecond lags the wall clock by up to 1 ms
    assertThat(ours).isBetween(before - 50_000L, after + 50_000L);
  }

  @Test
  void timestampsNeverGoBackwards() {
    long a = Clock.nowEpochNanos();
    long b = Clock.nowEpochNanos();
    assertThat(b).isGreaterThanOrEqualTo(a);
  }
}
