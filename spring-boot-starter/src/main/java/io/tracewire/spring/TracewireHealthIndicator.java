package io.tracewire.spring;

import io.tracewire.core.sink.SinkStats;
import io.tracewire.core.Tracewire;
import io.tracewire.exporters.otel.ExportStats;
import io.tracewire.exporters.otel.OtelBridge;
import io.tracewire.exporters.otel.OtlpLogSink;
import io.tracewire.exporters.otel.OtlpLogStats;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of Tracewire's sinks: always {@code UP} (tracing never takes the application down),
 * with each sink's counters as details and {@code "lossy": true} on a sink that has dropped or
 * failed events; likewise {@code otel} (the bridge's spans: lossy once any failed or was dropped)
 * and {@code otelLogs} (the OTLP log sink's records: lossy once any failed). Thread-safe.
 */
final class TracewireHealthIndicator implements HealthIndicator {
  private final Tracewire tracewire;
  private final OtelBridge otel;
  private final OtlpLogSink logs;

  TracewireHealthIndicator(Tracewire tracewire) {
    this(tracewire, null, null);
  }

  TracewireHealthIndicator(Tracewire tracewire, OtelBridge otel, OtlpLogSink logs) {
    this.tracewire = tracewire;
    this.otel = otel;
    this.logs = logs;
  }

  @Override
  public Health health() {
    Health.Builder b = Health.up();
    for (SinkStats s : tracewire.stats()) {
      var m = TracewireEndpoint.sink(s);
      m.put("lossy", s.dropped() > 0 || s.failed() > 0);
      b.withDetail(s.name(), m);
    }
    if (otel != null) {
      ExportStats st = otel.stats();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("spansEnded", st.spansEnded());
      m.put("spansExported", st.spansExported());
      m.put("spansFailed", st.spansFailed());
      m.put("spansDropped", st.spansDropped());
      m.put("lossy", st.spansLost() > 0);
      b.withDetail("otel", m);
    }
    if (logs != null) {
      OtlpLogStats st = logs.stats();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("records", st.records());
      m.put("exported", st.exported());
      m.put("failed", st.failed());
      m.put("skipped", st.skipped());
      m.put("lossy", st.failed() > 0);
      b.withDetail("otelLogs", m);
    }
    return b.build();
  }
}
