package io.tracewire.spring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tracewire.core.sink.SinkStats;
import io.tracewire.core.Tracewire;
import io.tracewire.exporters.otel.ExportStats;
import io.tracewire.exporters.otel.OtelBridge;
import io.tracewire.exporters.otel.OtlpLogSink;
import io.tracewire.exporters.otel.OtlpLogStats;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters for every sink: the counter {@code tracewire.sink.events} with tags
 * {@code sink} and {@code outcome} ({@code queued}, {@code delivered}, {@code dropped},
 * {@code failed}) and the gauge {@code tracewire.sink.queue.max.depth}; with the OpenTelemetry
 * bridge the counter {@code tracewire.otel.spans} by {@code outcome} ({@code ended},
 * {@code exported}, {@code failed}, {@code dropped}: {@link ExportStats}), and with the OTLP log
 * sink the counter {@code tracewire.otel.log.records} by {@code outcome} ({@code exported},
 * {@code failed}, {@code skipped}: {@link OtlpLogStats}). Values are read from the components'
 * stats when the registry polls. Thread-safe.
 */
final class TracewireMetrics implements MeterBinder {
  private final Tracewire tracewire;
  private final OtelBridge otel;
  private final OtlpLogSink logs;

  TracewireMetrics(Tracewire tracewire) {
    this(tracewire, null, null);
  }

  TracewireMetrics(Tracewire tracewire, OtelBridge otel, OtlpLogSink logs) {
    this.tracewire = tracewire;
    this.otel = otel;
    this.logs = logs;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (SinkStats s : tracewire.stats()) {
      String sink = s.name();
      counter(registry, sink, "queued", SinkStats::queued);
      counter(registry, sink, "delivered", SinkStats::delivered);
      counter(registry, sink, "dropped", SinkStats::dropped);
      counter(registry, sink, "failed", SinkStats::failed);
      Gauge.builder("tracewire.sink.queue.max.depth", tracewire, tw -> read(tw, sink, SinkStats::maxDepth))
          .tag("sink", sink)
          .description("Most events waiting in the sink's queue at once")
          .register(registry);
    }
    if (otel != null) {
      spans(registry, "ended", ExportStats::spansEnded);
      spans(registry, "exported", ExportStats::spansExported);
      spans(registry, "failed", ExportStats::spansFailed);
      spans(registry, "dropped", ExportStats::spansDropped);
    }
    if (logs != null) {
      records(registry, "exported", OtlpLogStats::exported);
      records(registry, "failed", OtlpLogStats::failed);
      records(registry, "skipped", OtlpLogStats::skipped);
    }
  }

  private void spans(MeterRegistry registry, String outcome, ToLongFunction<ExportStats> f) {
    FunctionCounter.builder("tracewire.otel.spans", otel, b -> f.applyAsLong(b.stats()))
        .tag("outcome", outcome)
        .description("Spans of the OpenTelemetry bridge by outcome (standalone SDK only)")
        .register(registry);
  }

  private void records(MeterRegistry registry, String outcome, ToLongFunction<OtlpLogStats> f) {
    FunctionCounter.builder("tracewire.otel.log.records", logs, l -> f.applyAsLong(l.stats()))
        .tag("outcome", outcome)
        .description("Events of the OTLP log sink by outcome: records exported or failed, events skipped")
        .register(registry);
  }

  private void counter(MeterRegistry registry, String sink, String outcome, ToLongFunction<SinkStats> f) {
    FunctionCounter.builder("tracewire.sink.events", tracewire, tw -> read(tw, sink, f))
        .tag("sink", sink)
        .tag("outcome", outcome)
        .description("Events of the sink by outcome")
        .register(registry);
  }

  static double read(Tracewire tw, String sink, ToLongFunction<SinkStats> f) {
    for (SinkStats s : tw.stats()) {
      if (s.name().equals(sink)) {
        return f.applyAsLong(s);
      }
    }
    return Double.NaN;
  }
}
