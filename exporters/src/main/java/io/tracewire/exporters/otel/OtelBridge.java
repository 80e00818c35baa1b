package io.tracewire.exporters.otel;

import static io.tracewire.exporters.otel.GenAiMapping.*;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.tracewire.core.model.GenerationChunk;
import io.tracewire.core.model.LLMResult;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.RunStateListener;
import io.tracewire.core.event.RunType;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
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
  private static final Logger LOG = Logger.getLogger(OtelBridge.class.getName());

  /** The instrumentation scope name of Tracewire's spans and metrics. */
  public static final String INSTRUMENTATION_SCOPE = "io.tracewire.exporters.otel";
  /** The service name of a standalone bridge when neither the builder nor {@code OTEL_SERVICE_NAME} sets one. */
  public static final String DEFAULT_SERVICE_NAME = "tracewire-app";
  /** Default {@link Builder#maxContentLength}: {@value} characters. */
  public static final int DEFAULT_MAX_CONTENT_LENGTH = 16_384;
  /** Default {@link Builder#maxOpenRuns}: {@value}. */
  public static final int DEFAULT_MAX_OPEN_RUNS = 100_000;
  /** Default {@link Builder#recentlyEndedCapacity}: {@value}. */
  public static final int DEFAULT_RECENTLY_ENDED_CAPACITY = 4_096;
  /** Flush and shutdown wait at most this long in {@link #close()}: {@value} seconds. */
  public static final int CLOSE_TIMEOUT_SECONDS = 10;
  private static final int MAX_DEFERRED_SCOPES = 64;
  /** Runs nested deeper than this on one thread are traced but not made current (bounds the scope stack). */
  static final int MAX_SCOPE_DEPTH = 1024;
  /** {@link RunState#done}: compare-and-set on the stand-alone path, plain access on the per-run-state path. */
  private static final VarHandle DONE;
  /** {@link RunState#ended}: written with release semantics, read with acquire by the run's starting thread. */
  private static final VarHandle ENDED;
  /** {@link Local#started} and {@link Local#ended}: written by their thread only (release), summed by any (acquire). */
  private static final VarHandle STARTED_COUNT;
  private static final VarHandle ENDED_COUNT;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      DONE = l.findVarHandle(RunState.class, "done", int.class);
      ENDED = l.findVarHandle(RunState.class, "ended", boolean.class);
      STARTED_COUNT = l.findVarHandle(Local.class, "started", long.class);
      ENDED_COUNT = l.findVarHandle(Local.class, "ended", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final OpenTelemetry otel;
  private final StandaloneSdk standalone;
  private final Tracer tracer;
  private final boolean makeCurrent;
  private final boolean captureContent;
  private final ContentCapture content;
  private final ChunkFidelity fidelity;
  private final int maxOpenRuns;
  private final DoubleHistogram operationDuration;
  private final LongHistogram tokenUsage;
  private final DoubleHistogram timeToFirstChunk;
  private final DoubleHistogram timePerOutputChunk;

  /**
   * Run id to run: the runs the stand-alone path ({@link #onEvent}) handles, and, while cross-links
   * are on, the runs of the per-run-state path; recently ended ones stay until they leave {@link #ended}.
   */
  private final ConcurrentHashMap<String, RunState> runs = new ConcurrentHashMap<>();
  /** Whether per-run-state runs are registered in {@link #runs} (see {@link Builder#crossLinks}). */
  private volatile boolean crossLinks;
  /** Ring of recently ended runs: the oldest entry leaves {@link #runs} when a newer run takes its slot. */
  private final AtomicReferenceArray<RunState> ended;
  private final AtomicLong endedPos = new AtomicLong();
  /** Per-thread scope stack and run counters (plain stores: no atomic operation per run). */
  private final ThreadLocal<Local> local = ThreadLocal.withInitial(this::newLocal);
  /** Every thread's {@link Local}, for {@link #stats()}; threads that died are folded into the two counters below. */
  private final ConcurrentLinkedQueue<Local> locals = new ConcurrentLinkedQueue<>();
  private final AtomicLong startedByDeadThreads = new AtomicLong();
  private final AtomicLong endedByDeadThreads = new AtomicLong();
  /**
   * Open runs counted against {@code maxOpenRuns}: the runs of the stand-alone path and, when
   * {@link Builder#maxOpenRuns} was set or cross-links are on, every run (see {@link Builder#maxOpenRuns}).
   */
  private final LongAdder limited = new LongAdder();
  private final boolean limitAll;
  private final AtomicLong untraced = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean warnedFailure = new AtomicBoolean();
  private final AtomicBoolean warnedFull = new AtomicBoolean();
  private final Thread shutdownHook;

  private OtelBridge(Builder b) {
    this.standalone = b.openTelemetry == null ? new StandaloneSdk(b) : null;
    this.otel = standalone != null ? standalone.sdk : b.openTelemetry;
    this.tracer = otel.getTracer(INSTRUMENTATION_SCOPE);
    this.makeCurrent = b.makeSpansCurrent;
    this.captureContent = b.captureContent;
    this.content = new ContentCapture(b.maxContentLength, b.redactor);
    this.fidelity = b.chunkFidelity;
    this.maxOpenRuns = b.maxOpenRuns;
    this.limitAll = b.maxOpenRunsSet;
    this.crossLinks = b.crossLinks;
    this.ended = b.recentlyEndedCapacity > 0 ? new AtomicReferenceArray<>(b.recentlyEndedCapacity) : null;
    Meter meter = otel.getMeter(INSTRUMENTATION_SCOPE);
    this.operationDuration = meter.histogramBuilder(METRIC_OPERATION_DURATION).setUnit("s")
        .setDescription("GenAI operation duration").setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    this.tokenUsage = meter.histogramBuilder(METRIC_TOKEN_USAGE).ofLongs().setUnit("{token}")
        .setDescription("Number of input and output tokens used").setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS).build();
    this.timeToFirstChunk = meter.histogramBuilder(METRIC_TIME_TO_FIRST_CHUNK).setUnit("s")
        .setDescription("Time to receive the first chunk of a streamed response")
        .setExplicitBucketBoundariesAdvice(CHUNK_BUCKETS).build();
    this.timePerOutputChunk = meter.histogramBuilder(METRIC_TIME_PER_OUTPUT_CHUNK).setUnit("s")
        .setDescription("Time between consecutive chunks of a streamed response, after the first")
        .setExplicitBucketBoundariesAdvice(CHUNK_BUCKETS).build();
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
    RunState st = runs.get(runId);
    return st != null ? st.spanContext : SpanContext.getInvalid();
  }

  /**
   * A lookup for the JSONL sink ({@code JsonlFileSink.Builder#traceLinks}) so that log lines carry
   * their span's trace and span ids. Turns cross-links on (see {@link Builder#crossLinks}): call it
   * before the runs to link start, as building the sink does. Install this bridge before the
   * sink's bus so the span exists when a run's events are written; see {@link #spanContextOf} for
   * how long ended runs stay known.
   */
  public io.tracewire.exporters.jsonl.TraceLinks traceLinks() {
    crossLinks = true;
    return runId -> {
      SpanContext sc = spanContextOf(runId);
      return sc != null && sc.isValid() ? new io.tracewire.exporters.jsonl.TraceLinks.Link(sc.getTraceId(), sc.getSpanId()) : null;
    };
  }

  /** A snapshot of the bridge's counters. Thread-safe. */
  public ExportStats stats() {
    StandaloneSdk s = standalone;
    return new ExportStats(counts()[0], untraced.get(), s == null ? 0 : s.ended.get(), s == null ? 0 : s.exported.get(),
        s == null ? 0 : s.failed.get(), s == null ? 0 : s.failures.get());
  }

  /** Number of runs whose span is open. */
  public int openRuns() {
    long[] c = counts();
    return (int) Math.max(0, c[0] - c[1]);
  }

  private Local newLocal() {
    Local l = new Local(Thread.currentThread());
    counts(); // folds the counters of threads that died, so the list tracks live threads
    locals.add(l);
    return l;
  }

  /** Runs started and ended with a span, over all threads. */
  private long[] counts() {
    long started = 0;
    long ended = 0;
    for (Local l : locals) {
      long s = (long) STARTED_COUNT.getAcquire(l);
      long e = (long) ENDED_COUNT.getAcquire(l);
      Thread t = l.owner.get();
      if ((t == null || !t.isAlive()) && locals.remove(l)) {
        startedByDeadThreads.addAndGet(s);
        endedByDeadThreads.addAndGet(e);
      } else {
        started += s;
        ended += e;
      }
    }
    return new long[] {started + startedByDeadThreads.get(), ended + endedByDeadThreads.get()};
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
    CompletableResultCode r;
    if (standalone != null) {
      r = standalone.sdk.getSdkTracerProvider().forceFlush();
    } else if (otel instanceof io.opentelemetry.sdk.OpenTelemetrySdk sdk) {
      r = sdk.getSdkTracerProvider().forceFlush();
    } else {
      return true;
    }
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
      standalone.sdk.getSdkTracerProvider().forceFlush().join(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      standalone.sdk.shutdown().join(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
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
      RunState st = start(type, start, parentState instanceof RunState p ? p : null, limitAll || crossLinks);
      if (st != null && crossLinks) {
        register(st);
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
        RunState st = runs.get(event.runId());
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

  /** The context a child of {@code p} starts in: p's, or, once p ended (a detached child), p's ids. */
  private static Context parentContext(RunState p) {
    Context c = p.context;
    return c != null ? c : Context.current().with(Span.wrap(p.spanContext));
  }

  /** A stream, custom, end, error or cancel event of a started run. */
  private void later(RunState st, StreamEvent e, boolean stateful) {
    String ev = e.event();
    if (ev.equals(StreamEvent.CUSTOM_EVENT)) {
      Span span = st.span;
      if (span != null && (int) DONE.getOpaque(st) == 0) {
        span.addEvent("tracewire.custom_event", Attributes.of(AttributeKey.stringKey("tracewire.custom_event.name"),
            e.name()), e.timestampNanos(), NANOSECONDS);
      }
      return;
    }
    // event names are on_<run type>_<phase>
    String outcome;
    if (ev.endsWith("_end")) {
      outcome = OUTCOME_END;
    } else if (ev.endsWith("_stream")) {
      if (st.model && (int) DONE.getOpaque(st) == 0) {
        chunk(st, e);
      }
      return;
    } else if (ev.endsWith("_error")) {
      outcome = OUTCOME_ERROR;
    } else if (ev.endsWith("_cancel")) {
      outcome = OUTCOME_CANCEL;
    } else {
      return;
    }
    if (stateful) {
      // tracer-core ends a run exactly once and delivers its events in order: no CAS needed
      if ((int) DONE.get(st) != 0) {
        return;
      }
      DONE.set(st, 1);
    } else if (!DONE.compareAndSet(st, 0, 1)) {
      return;
    }
    end(st, e, outcome);
  }

  // ---------------------------------------------------------------- start

  /** The stand-alone path's start: parent by run id, registration in {@link #runs}. */
  private void startStandalone(RunType type, StreamEvent e) {
    List<String> pids = e.parentIds();
    RunState st = start(type, e, pids.isEmpty() ? null : runs.get(pids.get(pids.size() - 1)), true);
    if (st != null && !register(st)) {
      // a run id that is still open (tracer-core rejects duplicates; be safe): keep the first span
      DONE.set(st, 1);
      st.registered = false;
      st.span.end();
      closeScope(st);
      STARTED_COUNT.setRelease(st.local, st.local.started - 1);
      limited.decrement();
    }
  }

  /** Makes a run findable by id; false if another open run has its id. */
  private boolean register(RunState st) {
    st.registered = true;
    RunState prev = runs.putIfAbsent(st.runId, st);
    return prev == null || ((int) DONE.getVolatile(prev) == 1 && runs.replace(st.runId, prev, st));
  }

  /**
   * Starts the span of a run (made current when configured), as a child of {@code parentRun}'s
   * span, or of the current context when null; null when {@code limit} and {@code maxOpenRuns}
   * limited spans are open.
   */
  private RunState start(RunType type, StreamEvent e, RunState parentRun, boolean limit) {
    // a child started on its parent's thread shares the parent's bookkeeping: no thread-local lookup
    Local here = parentRun != null && parentRun.thread() == Thread.currentThread() ? parentRun.local : local.get();
    ArrayDeque<RunState> stack = here.stack;
    if (makeCurrent && !stack.isEmpty()) {
      popEnded(stack);
    }
    if (limit) {
      limited.increment();
      if (limited.sum() > maxOpenRuns) {
        limited.decrement();
        untraced.incrementAndGet();
        if (warnedFull.compareAndSet(false, true)) {
          LOG.warning("OtelBridge: " + maxOpenRuns + " runs are open; further runs get no span until some end (counted in stats().runsUntraced)");
        }
        return null;
      }
    }
    STARTED_COUNT.setRelease(here, here.started + 1);
    // after popEnded: a deferred scope of an ended run is no longer current
    Context parent = parentRun != null ? parentContext(parentRun) : Context.current();
    Map<String, Object> md = e.metadata();
    boolean model = isModel(type);
    String name = e.name();
    String spanName = spanName(type, name, md);
    SpanBuilder sb = tracer.spanBuilder(spanName)
        .setParent(parent)
        .setSpanKind(kind(type))
        .setStartTimestamp(e.timestampNanos(), NANOSECONDS)
        .setAttribute(RUN_ID, e.runId())
        .setAttribute(RUN_TYPE, type.name())
        // the common outcome, set with the others; an error or cancel replaces it at the end
        .setAttribute(RUN_OUTCOME, OUTCOME_END);
    if (!spanName.equals(name)) {
      // spans named after the run already carry its name
      sb.setAttribute(RUN_NAME, name);
    }
    Attributes metricAttrs = null;
    String op = operationName(type);
    if (op != null) {
      sb.setAttribute(OPERATION_NAME, op);
    } else if (isAgent(type, name, md)) {
      sb.setAttribute(OPERATION_NAME, OP_INVOKE_AGENT).setAttribute(AGENT_NAME, name);
    }
    List<String> tags = e.tags();
    if (!tags.isEmpty()) {
      tags(sb, tags);
    }
    if (!md.isEmpty()) {
      metadata(sb, md);
    }
    if (model) {
      metricAttrs = modelStart(sb, op, md, e);
    } else if (type == RunType.TOOL) {
      sb.setAttribute(TOOL_NAME, name);
    }
    Span span = sb.startSpan();
    Context context = parent.with(span);
    RunState st = new RunState(e.runId(), span, context, type, e.timestampNanos(), model, metricAttrs, here, limit);
    if (makeCurrent && stack.size() < MAX_SCOPE_DEPTH) {
      st.current = context;
      st.scope = context.makeCurrent();
      stack.push(st);
    }
    return st;
  }

  private static void tags(SpanBuilder sb, List<String> tags) {
    sb.setAttribute(RUN_TAGS, tags);
    for (String t : tags) {
      if (t.startsWith(RETRY_TAG_PREFIX)) {
        try {
          sb.setAttribute(RETRY_ATTEMPT, Long.parseLong(t.substring(RETRY_TAG_PREFIX.length())));
        } catch (NumberFormatException ignored) {
          // not a retry tag of tracer-core's shape
        }
      }
    }
  }

  /** The request attributes of a model run; returns the run's metric attributes. */
  private Attributes modelStart(SpanBuilder sb, String op, Map<String, Object> md, StreamEvent e) {
    String provider = providerName(md.get(LS_PROVIDER));
    sb.setAttribute(PROVIDER_NAME, provider);
    AttributesBuilder ma = Attributes.builder().put(OPERATION_NAME, op).put(PROVIDER_NAME, provider);
    if (md.get(LS_MODEL_NAME) instanceof String m) {
      sb.setAttribute(REQUEST_MODEL, m);
      ma.put(REQUEST_MODEL, m);
    }
    if (md.get(LS_TEMPERATURE) instanceof Number t) {
      sb.setAttribute(REQUEST_TEMPERATURE, t.doubleValue());
    }
    if (md.get(LS_MAX_TOKENS) instanceof Number n) {
      sb.setAttribute(REQUEST_MAX_TOKENS, n.longValue());
    }
    Object stop = md.get(LS_STOP);
    if (stop instanceof String s) {
      sb.setAttribute(REQUEST_STOP_SEQUENCES, List.of(s));
    } else if (stop instanceof List<?> l && !l.isEmpty()) {
      List<String> ss = new ArrayList<>(l.size());
      for (Object o : l) {
        ss.add(String.valueOf(o));
      }
      sb.setAttribute(REQUEST_STOP_SEQUENCES, ss);
    }
    if (captureContent) {
      String msgs = content.inputMessages(e.dataValue("input"));
      if (msgs != null) {
        sb.setAttribute(INPUT_MESSAGES, msgs);
      }
    }
    return ma.build();
  }

  private void metadata(SpanBuilder sb, Map<String, Object> md) {
    for (Map.Entry<String, Object> en : md.entrySet()) {
      String k = en.getKey();
      if (k.startsWith("ls_")) {
        continue;
      }
      Object v = en.getValue();
      String key = METADATA_PREFIX + k;
      if (v instanceof Boolean b) {
        sb.setAttribute(AttributeKey.booleanKey(key), b);
      } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
        sb.setAttribute(AttributeKey.longKey(key), ((Number) v).longValue());
      } else if (v instanceof Number n) {
        sb.setAttribute(AttributeKey.doubleKey(key), n.doubleValue());
      } else if (v != null) {
        String s = content.render(key, v);
        if (s != null) {
          sb.setAttribute(AttributeKey.stringKey(key), s);
        }
      }
    }
  }

  // ---------------------------------------------------------------- stream

  private void chunk(RunState st, StreamEvent e) {
    long now = e.timestampNanos();
    long index = st.chunks++;
    if (index == 0) {
      double ttfc = seconds(now - st.startNanos);
      st.span.setAttribute(RESPONSE_TIME_TO_FIRST_CHUNK, ttfc);
      timeToFirstChunk.record(ttfc, st.metricAttrs);
    } else {
      timePerOutputChunk.record(seconds(now - st.lastChunkNanos), st.metricAttrs);
    }
    st.lastChunkNanos = now;
    Object chunk = e.dataValue("chunk");
    if (fidelity.recordsOnArrival(index)) {
      chunkEvent(st, index, chunk, now);
      st.lastRecorded = index;
    } else if (fidelity.mode() == ChunkFidelity.Mode.FIRST_AND_LAST) {
      st.lastChunk = captureContent ? chunk : null;
    }
  }

  private void chunkEvent(RunState st, long index, Object chunk, long atNanos) {
    AttributesBuilder a = Attributes.builder().put(CHUNK_INDEX, index);
    if (captureContent && chunk != null) {
      String text = chunk instanceof BaseMessage m ? m.text()
          : chunk instanceof GenerationChunk g ? g.text() : String.valueOf(chunk);
      String s = content.limit(CHUNK_CONTENT.getKey(), text);
      if (s != null) {
        a.put(CHUNK_CONTENT, s);
      }
    }
    st.span.addEvent(CHUNK_EVENT, a.build(), atNanos, NANOSECONDS);
  }

  // ---------------------------------------------------------------- end / error / cancel

  /** Ends the run's span; the caller made sure this happens once per run. */
  private void end(RunState st, StreamEvent e, String outcome) {
    Local here = st.thread() == Thread.currentThread() ? st.local : local.get();
    ENDED_COUNT.setRelease(here, here.ended + 1);
    if (st.limited) {
      limited.decrement();
    }
    long endNanos = e.timestampNanos();
    Span span = st.span;
    try {
      String errorType = null;
      if (outcome != OUTCOME_END) {
        span.setAttribute(RUN_OUTCOME, outcome);
      }
      if (outcome == OUTCOME_ERROR) {
        Object err = e.dataValue("error");
        Throwable t = err instanceof Throwable th ? th : null;
        errorType = t != null ? t.getClass().getName() : "_OTHER";
        span.setAttribute(ERROR_TYPE, errorType);
        if (t != null) {
          span.recordException(t, Attributes.empty());
        }
        span.setStatus(StatusCode.ERROR, t != null && t.getMessage() != null ? t.getMessage() : errorType);
      } else if (outcome == OUTCOME_CANCEL) {
        span.addEvent(CANCEL_EVENT, endNanos, NANOSECONDS);
      }
      if (st.model) {
        modelEnd(st, e, e.dataValue("output"), errorType, endNanos);
      } else if (captureContent) {
        contentEnd(st, e, e.dataValue("output"));
      }
      if (st.type == RunType.TOOL) {
        Object id = e.dataValue("tool_call_id");
        if (id == null && e.dataValue("output") instanceof ToolMessage tm) {
          id = tm.toolCallId();
        }
        if (id instanceof String s) {
          span.setAttribute(TOOL_CALL_ID, s);
        }
      }
    } finally {
      span.end(endNanos, NANOSECONDS);
      closeScope(st);
      st.span = null;
      st.context = null;
      st.lastChunk = null;
      if (st.registered) {
        retire(st);
      }
    }
  }

  private void contentEnd(RunState st, StreamEvent e, Object output) {
    boolean tool = st.type == RunType.TOOL;
    if (e.hasData("input")) {
      String in = content.render(tool ? TOOL_CALL_ARGUMENTS.getKey() : RUN_INPUT.getKey(), e.dataValue("input"));
      if (in != null) {
        st.span.setAttribute(tool ? TOOL_CALL_ARGUMENTS : RUN_INPUT, in);
      }
    }
    if (e.hasData("output")) {
      Object o = output instanceof ToolMessage tm ? tm.content() : output;
      String out = content.render(tool ? TOOL_CALL_RESULT.getKey() : RUN_OUTPUT.getKey(), o);
      if (out != null) {
        st.span.setAttribute(tool ? TOOL_CALL_RESULT : RUN_OUTPUT, out);
      }
    }
  }

  private void modelEnd(RunState st, StreamEvent e, Object output, String errorType, long endNanos) {
    Span span = st.span;
    span.setAttribute(REQUEST_STREAM, st.chunks > 0);
    if (st.chunks > 0) {
      span.setAttribute(STREAM_CHUNKS, st.chunks);
      long last = st.chunks - 1;
      if (fidelity.mode() == ChunkFidelity.Mode.FIRST_AND_LAST && last > 0 && st.lastRecorded != last) {
        chunkEvent(st, last, st.lastChunk, st.lastChunkNanos);
      }
    }
    Map<String, Object> responseMetadata = Map.of();
    String responseId = null;
    UsageMetadata usage = null;
    String finishReason = null;
    if (output instanceof AIMessage m) {
      responseMetadata = m.responseMetadata();
      responseId = m.id();
      usage = m.usageMetadata();
    } else if (output instanceof AIMessageChunk c) {
      responseMetadata = c.responseMetadata();
      responseId = c.id();
      usage = c.usageMetadata();
    } else if (output instanceof LLMResult r) {
      if (r.llmOutput() != null) {
        responseMetadata = r.llmOutput();
      }
      if (!r.generations().isEmpty() && !r.generations().get(0).isEmpty()
          && r.generations().get(0).get(0).generationInfo() != null) {
        finishReason = firstString(r.generations().get(0).get(0).generationInfo(), FINISH_REASON_KEYS);
      }
    }
    if (finishReason == null) {
      finishReason = firstString(responseMetadata, FINISH_REASON_KEYS);
    }
    String responseModel = firstString(responseMetadata, RESPONSE_MODEL_KEYS);
    if (responseModel != null) {
      span.setAttribute(RESPONSE_MODEL, responseModel);
    }
    if (responseId != null && !responseId.startsWith("lc_run-") && !responseId.startsWith("run-")) {
      span.setAttribute(RESPONSE_ID, responseId);
    }
    if (finishReason != null) {
      span.setAttribute(RESPONSE_FINISH_REASONS, List.of(finishReason));
    }
    AttributesBuilder mb = st.metricAttrs.toBuilder();
    if (responseModel != null) {
      mb.put(RESPONSE_MODEL, responseModel);
    }
    if (usage != null) {
      span.setAttribute(USAGE_INPUT_TOKENS, usage.inputTokens());
      span.setAttribute(USAGE_OUTPUT_TOKENS, usage.outputTokens());
      if (usage.inputTokenDetails() != null) {
        if (usage.inputTokenDetails().cacheCreation() != null) {
          span.setAttribute(USAGE_CACHE_CREATION_INPUT_TOKENS, usage.inputTokenDetails().cacheCreation());
        }
        if (usage.inputTokenDetails().cacheRead() != null) {
          span.setAttribute(USAGE_CACHE_READ_INPUT_TOKENS, usage.inputTokenDetails().cacheRead());
        }
      }
      if (usage.outputTokenDetails() != null && usage.outputTokenDetails().reasoning() != null) {
        span.setAttribute(USAGE_REASONING_OUTPUT_TOKENS, usage.outputTokenDetails().reasoning());
      }
      Attributes base = mb.build();
      tokenUsage.record(usage.inputTokens(), base.toBuilder().put(TOKEN_TYPE, "input").build());
      tokenUsage.record(usage.outputTokens(), base.toBuilder().put(TOKEN_TYPE, "output").build());
    }
    if (errorType != null) {
      mb.put(ERROR_TYPE, errorType);
    }
    operationDuration.record(seconds(endNanos - st.startNanos), mb.build());
    if (captureContent && output != null) {
      String out = content.outputMessages(output, finishReason);
      if (out != null) {
        span.setAttribute(OUTPUT_MESSAGES, out);
      }
    }
  }

  private static String firstString(Map<String, Object> m, List<String> keys) {
    for (String k : keys) {
      if (m.get(k) instanceof String s && !s.isEmpty()) {
        return s;
      }
    }
    return null;
  }

  private static double seconds(long nanos) {
    return Math.max(0, nanos) / 1e9;
  }

  /** Keeps an ended run findable by {@link #spanContextOf} until {@code recentlyEndedCapacity} later runs ended. */
  private void retire(RunState st) {
    if (ended == null) {
      runs.remove(st.runId, st);
      return;
    }
    RunState old = ended.getAndSet((int) Long.remainderUnsigned(endedPos.getAndIncrement(), ended.length()), st);
    if (old != null) {
      runs.remove(old.runId, old);
    }
  }

  // ---------------------------------------------------------------- scopes

  private static void closeScope(RunState st) {
    if (st.scope == null) {
      return;
    }
    ENDED.setRelease(st, true);
    if (st.thread() == Thread.currentThread()) {
      popEnded(st.local.stack);
    }
  }

  /**
   * Closes, in LIFO order, the scopes of ended runs at the top of this thread's stack. A scope
   * whose context is not current (application code made another context current and has not
   * restored it yet) is not closed over it: it waits for a later event on this thread, and is
   * abandoned without closing once more than {@value #MAX_DEFERRED_SCOPES} entries pile up.
   */
  private static void popEnded(ArrayDeque<RunState> stack) {
    RunState top;
    while ((top = stack.peek()) != null && (boolean) ENDED.getAcquire(top)) {
      if (Context.current() == top.current) {
        stack.pop();
        top.scope.close();
        // recently ended runs stay in the cross-link lookup: keep them small (ids only)
        top.scope = null;
        top.current = null;
      } else if (stack.size() > MAX_DEFERRED_SCOPES) {
        stack.pop();
        top.scope = null;
        top.current = null;
      } else {
        return;
      }
    }
  }

  /**
   * One run with a span. The finals are set at start; the other fields are touched only by the
   * run's own events, which arrive in order, except {@link #ended} (read by the starting thread).
   */
  private static final class RunState {
    final String runId;
    final SpanContext spanContext;
    final RunType type;
    final long startNanos;
    final boolean model;
    final Attributes metricAttrs;
    /** Cleared when the run ends, so that recently ended runs keep only their ids. */
    Span span;
    /** The context children start in; cleared when the run ends. */
    Context context;
    /** The starting thread's bookkeeping. */
    final Local local;
    /** Whether the run counts against {@code maxOpenRuns}. */
    final boolean limited;
    Scope scope;
    /** The context the scope made current, until the scope is closed or abandoned. */
    Context current;
    /** True once the run ended (release/acquire through {@link #ENDED}). */
    boolean ended;
    /** 0 while open, 1 once ended (set exactly once, by the end, error or cancel event); see {@link #DONE}. */
    volatile int done;
    /** Whether the run is in {@link #runs}. */
    boolean registered;
    long chunks;
    long lastChunkNanos;
    long lastRecorded = -1;
    Object lastChunk;
    private final Thread thread = Thread.currentThread();

    RunState(String runId, Span span, Context context, RunType type, long startNanos, boolean model, Attributes metricAttrs,
        Local local, boolean limited) {
      this.runId = runId;
      this.local = local;
      this.limited = limited;
      this.span = span;
      this.spanContext = span.getSpanContext();
      this.context = context;
      this.type = type;
      this.startNanos = startNanos;
      this.model = model;
      this.metricAttrs = metricAttrs;
    }

    Thread thread() {
      return thread;
    }
  }

  /** One thread's bookkeeping for this bridge. */
  private static final class Local {
    /** Runs whose span this thread made current, in the order it did. */
    final ArrayDeque<RunState> stack = new ArrayDeque<>();
    final java.lang.ref.WeakReference<Thread> owner;
    /** Runs this thread started with a span and runs it ended; written by this thread only. */
    long started;
    long ended;

    Local(Thread owner) {
      this.owner = new java.lang.ref.WeakReference<>(owner);
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
     */
    public Builder endpoint(String endpoint) {
      requireNonNull(endpoint, "endpoint");
      java.net.URI uri = java.net.URI.create(endpoint);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new IllegalArgumentException("endpoint must be an http(s) URL: " + endpoint);
      }
      this.endpoint = endpoint;
      return standalone();
    }

    /** Standalone: the OTLP transport; default http/protobuf (or {@code OTEL_EXPORTER_OTLP_PROTOCOL}). */
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

    /** Standalone: {@code service.name}; default {@code OTEL_SERVICE_NAME} or {@value #DEFAULT_SERVICE_NAME}. */
    public Builder serviceName(String serviceName) {
      this.serviceName = requireNonNull(serviceName, "serviceName");
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
      if (chars < 32) {
        throw new IllegalArgumentException("maxContentLength must be >= 32, got " + chars);
      }
      this.maxContentLength = chars;
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

    private Builder standalone() {
      standaloneSet = true;
      return this;
    }

    /**
     * Builds the bridge (and, when standalone, its SDK).
     *
     * @throws IllegalStateException if both a reused instance and standalone settings were given
     */
    public OtelBridge build() {
      if (openTelemetry != null && standaloneSet) {
        throw new IllegalStateException("openTelemetry(...) reuses an instance; the standalone settings "
            + "(endpoint, protocol, header, serviceName, resourceAttribute, queue, retry) do not apply to it");
      }
      return new OtelBridge(this);
    }
  }
}
