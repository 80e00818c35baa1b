package io.tracewire.exporters.otel;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.RunStateListener;
import io.tracewire.core.event.RunType;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.jsonl.TraceLinks;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Projects Tracewire runs onto OpenTelemetry spans and GenAI metrics: a synchronous
 * {@link RunListener}. Attach it globally or per call
 * ({@code RunConfig.builder().listener(bridge)}); it is inherited by child runs.
 *
 * <p>It is a {@link RunStateListener}: tracer-core keeps each run's span with the run and hands
 * it back with the run's later events ({@link #onRunStart}, {@link #onRunEvent}), so the bridge
 * needs no lookup table on that path. Events delivered through {@link #onEvent} instead (code
 * that forwards events itself) find their run by run id in a concurrent map.
 *
 * <h2>Spans</h2>
 * Every run becomes one span, started at the run's start event and ended exactly once at its
 * end, error ({@code on_<type>_error}: status {@code ERROR}, an {@code exception} event and
 * {@code error.type}) or cancel ({@code on_<type>_cancel}: status unset,
 * {@code tracewire.run.outcome = cancel}) event, with the events' timestamps. {@code
 * tracewire.run.outcome} is set to {@code end} with the start attributes and replaced on error
 * or cancel, so a span processor that reads attributes when a span starts sees {@code end}
 * there. The parent span is
 * the span of the run's immediate parent run ({@code parent_ids}' last entry); a root run's
 * parent is {@link Context#current()} at its start, so a chain invoked inside an application
 * span (an HTTP server span of the OTel Java agent, say) joins that trace. Span names, kinds and
 * attributes follow the GenAI semantic conventions ({@code chat {model}}, {@code
 * text_completion {model}}, {@code execute_tool {tool}}, {@code retrieval {source}},
 * {@code invoke_agent {agent}} for a chain run named by its {@code ls_agent_name} metadata, other
 * runs by run name); run identity goes under {@code tracewire.*}. All names are defined in one
 * mapping table in this package. A retry wrapper ({@code withRetry}) is one span; each attempt
 * is a child span, attempts after the first carrying {@code tracewire.retry.attempt}.
 *
 * <p>With {@link Builder#openInference(boolean) openInference(true)} spans also carry the
 * OpenInference attributes that Arize Phoenix reads ({@code openinference.span.kind},
 * {@code llm.*}, {@code tool.name}, {@code retrieval.documents.*}, and under content capture
 * {@code input.value} / {@code output.value}), from the same mapping table.
 *
 * <h2>Current span</h2>
 * When {@link Builder#makeSpansCurrent} is on (the default) the run's span is made the current
 * OpenTelemetry context on the thread that delivered the start event, from start until end, so
 * spans of instrumented clients called by the run (an HTTP client inside a chat model) nest
 * under it. Guarantees and limits:
 * <ul>
 *   <li>Scopes are closed strictly in the reverse order they were opened on a thread. When runs
 *       started on one thread end out of order (interleaved streaming runs), a run that ends
 *       while a later-started run on that thread is still open keeps its context current until
 *       that later run ends; its span is nonetheless ended at its own end event.
 *   <li>If a run's end arrives on another thread than its start, its span ends there and its
 *       scope is closed the next time the bridge sees an event on the starting thread.
 *   <li>If application code replaced the current context in between without restoring it, the
 *       bridge does not close its scope over it (it leaves the context as it finds it).
 *   <li>A stream that is never consumed to the end nor closed never ends its run, and its span
 *       stays current on that thread; close streams (try-with-resources).
 *   <li>Runs nested more than {@value #MAX_SCOPE_DEPTH} deep on one thread get a span but are
 *       not made current (this bounds the per-thread scope stack).
 * </ul>
 *
 * <h2>Streaming</h2>
 * Stream chunks of model runs set {@code gen_ai.response.time_to_first_chunk} and
 * {@code gen_ai.request.stream}, feed the time-to-first-chunk and time-per-output-chunk
 * histograms, and become span events according to {@link ChunkFidelity}.
 *
 * <h2>Cross-links</h2>
 * {@link #spanContextOf(String)} gives the trace and span id of a run that is open or ended
 * recently, for log lines (JSONL) that link to spans. The run-id lookup behind it costs a
 * concurrent-map insert and removal per run, so it is kept only while cross-links are on:
 * {@link Builder#crossLinks(boolean) crossLinks(true)}, or from the first {@link #traceLinks()}
 * call on (building a JSONL sink with the bridge's links does it); runs that started before
 * stay unknown. Runs delivered through {@link #onEvent} are always registered. The bridge
 * registers a run when it handles
 * the run's start event, so a listener that runs after the bridge for the same event (install
 * the bridge before the event bus: {@code Tracewire.builder().listener(bridge).sink(...)}) always
 * finds it, from the start event to the end event and for the next
 * {@link Builder#recentlyEndedCapacity} run ends after that; an asynchronous sink looking ids up
 * later finds them unless more runs than that ended in between. Every run of one tree has the
 * same trace id.
 *
 * <h2>Threading and errors</h2>
 * The listener methods are called on the run's thread by tracer-core, concurrently for
 * different runs; events of one run arrive in order. They never block (the SDK's batch
 * processor queues and exports on its own thread) and never throw: a failure is logged once
 * and counted. Per-run bookkeeping uses no atomic operation on the default path (counters are
 * per thread). When the collector is down or slow, spans are retried by the exporter, then
 * dropped and counted ({@link #stats()}); memory stays bounded by the batch queue, the
 * recently-ended lookup capacity, {@code maxOpenRuns} for runs tracked by id (see
 * {@link Builder#maxOpenRuns}), and the per-thread scope depth; an open run's span otherwise
 * lives with the run.
 *
 * <h2>Lifecycle</h2>
 * {@link #close()} flushes and shuts down a standalone SDK (and is run by a JVM shutdown hook
 * unless disabled); a reused {@code OpenTelemetry} instance is only flushed if it is an SDK and
 * never shut down: its owner does that. Events after close are ignored.
 */
public final class OtelBridge implements RunStateListener<Object>, AutoCloseable {
  // The facade: it dispatches tracer-core's events and holds the public API. The work is done by
  // SpanBookkeeping (open runs, threads, scopes, cross-links), SpanMapper (names, attributes,
  // events, metrics; the names themselves in GenAiMapping) and StandaloneSdk (the OTLP SDK).
  private static final Logger LOG = Logger.getLogger(OtelBridge.class.getName());

  /** The instrumentation scope name of Tracewire's spans and metrics. */
  public static final String INSTRUMENTATION_SCOPE = "io.tracewire.exporters.otel";
  /** The service name of a standalone bridge when neither the builder nor {@code OTEL_SERVICE_NAME} / {@code OTEL_RESOURCE_ATTRIBUTES} sets one. */
  public static final String DEFAULT_SERVICE_NAME = "tracewire-app";
  /** Default {@link Builder#maxContentLength}: {@value} characters. */
  public static final int DEFAULT_MAX_CONTENT_LENGTH = 16_384;
  /** Default {@link Builder#maxOpenRuns}: {@value}. */
  public static final int DEFAULT_MAX_OPEN_RUNS = 100_000;
  /** Default {@link Builder#recentlyEndedCapacity}: {@value}. */
  public static final int DEFAULT_RECENTLY_ENDED_CAPACITY = 4_096;
  /** Flush and shutdown wait at most this long in {@link #close()}: {@value} seconds. */
  public static final int CLOSE_TIMEOUT_SECONDS = 10;
  /** Runs nested deeper than this on one thread are traced but not made current (bounds the scope stack). */
  static final int MAX_SCOPE_DEPTH = 1024;

  private final OpenTelemetry otel;
  private final StandaloneSdk standalone;
  private final SpanBookkeeping book;
  private final SpanMapper mapper;
  private final AtomicLong failures = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean warnedFailure = new AtomicBoolean();
  private final Thread shutdownHook;

  private OtelBridge(Builder b) {
    this.standalone = b.openTelemetry == null ? new StandaloneSdk(b) : null;
    this.otel = standalone != null ? standalone.sdk : b.openTelemetry;
    this.book = new SpanBookkeeping(b);
    this.mapper = new SpanMapper(otel, standalone != null ? standalone.bridgeMeters() : otel.getMeterProvider(), b);
    if (standalone != null && b.shutdownHook) {
      this.shutdownHook = new Thread(this::shutdownFromHook, "tracewire-otel-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } else {
      this.shutdownHook = null;
    }
  }

  /** A new builder; without {@link Builder#openTelemetry} the bridge builds its own OTLP SDK. */
  public static Builder builder() {
    return new Builder();
  }

  /** The OpenTelemetry instance spans and metrics go to (the reused one, or the standalone SDK). */
  public OpenTelemetry openTelemetry() {
    return otel;
  }

  /**
   * The span context of a run that is open, or that ended among the last
   * {@link Builder#recentlyEndedCapacity} runs; {@link SpanContext#getInvalid()} when unknown
   * (never traced, evicted, or the bridge is not attached to the run). Runs that tracer-core
   * delivers with per-run state (every run the bridge is attached to as a listener) are known
   * only while cross-links are on: from {@link Builder#crossLinks(boolean) crossLinks(true)} or
   * the first {@link #traceLinks()} call on, for runs that start after that. Thread-safe,
   * non-blocking. Use {@code getTraceId()} / {@code getSpanId()} (lowercase hex) for log
   * cross-links.
   */
  public SpanContext spanContextOf(String runId) {
    return book.spanContextOf(runId);
  }

  /**
   * A lookup for the JSONL sink ({@code JsonlFileSink.Builder#traceLinks}) so that log lines carry
   * their span's trace and span ids. Turns cross-links on (see {@link Builder#crossLinks}): call it
   * before the runs to link start, as building the sink does. Install this bridge before the
   * sink's bus so the span exists when a run's events are written; see {@link #spanContextOf} for
   * how long ended runs stay known.
   */
  public TraceLinks traceLinks() {
    book.crossLinks = true;
    return runId -> {
      SpanContext sc = spanContextOf(runId);
      return sc != null && sc.isValid() ? new TraceLinks.Link(sc.getTraceId(), sc.getSpanId()) : null;
    };
  }

  /** A snapshot of the bridge's counters. Thread-safe. */
  public ExportStats stats() {
    StandaloneSdk s = standalone;
    return new ExportStats(book.counts()[0], book.untraced(), s == null ? 0 : s.ended.get(),
        s == null ? 0 : s.exported.get(), s == null ? 0 : s.failed.get(), s == null ? 0 : s.dropped(),
        s == null ? 0 : s.failures.get());
  }

  /** Number of runs whose span is open. */
  public int openRuns() {
    long[] c = book.counts();
    return (int) Math.max(0, c[0] - c[1]);
  }

  /** Number of listener failures caught (mapping errors), each logged once per bridge at WARNING. */
  public long listenerFailures() {
    return failures.get();
  }

  /**
   * Exports everything ended so far (standalone SDK, or a reused instance that is an
   * {@code OpenTelemetrySdk}), waiting at most {@code timeout}. Returns whether the export
   * succeeded. May block: call it from application code, never from a listener.
   */
  public boolean flush(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (!(otel instanceof OpenTelemetrySdk sdk)) {
      return true;
    }
    CompletableResultCode r = sdk.getSdkTracerProvider().forceFlush();
    return r.join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
  }

  /**
   * Stops tracing; flushes and shuts down a standalone SDK (waiting at most
   * {@value #CLOSE_TIMEOUT_SECONDS} s each), or flushes a reused SDK. Idempotent; may block.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or the JVM is exiting
      }
    }
    finishSdk();
  }

  private void shutdownFromHook() {
    if (closed.compareAndSet(false, true)) {
      finishSdk();
    }
  }

  private void finishSdk() {
    if (standalone != null) {
      standalone.shutdown(CLOSE_TIMEOUT_SECONDS);
    } else {
      flush(Duration.ofSeconds(CLOSE_TIMEOUT_SECONDS));
    }
  }

  // ---------------------------------------------------------------- tracer-core entry points

  /**
   * Starts the run's span; tracer-core keeps the returned state with the run. The state is
   * opaque; {@code null} when the run got no span. Never throws.
   */
  @Override
  public Object onRunStart(StreamEvent start, Object parentState) {
    if (closed.get()) {
      return null;
    }
    try {
      RunType type = startType(start.event());
      if (type == null) {
        return null;
      }
      boolean crossLinks = book.crossLinks;
      RunState st = start(type, start, parentState instanceof RunState p ? p : null, book.limitAll || crossLinks);
      if (st != null && crossLinks) {
        book.register(st);
      }
      return st;
    } catch (RuntimeException | LinkageError e) {
      failed(start, e);
      return null;
    }
  }

  /** Handles a later event of a run whose state {@link #onRunStart} returned. Never throws. */
  @Override
  public void onRunEvent(Object state, StreamEvent event) {
    if (!(state instanceof RunState st) || closed.get()) {
      return;
    }
    try {
      later(st, event, true);
    } catch (RuntimeException | LinkageError e) {
      failed(event, e);
    }
  }

  /**
   * The stand-alone path, for events delivered without per-run state (a wrapper or replay calling
   * {@code onEvent} directly): runs are found by run id in a concurrent map. Never throws.
   */
  @Override
  public void onEvent(StreamEvent event) {
    if (closed.get()) {
      return;
    }
    try {
      String ev = event.event();
      if (ev.endsWith("_start") && !ev.equals(StreamEvent.CUSTOM_EVENT)) {
        RunType type = startType(ev);
        if (type != null) {
          startStandalone(type, event);
        }
      } else {
        RunState st = book.run(event.runId());
        if (st != null) {
          later(st, event, false);
        }
      }
    } catch (RuntimeException | LinkageError e) {
      failed(event, e);
    }
  }

  private void failed(StreamEvent event, Throwable e) {
    failures.incrementAndGet();
    if (warnedFailure.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "OtelBridge failed on " + event.event() + "; the run goes on (further failures are counted)", e);
    }
  }

  /** The run type of a start event; a switch for the built-in types (event names are interned constants). */
  private static RunType startType(String ev) {
    switch (ev) {
      case "on_chain_start":
        return RunType.CHAIN;
      case "on_chat_model_start":
        return RunType.CHAT_MODEL;
      case "on_llm_start":
        return RunType.LLM;
      case "on_tool_start":
        return RunType.TOOL;
      case "on_retriever_start":
        return RunType.RETRIEVER;
      case "on_prompt_start":
        return RunType.PROMPT;
      case "on_parser_start":
        return RunType.PARSER;
      default:
        return ev.endsWith("_start") ? RunType.ofEvent(ev) : null;
    }
  }

  /** A stream, custom, end, error or cancel event of a started run. */
  private void later(RunState st, StreamEvent e, boolean stateful) {
    String ev = e.event();
    if (ev.equals(StreamEvent.CUSTOM_EVENT)) {
      if ((int) SpanBookkeeping.DONE.getOpaque(st) == 0) {
        SpanMapper.customEvent(st, e);
      }
      return;
    }
    // event names are on_<run type>_<phase>
    String outcome;
    if (ev.endsWith("_end")) {
      outcome = GenAiMapping.OUTCOME_END;
    } else if (ev.endsWith("_stream")) {
      if (st.model && (int) SpanBookkeeping.DONE.getOpaque(st) == 0) {
        mapper.chunk(st, e);
      }
      return;
    } else if (ev.endsWith("_error")) {
      outcome = GenAiMapping.OUTCOME_ERROR;
    } else if (ev.endsWith("_cancel")) {
      outcome = GenAiMapping.OUTCOME_CANCEL;
    } else {
      return;
    }
    if (stateful) {
      // tracer-core ends a run exactly once and delivers its events in order: no CAS needed
      if ((int) SpanBookkeeping.DONE.get(st) != 0) {
        return;
      }
      SpanBookkeeping.DONE.set(st, 1);
    } else if (!SpanBookkeeping.DONE.compareAndSet(st, 0, 1)) {
      return;
    }
    end(st, e, outcome);
  }

  /** The stand-alone path's start: parent by run id, registration in the run-id lookup. */
  private void startStandalone(RunType type, StreamEvent e) {
    List<String> pids = e.parentIds();
    RunState st = start(type, e, pids.isEmpty() ? null : book.run(pids.get(pids.size() - 1)), true);
    if (st != null && !book.register(st)) {
      // a run id that is still open (tracer-core rejects duplicates; be safe): keep the first span
      book.discardDuplicate(st);
    }
  }

  /**
   * Starts the span of a run (made current when configured), as a child of {@code parentRun}'s
   * span, or of the current context when null; null when {@code limit} and {@code maxOpenRuns}
   * limited spans are open.
   */
  private RunState start(RunType type, StreamEvent e, RunState parentRun, boolean limit) {
    SpanBookkeeping.Local here = book.admit(parentRun, limit);
    if (here == null) {
      return null;
    }
    // after admit: a deferred scope of an ended run is no longer current
    Context parent = parentRun != null ? SpanBookkeeping.parentContext(parentRun) : Context.current();
    RunState st = mapper.start(type, e, parent, here, limit);
    book.makeCurrent(st);
    return st;
  }

  /** Ends the run's span; the caller made sure this happens once per run. */
  private void end(RunState st, StreamEvent e, String outcome) {
    book.ending(st);
    long endNanos = e.timestampNanos();
    try {
      mapper.end(st, e, outcome, endNanos);
    } finally {
      book.ended(st, endNanos);
    }
  }

  // ---------------------------------------------------------------- builder

  /**
   * Configures an {@link OtelBridge}. Either {@link #openTelemetry reuse} an application's
   * OpenTelemetry instance, or let the bridge build a standalone OTLP SDK (the standalone
   * settings below; explicit settings win over {@code OTEL_*} environment variables and
   * {@code otel.*} system properties, which win over the defaults: OTLP http/protobuf to
   * {@code http://localhost:4318/v1/traces}, service name {@value #DEFAULT_SERVICE_NAME}, the
   * SDK's batch processor defaults, no metric or log export). Setters validate at once. Not
   * thread-safe; build once.
   */
  public static final class Builder {
    OpenTelemetry openTelemetry;
    String endpoint;
    OtlpProtocol protocol;
    final Map<String, String> headers = new LinkedHashMap<>();
    String serviceName;
    String fallbackServiceName;
    final Map<String, String> resourceAttributes = new LinkedHashMap<>();
    Integer maxQueueSize;
    Integer maxExportBatchSize;
    Duration scheduleDelay;
    Duration exportTimeout;
    RetryPolicy retryPolicy;
    boolean retryPolicySet;
    boolean shutdownHook = true;
    boolean makeSpansCurrent = true;
    boolean captureContent;
    int maxContentLength = DEFAULT_MAX_CONTENT_LENGTH;
    ContentRedactor redactor = ContentRedactor.NONE;
    ChunkFidelity chunkFidelity = ChunkFidelity.NONE;
    int maxOpenRuns = DEFAULT_MAX_OPEN_RUNS;
    boolean maxOpenRunsSet;
    int recentlyEndedCapacity = DEFAULT_RECENTLY_ENDED_CAPACITY;
    boolean crossLinks;
    boolean openInference;
    private boolean standaloneSet;

    private Builder() {}

    /**
     * Reuses an existing instance (from the OTel Java agent, {@code GlobalOpenTelemetry.get()},
     * or an application framework). The bridge never shuts it down. Excludes the standalone settings.
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * Standalone: the OTLP endpoint. For http/protobuf the full traces URL; a URL without a path
     * gets {@code /v1/traces}. For gRPC, e.g. {@code http://localhost:4317}.
     *
     * @throws IllegalArgumentException if it is not an http(s) URL with a host, or has user info, a
     *     query or a fragment (credentials go in {@link #header}); the message shows the endpoint
     *     {@linkplain OtlpEndpoints#redact redacted}
     */
    public Builder endpoint(String endpoint) {
      this.endpoint = OtlpEndpoints.check(requireNonNull(endpoint, "endpoint"), "endpoint");
      return standalone();
    }

    /**
     * Standalone: the OTLP transport, {@link OtlpProtocol#HTTP_PROTOBUF} (port 4318) or
     * {@link OtlpProtocol#GRPC} (port 4317). When not set, {@code OTEL_EXPORTER_OTLP_TRACES_PROTOCOL},
     * then {@code OTEL_EXPORTER_OTLP_PROTOCOL} (or the system properties
     * {@code otel.exporter.otlp.traces.protocol} / {@code otel.exporter.otlp.protocol}) choose:
     * {@code grpc} or {@code http/protobuf}, the default. The {@link #endpoint} follows the
     * transport that applies: a gRPC endpoint has no path; without one the SDK's default for the
     * transport is used ({@code http://localhost:4318/v1/traces} or {@code http://localhost:4317}).
     */
    public Builder protocol(OtlpProtocol protocol) {
      this.protocol = requireNonNull(protocol, "protocol");
      return standalone();
    }

    /** Standalone: a header sent with every export (e.g. an API key for a vendor backend). */
    public Builder header(String name, String value) {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
      if (name.isBlank() || name.contains("=") || name.contains(",")) {
        throw new IllegalArgumentException("header name must be a token: " + name);
      }
      headers.put(name, value);
      return standalone();
    }

    /**
     * Standalone: {@code service.name}, over everything else. Without it, OpenTelemetry's order
     * applies: {@code OTEL_SERVICE_NAME} ({@code otel.service.name}), then {@code service.name} in
     * {@code OTEL_RESOURCE_ATTRIBUTES} ({@code otel.resource.attributes}), then
     * {@link #fallbackServiceName}, then {@value #DEFAULT_SERVICE_NAME}.
     */
    public Builder serviceName(String serviceName) {
      this.serviceName = requireNonNull(serviceName, "serviceName");
      return standalone();
    }

    /**
     * Standalone: the {@code service.name} used when neither {@code OTEL_SERVICE_NAME} /
     * {@code otel.service.name} nor {@code service.name} in {@code OTEL_RESOURCE_ATTRIBUTES} sets
     * one (instead of {@value #DEFAULT_SERVICE_NAME}): an application framework's own name for
     * the application, such as Spring's {@code spring.application.name}.
     */
    public Builder fallbackServiceName(String serviceName) {
      requireNonNull(serviceName, "serviceName");
      if (serviceName.isBlank()) {
        throw new IllegalArgumentException("serviceName must not be blank");
      }
      this.fallbackServiceName = serviceName;
      return standalone();
    }

    /** Standalone: a resource attribute, merged over {@code OTEL_RESOURCE_ATTRIBUTES}. */
    public Builder resourceAttribute(String key, String value) {
      resourceAttributes.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return standalone();
    }

    /** Standalone: the batch processor's queue bound (spans beyond it are dropped and counted); SDK default 2048. */
    public Builder maxQueueSize(int maxQueueSize) {
      if (maxQueueSize < 1) {
        throw new IllegalArgumentException("maxQueueSize must be >= 1");
      }
      this.maxQueueSize = maxQueueSize;
      return standalone();
    }

    /** Standalone: spans per export request; SDK default 512. */
    public Builder maxExportBatchSize(int maxExportBatchSize) {
      if (maxExportBatchSize < 1) {
        throw new IllegalArgumentException("maxExportBatchSize must be >= 1");
      }
      this.maxExportBatchSize = maxExportBatchSize;
      return standalone();
    }

    /** Standalone: the batch processor's delay between exports; SDK default 5 s. */
    public Builder scheduleDelay(Duration scheduleDelay) {
      requireNonNull(scheduleDelay, "scheduleDelay");
      if (scheduleDelay.isNegative()) {
        throw new IllegalArgumentException("scheduleDelay must not be negative");
      }
      this.scheduleDelay = scheduleDelay;
      return standalone();
    }

    /** Standalone: the timeout of one export call; SDK default 10 s. */
    public Builder exportTimeout(Duration exportTimeout) {
      requireNonNull(exportTimeout, "exportTimeout");
      if (exportTimeout.isNegative() || exportTimeout.isZero()) {
        throw new IllegalArgumentException("exportTimeout must be positive");
      }
      this.exportTimeout = exportTimeout;
      return standalone();
    }

    /**
     * Standalone: the exporter's retry policy for transient failures; {@code null} disables
     * retries. Default: the SDK's (5 attempts, 1 s to 5 s backoff).
     */
    public Builder exportRetry(RetryPolicy retryPolicy) {
      this.retryPolicy = retryPolicy;
      this.retryPolicySet = true;
      return standalone();
    }

    /** Standalone: whether a JVM shutdown hook flushes and shuts down the SDK (default true). */
    public Builder shutdownHook(boolean enabled) {
      this.shutdownHook = enabled;
      return this;
    }

    /** Whether a run's span is the current OpenTelemetry context while it runs (default true); see the class doc. */
    public Builder makeSpansCurrent(boolean enabled) {
      this.makeSpansCurrent = enabled;
      return this;
    }

    /** Whether inputs, outputs, messages, tool arguments and chunk text are recorded (default false). */
    public Builder captureContent(boolean enabled) {
      this.captureContent = enabled;
      return this;
    }

    /** The longest content or metadata string recorded, in chars; longer values are truncated. */
    public Builder maxContentLength(int chars) {
      this.maxContentLength = ContentCapture.checkMaxLength(chars);
      return this;
    }

    /** The redaction hook applied to content and metadata strings (default: none). */
    public Builder redactor(ContentRedactor redactor) {
      this.redactor = requireNonNull(redactor, "redactor");
      return this;
    }

    /** Which stream chunks of model runs become span events (default {@link ChunkFidelity#NONE}). */
    public Builder chunkFidelity(ChunkFidelity fidelity) {
      this.chunkFidelity = requireNonNull(fidelity, "fidelity");
      return this;
    }

    /**
     * The most runs with an open span; runs beyond it get no span and are counted in
     * {@link ExportStats#runsUntraced()}. The limit bounds what the bridge holds on to: it always
     * applies to runs the bridge tracks by id (events delivered through {@link #onEvent}, and
     * every run while cross-links are on). Runs tracer-core delivers with per-run state keep
     * their span on the run, not in the bridge, so by default they are not counted against it
     * (counting them would cost an atomic update per run start and end); setting this option
     * applies it to them too. Default {@value #DEFAULT_MAX_OPEN_RUNS}.
     */
    public Builder maxOpenRuns(int maxOpenRuns) {
      if (maxOpenRuns < 1) {
        throw new IllegalArgumentException("maxOpenRuns must be >= 1");
      }
      this.maxOpenRuns = maxOpenRuns;
      this.maxOpenRunsSet = true;
      return this;
    }

    /** How many ended runs {@link #spanContextOf} still knows (default {@value #DEFAULT_RECENTLY_ENDED_CAPACITY}; 0 = none). */
    public Builder recentlyEndedCapacity(int capacity) {
      if (capacity < 0) {
        throw new IllegalArgumentException("recentlyEndedCapacity must be >= 0");
      }
      this.recentlyEndedCapacity = capacity;
      return this;
    }

    /**
     * Whether the bridge keeps a run-id lookup of every run's span for {@link #spanContextOf} and
     * {@link #traceLinks()} (default false; {@code traceLinks()} turns it on). It costs a
     * concurrent-map insert and removal per run, so leave it off unless logs link to spans.
     */
    public Builder crossLinks(boolean enabled) {
      this.crossLinks = enabled;
      return this;
    }

    /**
     * Whether spans also carry OpenInference attributes, the conventions Arize Phoenix reads
     * (default false): {@code openinference.span.kind} on every span ({@code LLM}, {@code CHAIN},
     * {@code TOOL}, {@code RETRIEVER}, {@code PROMPT}, {@code AGENT}, ...), {@code llm.model_name},
     * {@code llm.provider} and {@code llm.token_count.*} on model spans, {@code tool.name} on tool
     * spans, and {@code retrieval.documents.<i>.document.id|metadata} on retriever spans, beside the
     * GenAI attributes. Content ({@code input.value}, {@code output.value} with their
     * {@code *.mime_type}, {@code retrieval.documents.<i>.document.content}) is recorded only
     * with {@link #captureContent}, redacted and limited like the GenAI content. See docs/phoenix.md.
     */
    public Builder openInference(boolean enabled) {
      this.openInference = enabled;
      return this;
    }

    private Builder standalone() {
      standaloneSet = true;
      return this;
    }

    /**
     * Builds the bridge (and, when standalone, its SDK).
     *
     * @throws IllegalStateException if both a reused instance and standalone settings were given, or
     *     a gRPC endpoint has a path
     */
    public OtelBridge build() {
      if (openTelemetry != null && standaloneSet) {
        throw new IllegalStateException("openTelemetry(...) reuses an instance; the standalone settings "
            + "(endpoint, protocol, header, serviceName, fallbackServiceName, resourceAttribute, queue, retry) do not apply to it");
      }
      if (protocol == OtlpProtocol.GRPC && endpoint != null) {
        String path = java.net.URI.create(endpoint).getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
          throw new IllegalStateException("a gRPC endpoint takes no path (the service path is fixed): "
              + OtlpEndpoints.redact(endpoint));
        }
      }
      return new OtelBridge(this);
    }
  }
}
