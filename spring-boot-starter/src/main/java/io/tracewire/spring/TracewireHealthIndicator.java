package io.tracewire.spring;

import io.tracewire.core.sink.SinkStats;
import io.tracewire.core.Tracewire;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of Tracewire's sinks: always {@code UP} (tracing never takes the application down),
 * with each sink's counters as details and {@code "lossy": true} on a sink that has dropped or
 * failed events. Thread-safe.
 */
final class TracewireHealthIndicator implements HealthIndicator {
  private final Tracewire tracewire;

  TracewireHealthIndicator(Tracewire tracewire) {
    this.tracewire = tracewire;
  }

  @Override
  public Health health() {
    Health.Builder b = Health.up();
    for (SinkStats s : tracewire.stats()) {
      var m = TracewireEndpoint.sink(s);
      m.put("lossy", s.dropped() > 0 || s.failed() > 0);
      b.withDetail(s.name(), m);
    }
    return b.build();
  }
}
