package io.tracewire.spring;

import io.tracewire.core.sink.SinkStats;
import io.tracewire.core.Tracewire;
import io.tracewire.dashboard.Dashboard;
import io.tracewire.exporters.otel.OtelBridge;
import io.tracewire.exporters.otel.OtlpLogSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code tracewire} actuator endpoint ({@code /actuator/tracewire} once exposed): a snapshot
 * of every sink's counters (queued, delivered, dropped, failed, max depth, capacity), the
 * OpenTelemetry bridge's export counters (ended, exported, failed, dropped spans), the OTLP log
 * sink's counters ({@code otelLogs}) and the dashboard's store counters. Read-only;
 * thread-safe (each read takes fresh snapshots).
 */
@Endpoint(id = "tracewire")
public class TracewireEndpoint {
  private final Tracewire tracewire;
  private final OtelBridge otel;
  private final Dashboard dashboard;
  private final OtlpLogSink logs;

  public TracewireEndpoint(Tracewire tracewire, OtelBridge otel, Dashboard dashboard) {
    this(tracewire, otel, dashboard, null);
  }

  /** With the OTLP log sink, whose counters appear under {@code otelLogs}. */
  public TracewireEndpoint(Tracewire tracewire, OtelBridge otel, Dashboard dashboard, OtlpLogSink logs) {
    this.tracewire = java.util.Objects.requireNonNull(tracewire, "tracewire");
    this.otel = otel;
    this.dashboard = dashboard;
    this.logs = logs;
  }

  @ReadOperation
  public Map<String, Object> stats() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sinks", sinks(tracewire.stats()));
    if (otel != null) {
      out.put("otel", otel.stats());
    }
    if (logs != null) {
      out.put("otelLogs", logs.stats());
    }
    if (dashboard != null) {
      out.put("dashboard", Map.of("uri", dashboard.uri().toString(), "stats", dashboard.stats()));
    }
    return out;
  }

  static List<Map<String, Object>> sinks(List<SinkStats> stats) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SinkStats s : stats) {
      out.add(sink(s));
    }
    return out;
  }

  static Map<String, Object> sink(SinkStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("queued", s.queued());
    m.put("delivered", s.delivered());
    m.put("dropped", s.dropped());
    m.put("failed", s.failed());
    m.put("maxDepth", s.maxDepth());
    m.put("capacity", s.capacity());
    return m;
  }
}
