package io.tracewire.exporters.otel;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The export setup of a standalone bridge: builds the SDK through
 * {@code opentelemetry-sdk-extension-autoconfigure}, so that the standard {@code OTEL_*}
 * environment variables and {@code otel.*} system properties apply. Precedence: explicit builder
 * settings, then {@code OTEL_*}/{@code otel.*}, then Tracewire's defaults (OTLP http/protobuf, no
 * metric or log export). The SDK's own OTLP span exporters do the export: OTLP/HTTP through the
 * JDK HttpClient sender, OTLP/gRPC through OkHttp's sender. Adds export counters. Built once at
 * configuration time (throws there on a bad configuration); the counters are thread-safe.
 *
 * <p>Where spans can be lost, and how each loss is counted: the batch span processor drops spans
 * when its queue is full (or after shutdown) and counts them in its own internal telemetry, which
 * a {@link MetricReader} registered on this SDK's meter provider reads on demand
 * ({@link #dropped()}); an export that fails after the exporter's retries (refused connection,
 * timeout, error status) completes its result as failed, which the exporter wrapper counts per
 * span. The first failure is logged on one line; the SDK exporter's own SEVERE record with a
 * stack trace per failed request is filtered ({@link ExportFailures#quietSdkExporterLogs()}).
 */
final class StandaloneSdk {
  private static final Logger LOG = Logger.getLogger(OtelBridge.class.getName());
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  final OpenTelemetrySdk sdk;
  final AtomicLong ended = new AtomicLong();
  final AtomicLong exported = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong failures = new AtomicLong();
  private final AtomicBoolean warned = new AtomicBoolean();
  private final ProcessorMetrics processorMetrics = new ProcessorMetrics();
  /** Whether {@code otel.metrics.exporter} exports metrics; when not, the bridge records none (no cost). */
  private volatile boolean metricsExported;

  StandaloneSdk(OtelBridge.Builder b) {
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.traces.exporter", "otlp");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    defaults.put("otel.exporter.otlp.protocol", OtlpProtocol.HTTP_PROTOBUF.otelName());

    Map<String, String> explicit = new HashMap<>();
    if (b.protocol != null) {
      explicit.put("otel.exporter.otlp.traces.protocol", b.protocol.otelName());
    }
    if (!b.headers.isEmpty()) {
      StringBuilder sb = new StringBuilder();
      b.headers.forEach((k, v) -> {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
      });
      explicit.put("otel.exporter.otlp.traces.headers", sb.toString());
    }
    if (b.serviceName != null) {
      explicit.put("otel.service.name", b.serviceName);
    }
    if (b.maxQueueSize != null) {
      explicit.put("otel.bsp.max.queue.size", Integer.toString(b.maxQueueSize));
    }
    if (b.maxExportBatchSize != null) {
      explicit.put("otel.bsp.max.export.batch.size", Integer.toString(b.maxExportBatchSize));
    }
    if (b.scheduleDelay != null) {
      explicit.put("otel.bsp.schedule.delay", Long.toString(b.scheduleDelay.toMillis()));
    }
    if (b.exportTimeout != null) {
      explicit.put("otel.exporter.otlp.traces.timeout", Long.toString(b.exportTimeout.toMillis()));
      explicit.put("otel.bsp.export.timeout", Long.toString(b.exportTimeout.toMillis()));
    }
    Map<String, String> resourceAttributes = Map.copyOf(b.resourceAttributes);
    String fallbackServiceName = b.fallbackServiceName != null ? b.fallbackServiceName : OtelBridge.DEFAULT_SERVICE_NAME;
    boolean setRetry = b.retryPolicySet;
    String endpoint = b.endpoint;
    OtlpProtocol protocol = b.protocol;
    RetryPolicy retry = b.retryPolicy;

    this.sdk = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> defaults)
        .addPropertiesCustomizer(config -> {
          if (endpoint == null) {
            // the SDK's own message for a bad endpoint repeats its query (an api key, often): check first
            String traces = config.getString("otel.exporter.otlp.traces.endpoint");
            if (traces != null && !traces.isBlank()) {
              OtlpEndpoints.check(traces.trim(), "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (otel.exporter.otlp.traces.endpoint)");
            } else {
              String general = config.getString("otel.exporter.otlp.endpoint");
              if (general != null && !general.isBlank()) {
                OtlpEndpoints.check(general.trim(), "OTEL_EXPORTER_OTLP_ENDPOINT (otel.exporter.otlp.endpoint)");
              }
            }
            return explicit;
          }
          // the endpoint's form depends on the transport, which OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL may choose
          Map<String, String> withEndpoint = new HashMap<>(explicit);
          withEndpoint.put("otel.exporter.otlp.traces.endpoint", tracesEndpoint(endpoint, protocol != null ? protocol
              : OtlpProtocol.configured(config.getString("otel.exporter.otlp.traces.protocol",
                  config.getString("otel.exporter.otlp.protocol")))));
          return withEndpoint;
        })
        .setComponentLoader(JdkHttpSenderFirst.create())
        .addResourceCustomizer((resource, config) -> {
          var attrs = io.opentelemetry.api.common.Attributes.builder();
          // OpenTelemetry's precedence: otel.service.name, then service.name in otel.resource.attributes,
          // then ours (the builder's fallback, else DEFAULT_SERVICE_NAME)
          if (config.getString("otel.service.name") == null
              && !config.getMap("otel.resource.attributes").containsKey("service.name")) {
            attrs.put(SERVICE_NAME, fallbackServiceName);
          }
          resourceAttributes.forEach(attrs::put);
          return resource.merge(Resource.create(attrs.build()));
        })
        .addSpanExporterCustomizer((exporter, config) -> new CountingExporter(setRetry ? withRetry(exporter, retry) : exporter))
        .addTracerProviderCustomizer((builder, config) -> builder.addSpanProcessor(new EndCounter()))
        .addMeterProviderCustomizer((builder, config) -> {
          String exporters = config.getString("otel.metrics.exporter", "none").trim();
          metricsExported = !exporters.isEmpty() && !exporters.equals("none");
          // the batch span processor reports its drops through this provider (autoconfigure passes it on)
          return builder.registerMetricReader(processorMetrics);
        })
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
    ExportFailures.quietSdkExporterLogs();
  }

  /** Where the bridge records its GenAI metrics: the SDK's, or nowhere when no metric exporter is configured. */
  MeterProvider bridgeMeters() {
    return metricsExported ? sdk.getMeterProvider() : MeterProvider.noop();
  }

  /** Spans the batch span processor dropped (queue full, or ended after shutdown), from its own counters. */
  long dropped() {
    return processorMetrics.droppedSpans();
  }

  /** Flushes, then shuts down the SDK, waiting at most {@code timeoutSeconds} for each. May block. */
  void shutdown(int timeoutSeconds) {
    sdk.getSdkTracerProvider().forceFlush().join(timeoutSeconds, TimeUnit.SECONDS);
    sdk.shutdown().join(timeoutSeconds, TimeUnit.SECONDS);
  }

  /** For http/protobuf a base URL without a path gets {@code /v1/traces}. */
  static String tracesEndpoint(String endpoint, OtlpProtocol protocol) {
    if (protocol == OtlpProtocol.GRPC) {
      return endpoint;
    }
    URI uri = URI.create(endpoint);
    String path = uri.getPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return endpoint.replaceAll("/+$", "") + "/v1/traces";
    }
    return endpoint;
  }

  private static SpanExporter withRetry(SpanExporter exporter, RetryPolicy retry) {
    SpanExporter configured;
    if (exporter instanceof OtlpHttpSpanExporter http) {
      configured = http.toBuilder().setRetryPolicy(retry).build();
    } else if (exporter instanceof OtlpGrpcSpanExporter grpc) {
      configured = grpc.toBuilder().setRetryPolicy(retry).build();
    } else {
      return exporter;
    }
    exporter.shutdown();
    return configured;
  }

  /** Counts spans handed to export (sampled spans that ended). */
  private final class EndCounter implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      if (span.getSpanContext().isSampled()) {
        ended.incrementAndGet();
      }
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }

  /** Counts exported and failed spans; the first failure is logged at WARNING, later ones at FINE. */
  private final class CountingExporter implements SpanExporter {
    private final SpanExporter delegate;

    CountingExporter(SpanExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      int n = spans.size();
      CompletableResultCode result;
      try {
        result = delegate.export(spans);
      } catch (RuntimeException e) {
        countFailure(n, e);
        return CompletableResultCode.ofFailure();
      }
      result.whenComplete(() -> {
        if (result.isSuccess()) {
          exported.addAndGet(n);
        } else {
          countFailure(n, result.getFailureThrowable());
        }
      });
      return result;
    }

    private void countFailure(int n, Throwable cause) {
      failed.addAndGet(n);
      long count = failures.incrementAndGet();
      Level level = warned.compareAndSet(false, true) ? Level.WARNING : Level.FINE;
      if (LOG.isLoggable(level)) {
        ExportFailures.log(LOG, level, "Tracewire OTLP span export failed after retries; " + n + " span(s) lost "
            + "(failed exports so far: " + count + "; further failures are counted in OtelBridge.stats().spansFailed "
            + "and logged at FINE)", cause);
      }
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }

    @Override
    public String toString() {
      return "CountingExporter{" + delegate + "}";
    }
  }

  /**
   * Reads the SDK's internal telemetry of its batch span processor when asked (a pull reader, like
   * a Prometheus endpoint): the legacy counter {@code processedSpans} with {@code dropped=true},
   * or, with the SDK's semantic-convention telemetry, {@code otel.sdk.processor.span.processed}
   * with an {@code error.type}. Only counters are aggregated; every other instrument of the SDK's
   * meter provider is dropped for this reader, so it costs nothing on the span path.
   */
  private static final class ProcessorMetrics implements MetricReader {
    static final String LEGACY_PROCESSED = "processedSpans";
    static final String SEMCONV_PROCESSED = "otel.sdk.processor.span.processed";
    static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private volatile CollectionRegistration registration = CollectionRegistration.noop();

    @Override
    public void register(CollectionRegistration registration) {
      this.registration = registration;
    }

    @Override
    public Aggregation getDefaultAggregation(InstrumentType type) {
      return type == InstrumentType.COUNTER ? Aggregation.sum() : Aggregation.drop();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return AggregationTemporality.CUMULATIVE;
    }

    long droppedSpans() {
      long n = 0;
      for (MetricData m : registration.collectAllMetrics()) {
        boolean legacy = m.getName().equals(LEGACY_PROCESSED);
        if ((!legacy && !m.getName().equals(SEMCONV_PROCESSED)) || m.getType() != MetricDataType.LONG_SUM) {
          continue;
        }
        for (LongPointData p : m.getLongSumData().getPoints()) {
          if (legacy ? Boolean.TRUE.equals(p.getAttributes().get(DROPPED)) : p.getAttributes().get(ERROR_TYPE) != null) {
            n += p.getValue();
          }
        }
      }
      return n;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
