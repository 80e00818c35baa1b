package io.tracewire.exporters.otel;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.autoconfigure.ResourceConfiguration;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.sink.EventKind;
import io.tracewire.core.sink.EventSink;
import io.tracewire.exporters.jsonl.TraceLinks;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An {@link EventSink} that sends Tracewire events as OpenTelemetry log records (events) over
 * OTLP, http/protobuf or gRPC. Install it like the JSONL sink, through
 * {@code Tracewire.builder().sink(sink, SinkConfig.named("otlp-logs"))} or an {@code EventBus},
 * so that it gets the bus's bounded queue, overflow policy, drop counters and flush on close:
 *
 * <pre>{@code
 * OtelBridge bridge = OtelBridge.builder().build();
 * OtlpLogSink logs = OtlpLogSink.builder().endpoint("http://collector:4318").bridge(bridge).build();
 * try (Tracewire tw = Tracewire.builder().listener(bridge)
 *     .sink(logs, SinkConfig.named("otlp-logs")).install()) {
 *   chain.invoke(input);
 * }
 * }</pre>
 *
 * <p><b>Mapping.</b> Each selected event ({@link Builder#events}, stream chunks sampled by
 * {@link Builder#chunkFidelity}) becomes one record: a finished or failed model call is the GenAI
 * event {@code gen_ai.client.inference.operation.details}, every other event is named
 * {@code tracewire.<event>} (e.g. {@code tracewire.on_tool_start}); the run's identity, parents,
 * tags and metadata are attributes, and the record carries the trace and span id of its run's
 * span when a bridge or trace-link lookup knows it ({@link Builder#bridge},
 * {@link Builder#traceLinks}). Content (messages, inputs, outputs, tool arguments and results,
 * chunk text, custom event payloads, exception messages) is recorded only with
 * {@link Builder#captureContent}, redacted and size-limited like the bridge's. The full table is
 * in {@code docs/otlp-logs.md}.
 *
 * <p><b>Batching.</b> The bus already hands the sink batches (up to {@code SinkConfig.maxBatch})
 * from its own bounded queue on its own thread, so the sink calls the OTLP
 * {@link LogRecordExporter} directly, one export call per batch, and waits for it: there is no
 * second queue (an SDK {@code BatchLogRecordProcessor} would add one, with its own silent drops),
 * at most one request is in flight, and a slow or unreachable collector holds the sink's worker,
 * fills the bus queue and makes the bus apply its overflow policy, where every drop is counted.
 * With the default {@code DROP_NEWEST} policy the application never waits for the collector.
 *
 * <p><b>Errors.</b> A failed export (after the exporter's retries, see
 * {@link Builder#exportRetry}) fails the batch: its records are counted in
 * {@link OtlpLogStats#failed()}, and {@link #export} throws, so the bus counts the batch's events
 * as failed and logs the first failure; nothing reaches the application. An event that cannot be
 * mapped is skipped and counted. Header values never appear in exceptions or logs.
 *
 * <p><b>Ordering.</b> Records are exported in the order the bus delivers the events (for one run,
 * the order the run produced them), one batch after the other; the only exception is the last
 * chunk held by {@link ChunkFidelity#FIRST_AND_LAST}, sent just before its run's terminal record.
 *
 * <p>Threading: {@link #export}, {@link #flush} and {@link #close} are called by the bus's single
 * worker thread for this sink (the sink keeps per-run stream state without locks); {@link #stats()}
 * may be called from any thread. One sink instance belongs to one bus.
 */
public final class OtlpLogSink implements EventSink {
  private static final Logger LOG = Logger.getLogger(OtlpLogSink.class.getName());

  /** A conventional sink name for {@code SinkConfig.named}. */
  public static final String DEFAULT_NAME = "otlp-logs";
  /** The longest wait for one export call by default ({@link Builder#maxExportWait}): {@value} seconds. */
  public static final long DEFAULT_MAX_EXPORT_WAIT_SECONDS = 60;
  /** Runs whose stream state the sink keeps at most by default ({@link Builder#maxTrackedRuns}): {@value}. */
  public static final int DEFAULT_MAX_TRACKED_RUNS = 10_000;
  /** The events recorded by default: everything but stream chunks. */
  public static final Set<LogEventKind> DEFAULT_EVENTS = Set.copyOf(EnumSet.complementOf(EnumSet.of(LogEventKind.STREAM)));

  private final LogRecordExporter exporter;
  private final Resource resource;
  private final InstrumentationScopeInfo scope = InstrumentationScopeInfo.create(OtelBridge.INSTRUMENTATION_SCOPE);
  private final boolean[] selected = new boolean[LogEventKind.values().length];
  private final ChunkFidelity fidelity;
  private final LogRecords mapping;
  private final Function<String, SpanContext> links;
  private final long maxWaitMillis;
  private final Clock clock = Clock.getDefault();
  private final LinkedHashMap<String, LogRecords.RunTrack> runs;

  private List<LogRecordData> scratch = new ArrayList<>();
  private boolean mappingErrorLogged;
  private boolean closed;

  private final AtomicLong events = new AtomicLong();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong exported = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong exportCalls = new AtomicLong();
  private final AtomicLong failedCalls = new AtomicLong();
  private final AtomicLong mappingErrors = new AtomicLong();

  private final Set<EventKind> accepted;

  private OtlpLogSink(Builder b) {
    if (b.exporter != null) {
      this.exporter = b.exporter;
    } else {
      this.exporter = b.transport.create(b);
      ExportFailures.quietSdkExporterLogs();
    }
    this.resource = b.resource != null ? b.resource : resource(b);
    EnumSet<EventKind> kinds = EnumSet.noneOf(EventKind.class);
    for (LogEventKind k : b.events) {
      selected[k.ordinal()] = true;
      kinds.add(EventKind.valueOf(k.name()));
    }
    if (kinds.contains(EventKind.STREAM)) {
      // the time to first chunk is measured from the run's start
      kinds.add(EventKind.START);
    }
    this.accepted = Set.copyOf(kinds);
    this.fidelity = b.chunkFidelity;
    this.mapping = new LogRecords(b.captureContent, new ContentCapture(b.maxContentLength, b.redactor),
        selected[LogEventKind.STREAM.ordinal()]);
    this.links = b.links;
    this.maxWaitMillis = b.maxExportWait.toMillis();
    int maxRuns = b.maxTrackedRuns;
    this.runs = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, LogRecords.RunTrack> eldest) {
        if (size() > maxRuns) {
          if (eldest.getValue().held != null) {
            skipped.incrementAndGet();
          }
          return true;
        }
        return false;
      }
    };
  }

  private static Resource resource(Builder b) {
    Resource r = Resource.getDefault().merge(ResourceConfiguration.createEnvironmentResource());
    String service = r.getAttribute(AttributeKey.stringKey("service.name"));
    if (b.serviceName != null) {
      service = b.serviceName;
    } else if (service == null || service.startsWith("unknown_service")) {
      service = b.fallbackServiceName != null ? b.fallbackServiceName : OtelBridge.DEFAULT_SERVICE_NAME;
    }
    var attrs = Attributes.builder().put("service.name", service);
    b.resourceAttributes.forEach(attrs::put);
    return r.merge(Resource.create(attrs.build()));
  }

  /** A builder; without {@link Builder#exporter} the sink builds an OTLP exporter from its settings and {@code OTEL_*}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The resource every record names. */
  public Resource resource() {
    return resource;
  }

  /**
   * The event kinds the bus queues for this sink: the selected {@link Builder#events} (and start
   * events when stream chunks are selected: the time to first chunk is measured from them). Stream chunks are not among them unless
   * {@link LogEventKind#STREAM} is selected, so with the default selection chunk traffic never
   * fills the sink's queue nor makes it drop a start, end or custom event.
   */
  @Override
  public Set<EventKind> acceptedKinds() {
    return accepted;
  }

  /** A snapshot of the sink's counters. Thread-safe. */
  public OtlpLogStats stats() {
    return new OtlpLogStats(events.get(), records.get(), exported.get(), failed.get(), skipped.get(),
        exportCalls.get(), failedCalls.get(), mappingErrors.get());
  }

  @Override
  public void export(List<StreamEvent> batch) throws IOException {
    events.addAndGet(batch.size());
    List<LogRecordData> out = scratch;
    out.clear();
    if (closed) {
      skipped.addAndGet(batch.size());
      return;
    }
    long observed = clock.now();
    for (StreamEvent e : batch) {
      int before = out.size();
      try {
        handle(e, out, observed);
      } catch (RuntimeException | StackOverflowError ex) {
        while (out.size() > before) {
          out.remove(out.size() - 1);
        }
        mappingErrors.incrementAndGet();
        skipped.incrementAndGet();
        if (!mappingErrorLogged) {
          mappingErrorLogged = true;
          LOG.log(Level.WARNING, "OTLP log sink could not map a " + e.event() + " event; skipped (further ones are "
              + "counted in OtlpLogSink.stats().mappingErrors, not logged)", ex);
        }
      }
    }
    if (!out.isEmpty()) {
      send(out);
    }
  }

  /** Adds the records of one event (none, one, or a held last chunk and the event's own). */
  private void handle(StreamEvent e, List<LogRecordData> out, long observed) {
    LogEventKind kind = LogEventKind.of(e.event());
    if (kind == null) {
      skipped.incrementAndGet();
      return;
    }
    switch (kind) {
      case START -> {
        var type = e.runType();
        if (type != null && GenAiMapping.isModel(type)) {
          LogRecords.RunTrack t = new LogRecords.RunTrack();
          t.startNanos = e.timestampNanos();
          runs.put(e.runId(), t);
        }
        emitOrSkip(e, kind, -1, null, out, observed);
      }
      case STREAM -> {
        LogRecords.RunTrack t = runs.get(e.runId());
        if (t == null) {
          t = new LogRecords.RunTrack();
          runs.put(e.runId(), t);
        }
        long index = t.chunks++;
        if (index == 0) {
          t.firstChunkNanos = e.timestampNanos();
        }
        if (!selected[LogEventKind.STREAM.ordinal()]) {
          skipped.incrementAndGet();
        } else if (fidelity.recordsOnArrival(index)) {
          out.add(record(e, kind, index, null, observed));
        } else if (fidelity.mode() == ChunkFidelity.Mode.FIRST_AND_LAST) {
          if (t.held != null) {
            skipped.incrementAndGet();
          }
          t.held = e;
          t.heldIndex = index;
        } else {
          skipped.incrementAndGet();
        }
      }
      case END, ERROR, CANCEL -> {
        LogRecords.RunTrack t = runs.remove(e.runId());
        if (t != null && t.held != null) {
          StreamEvent last = t.held;
          t.held = null;
          out.add(record(last, LogEventKind.STREAM, t.heldIndex, null, observed));
        }
        emitOrSkip(e, kind, -1, t, out, observed);
      }
      case CUSTOM -> emitOrSkip(e, kind, -1, null, out, observed);
    }
  }

  private void emitOrSkip(StreamEvent e, LogEventKind kind, long index, LogRecords.RunTrack t, List<LogRecordData> out,
      long observed) {
    if (selected[kind.ordinal()]) {
      out.add(record(e, kind, index, t, observed));
    } else {
      skipped.incrementAndGet();
    }
  }

  private LogRecordData record(StreamEvent e, LogEventKind kind, long index, LogRecords.RunTrack t, long observed) {
    return mapping.map(e, kind, index, t, spanOf(e.runId()), resource, scope, observed);
  }

  private SpanContext spanOf(String runId) {
    if (links == null) {
      return SpanContext.getInvalid();
    }
    try {
      SpanContext sc = links.apply(runId);
      return sc != null && sc.isValid() ? sc : SpanContext.getInvalid();
    } catch (RuntimeException e) {
      return SpanContext.getInvalid();
    }
  }

  /** One export call for the batch's records; waits for it, so that at most one is in flight. */
  private void send(List<LogRecordData> out) throws IOException {
    int n = out.size();
    records.addAndGet(n);
    exportCalls.incrementAndGet();
    CompletableResultCode result;
    try {
      result = exporter.export(out);
    } catch (RuntimeException e) {
      failed.addAndGet(n);
      failedCalls.incrementAndGet();
      scratch = new ArrayList<>();
      throw new IOException("OTLP log export threw " + e.getClass().getName(), e);
    }
    result.whenComplete(() -> {
      if (result.isSuccess()) {
        exported.addAndGet(n);
      } else {
        failed.addAndGet(n);
        failedCalls.incrementAndGet();
      }
    });
    result.join(maxWaitMillis, TimeUnit.MILLISECONDS);
    if (!result.isDone()) {
      // the exporter may still read the records: leave it the list
      scratch = new ArrayList<>();
      if (Thread.currentThread().isInterrupted()) {
        throw new IOException("OTLP log export of " + n + " records interrupted (sink closing); its outcome is counted when it completes");
      }
      throw new IOException("OTLP log export of " + n + " records still pending after " + maxWaitMillis
          + " ms; its outcome is counted when it completes");
    }
    if (!result.isSuccess()) {
      Throwable cause = result.getFailureThrowable();
      throw new IOException("OTLP log export of " + n + " records failed"
          + (cause != null ? ": " + cause.getClass().getName() : ""), cause);
    }
  }

  @Override
  public void flush() {
    if (!closed) {
      exporter.flush().join(maxWaitMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** Shuts the exporter down (waiting at most {@value OtelBridge#CLOSE_TIMEOUT_SECONDS} s); last chunks still held are counted as skipped. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (LogRecords.RunTrack t : runs.values()) {
      if (t.held != null) {
        skipped.incrementAndGet();
      }
    }
    runs.clear();
    exporter.shutdown().join(OtelBridge.CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** Configures an {@link OtlpLogSink}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    OtlpProtocol protocol;
    String endpoint;
    final Map<String, String> headers = new LinkedHashMap<>();
    Duration exportTimeout;
    RetryPolicy retryPolicy;
    boolean retryPolicySet;
    String serviceName;
    String fallbackServiceName;
    final Map<String, String> resourceAttributes = new LinkedHashMap<>();
    Resource resource;
    LogRecordExporter exporter;
    Set<LogEventKind> events = DEFAULT_EVENTS;
    ChunkFidelity chunkFidelity = ChunkFidelity.ALL;
    boolean captureContent;
    int maxContentLength = OtelBridge.DEFAULT_MAX_CONTENT_LENGTH;
    ContentRedactor redactor = ContentRedactor.NONE;
    Function<String, SpanContext> links;
    Duration maxExportWait = Duration.ofSeconds(DEFAULT_MAX_EXPORT_WAIT_SECONDS);
    int maxTrackedRuns = DEFAULT_MAX_TRACKED_RUNS;
    OtlpLogTransport transport = OtlpLogTransport.system();
    private boolean transportSet;

    private Builder() {}

    /**
     * The collector: for http/protobuf a base URL ({@code http://host:4318}, which gets
     * {@code /v1/logs}) or a full URL; for gRPC {@code http://host:4317}. Default: the
     * {@code OTEL_EXPORTER_OTLP_LOGS_ENDPOINT} / {@code OTEL_EXPORTER_OTLP_ENDPOINT} variables, else
     * localhost.
     *
     * @throws IllegalArgumentException if it is not an http(s) URL with a host, or has user info, a
     *     query or a fragment (credentials go in {@link #header}); the message shows the endpoint
     *     {@linkplain OtlpEndpoints#redact redacted}
     */
    public Builder endpoint(String endpoint) {
      this.endpoint = OtlpEndpoints.check(requireNonNull(endpoint, "endpoint"), "endpoint");
      transportSet = true;
      return this;
    }

    /**
     * The transport. When not set: {@code OTEL_EXPORTER_OTLP_LOGS_PROTOCOL}, then
     * {@code OTEL_EXPORTER_OTLP_PROTOCOL} (or their {@code otel.*} system properties), then
     * http/protobuf. gRPC needs a gRPC sender on the class path, e.g.
     * {@code io.opentelemetry:opentelemetry-exporter-sender-okhttp}; without one {@link #build()} throws.
     */
    public Builder protocol(OtlpProtocol protocol) {
      this.protocol = requireNonNull(protocol, "protocol");
      transportSet = true;
      return this;
    }

    /** A header sent with every export request (e.g. an API key); added to {@code OTEL_EXPORTER_OTLP_HEADERS}. */
    public Builder header(String name, String value) {
      headers.put(requireNonNull(name, "name"), requireNonNull(value, "value"));
      transportSet = true;
      return this;
    }

    /** The timeout of one export request (default: {@code OTEL_EXPORTER_OTLP_TIMEOUT}, else 10 s). */
    public Builder exportTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.exportTimeout = timeout;
      transportSet = true;
      return this;
    }

    /** The exporter's retry policy for transient failures; {@code null} for no retries (default: the exporter's). */
    public Builder exportRetry(RetryPolicy retryPolicy) {
      this.retryPolicy = retryPolicy;
      this.retryPolicySet = true;
      transportSet = true;
      return this;
    }

    /**
     * {@code service.name} of the resource (default: {@code OTEL_SERVICE_NAME}, else
     * {@code service.name} in {@code OTEL_RESOURCE_ATTRIBUTES}, else {@link #fallbackServiceName},
     * else {@value OtelBridge#DEFAULT_SERVICE_NAME}).
     */
    public Builder serviceName(String serviceName) {
      this.serviceName = requireNonNull(serviceName, "serviceName");
      return this;
    }

    /** The {@code service.name} when the {@code OTEL_*} settings give none (see {@link #serviceName}). */
    public Builder fallbackServiceName(String serviceName) {
      requireNonNull(serviceName, "serviceName");
      if (serviceName.isBlank()) {
        throw new IllegalArgumentException("serviceName must not be blank");
      }
      this.fallbackServiceName = serviceName;
      return this;
    }

    /** An attribute of the resource, added to {@code OTEL_RESOURCE_ATTRIBUTES}. */
    public Builder resourceAttribute(String key, String value) {
      resourceAttributes.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /** The resource to use as it is (for example the application SDK's), instead of building one. */
    public Builder resource(Resource resource) {
      this.resource = requireNonNull(resource, "resource");
      return this;
    }

    /**
     * Sends the records to this exporter instead of an OTLP one (an in-memory exporter, a
     * composite). The sink calls it from its worker thread only and shuts it down on close.
     */
    public Builder exporter(LogRecordExporter exporter) {
      this.exporter = requireNonNull(exporter, "exporter");
      return this;
    }

    /** Which events become records (default {@link #DEFAULT_EVENTS}: everything but stream chunks). */
    public Builder events(Set<LogEventKind> kinds) {
      requireNonNull(kinds, "kinds");
      this.events = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
      return this;
    }

    /** {@link #events(Set)} with these kinds. */
    public Builder events(LogEventKind first, LogEventKind... more) {
      EnumSet<LogEventKind> s = EnumSet.of(requireNonNull(first, "first"), more);
      return events(s);
    }

    /**
     * Which stream chunks of a run become records when {@link LogEventKind#STREAM} is selected
     * (default {@link ChunkFidelity#ALL}). {@link ChunkFidelity#FIRST_AND_LAST} holds each run's
     * latest chunk until the run ends, then sends it before the run's end record.
     */
    public Builder chunkFidelity(ChunkFidelity fidelity) {
      this.chunkFidelity = requireNonNull(fidelity, "fidelity");
      return this;
    }

    /** Whether messages, inputs, outputs, tool arguments, chunk text, custom payloads and exception messages are recorded (default false). */
    public Builder captureContent(boolean enabled) {
      this.captureContent = enabled;
      return this;
    }

    /** The longest content or metadata string recorded, in chars (default {@value OtelBridge#DEFAULT_MAX_CONTENT_LENGTH}). */
    public Builder maxContentLength(int chars) {
      this.maxContentLength = ContentCapture.checkMaxLength(chars);
      return this;
    }

    /** The redaction hook for content and metadata strings (default: none); it runs on the sink's worker. */
    public Builder redactor(ContentRedactor redactor) {
      this.redactor = requireNonNull(redactor, "redactor");
      return this;
    }

    /**
     * Puts the trace and span id of each run's span on its records, from the bridge's cross-link
     * lookup ({@link OtelBridge#traceLinks()}, which this turns on, and
     * {@link OtelBridge#spanContextOf}, which keeps the span's trace flags). Install the bridge
     * before the sink's bus. A run that ended more than the bridge's
     * {@code recentlyEndedCapacity} runs before the sink handles its events gets no ids.
     */
    public Builder bridge(OtelBridge bridge) {
      requireNonNull(bridge, "bridge");
      bridge.traceLinks();
      this.links = bridge::spanContextOf;
      return this;
    }

    /** As {@link #bridge}, from any trace-link lookup (the trace flags are then "sampled"). */
    public Builder traceLinks(TraceLinks traceLinks) {
      requireNonNull(traceLinks, "traceLinks");
      this.links = runId -> {
        TraceLinks.Link l = traceLinks.find(runId);
        return l == null ? null : SpanContext.create(l.traceId(), l.spanId(), TraceFlags.getSampled(), TraceState.getDefault());
      };
      return this;
    }

    /**
     * The longest the worker waits for one export call (default
     * {@value #DEFAULT_MAX_EXPORT_WAIT_SECONDS} s); an export still running then fails the batch
     * for the bus, and its records are counted as exported or failed when it completes.
     */
    public Builder maxExportWait(Duration wait) {
      requireNonNull(wait, "wait");
      if (wait.isNegative() || wait.isZero()) {
        throw new IllegalArgumentException("wait must be positive: " + wait);
      }
      this.maxExportWait = wait;
      return this;
    }

    /**
     * The most runs whose stream state (chunk count, held last chunk) the sink keeps (default
     * {@value #DEFAULT_MAX_TRACKED_RUNS}); beyond it the oldest is forgotten (a held chunk is then skipped).
     */
    public Builder maxTrackedRuns(int runs) {
      if (runs < 1) {
        throw new IllegalArgumentException("maxTrackedRuns must be >= 1, got " + runs);
      }
      this.maxTrackedRuns = runs;
      return this;
    }

    /** For tests: where {@code OTEL_*} variables and {@code otel.*} properties are read. */
    Builder transport(OtlpLogTransport transport) {
      this.transport = requireNonNull(transport, "transport");
      return this;
    }

    /**
     * Builds the sink and its exporter (no connection is made yet).
     *
     * @throws IllegalStateException if both {@link #exporter} and transport settings were given, or
     *     gRPC was chosen without a gRPC sender on the class path
     * @throws IllegalArgumentException if an {@code OTEL_*} setting has an unsupported value
     */
    public OtlpLogSink build() {
      if (exporter != null && transportSet) {
        throw new IllegalStateException("exporter(...) replaces the OTLP exporter; the transport settings "
            + "(endpoint, protocol, header, exportTimeout, exportRetry) do not apply to it");
      }
      return new OtlpLogSink(this);
    }
  }
}
