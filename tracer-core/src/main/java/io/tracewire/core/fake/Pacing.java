package io.tracewire.core.fake;

import java.time.Duration;
import java.util.concurrent.CancellationException;

/** Sleeps for the fakes' pacing; an interrupt becomes a cancellation. */
final class Pacing {
  private Pacing() {}

  static void sleep(Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      CancellationException c = new CancellationException("interrupted while pacing the fake stream");
      c.initCause(e);
      throw c;
    }
  }
}
