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
    // a sanity check only (the wall clock may be slewed after the base is read): base() below is exact
    assertThat(ours).isBetween(before - 5_000_000L, after + 5_000_000L);
  }

  @Test
  void theBaseKeepsTheWallClocksNanosecondsAndSkipsAReadInterruptedByPreemption() {
    // nanoTime readings: the first try is preempted for 15 ms between the wall clock and nanoTime
    long[] nanos = {1_000L, 15_001_000L, 20_000_000L, 20_002_000L};
    int[] n = {0};
    Instant[] walls = {Instant.ofEpochSecond(1_800_000_000L, 123_456_789L), Instant.ofEpochSecond(1_800_000_000L, 142_457_789L)};
    int[] w = {0};
    long[] base = Clock.base(() -> nanos[n[0]++], () -> walls[w[0]++]);
    assertThat(base[0]).as("midpoint of the narrow read").isEqualTo(20_001_000L);
    assertThat(base[1]).as("epoch nanos with the wall clock's precision").isEqualTo(1_800_000_000_142_457_789L);
    assertThat(n[0]).as("a 2 us read is narrow enough to stop").isEqualTo(4);
  }

  @Test
  void timestampsNeverGoBackwards() {
    long a = Clock.nowEpochNanos();
    long b = Clock.nowEpochNanos();
    assertThat(b).isGreaterThanOrEqualTo(a);
  }
}
