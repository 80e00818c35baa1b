package io.tracewire.benchmarks;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.otel.OtelBridge;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The OpenTelemetry bridge's cost per run against a bare SDK span, in the same JMH run (target:
 * {@code bridgeRun <= 1.5 x bareSpan}). All use the same SDK: a batch span processor in front of
 * an exporter that discards.
 *
 * <ul>
 *   <li>{@code bareSpan} starts and ends one span; {@code bareSpanCurrent} also makes it current,
 *       as the bridge does by default; {@code bareSpanCurrentRunAttributes} also sets the three
 *       attributes the bridge puts on a chain span (run id, type, outcome) and the events'
 *       timestamps: the SDK work the bridge cannot avoid, so that {@code bridgeRun} minus it is
 *       the bridge's own overhead.
 *   <li>{@code bridgeRun} hands the bridge a pre-built start and end event of a chain run
 *       (distinct run ids from a ring) the way tracer-core delivers them to a
 *       {@code RunStateListener}: {@code onRunStart}, then {@code onRunEvent} with the state it
 *       returned. It measures the bridge (attributes, span, context scope), not event creation.
 *   <li>{@code bridgeRunCrossLinked} is {@code bridgeRun} with cross-links on (the run-id lookup
 *       a JSONL sink with trace links uses).
 *   <li>{@code bridgeRunById} feeds the same events through {@code onEvent}, the path for events
 *       delivered without per-run state (runs found by id in a concurrent map).
 *   <li>{@code tracedLambdaWithBridge} invokes a real {@code RunnableLambda} with the bridge
 *       attached (run id, events, dispatch and the bridge: what a user pays per traced step);
 *       {@code lambdaInsideBareSpan} invokes the same lambda untraced inside a bare current span
 *       (what hand-written OpenTelemetry code around it costs); {@code lambdaUntraced} is the
 *       lambda alone.
 * </ul>
 *
 * <p>The batch processor's own warnings about spans dropped on a full queue are silenced: the
 * discarding exporter keeps up only when its thread gets a core, and logging every drop would
 * add noise to every benchmark alike.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OtelBridgeBenchmark {
  private static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("tracewire.run.id");
  private static final AttributeKey<String> RUN_TYPE = AttributeKey.stringKey("tracewire.run.type");
  private static final AttributeKey<String> RUN_OUTCOME = AttributeKey.stringKey("tracewire.run.outcome");

  /** Whether the bridge makes each run's span current (its default) or leaves the context alone. */
  @Param({"true", "false"})
  public boolean makeCurrent;

  /**
   * How many distinct pre-built runs the run benchmarks cycle through (a power of two). The
   * default, 8192, is larger than the bridge's recently-ended lookup, as with unique run ids; the
   * events then come from memory outside the caches, which freshly built events are not.
   */
  @Param({"8192"})
  public int ring;

  /** The bridge's recently-ended lookup capacity (span ids of ended runs for log cross-links). */
  @Param({"4096"})
  public int recentlyEnded;

  private OpenTelemetrySdk sdk;
  private Tracer tracer;
  private OtelBridge bridge;
  private OtelBridge crossLinked;
  private StreamEvent[] starts;
  private StreamEvent[] ends;
  private int next;
  private RunnableLambda<Object, Object> lambda;
  private RunConfig withBridge;
  private RunConfig untraced;
  private java.util.logging.Logger bspLog;

  @Setup(Level.Trial)
  public void setUp() {
    SpanExporter discard = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    bspLog = java.util.logging.Logger.getLogger(BatchSpanProcessor.class.getName());
    bspLog.setLevel(java.util.logging.Level.OFF);
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(BatchSpanProcessor.builder(discard).build()).build())
        .build();
    tracer = sdk.getTracer("bench");
    bridge = OtelBridge.builder().openTelemetry(sdk).makeSpansCurrent(makeCurrent)
        .recentlyEndedCapacity(recentlyEnded).build();
    long t = System.currentTimeMillis() * 1_000_000L;
    crossLinked = OtelBridge.builder().openTelemetry(sdk).makeSpansCurrent(makeCurrent).recentlyEndedCapacity(recentlyEnded)
        .crossLinks(true).build();
    if (Integer.bitCount(ring) != 1) {
      throw new IllegalArgumentException("ring must be a power of two: " + ring);
    }
    starts = new StreamEvent[ring];
    ends = new StreamEvent[ring];
    for (int i = 0; i < ring; i++) {
      String id = UUID.randomUUID().toString();
      starts[i] = new StreamEvent("on_chain_start", "step", id, List.of(), List.of(), Map.of(), Map.of("input", "x"), i, t);
      ends[i] = new StreamEvent("on_chain_end", "step", id, List.of(), List.of(), Map.of(),
          Map.of("input", "x", "output", "y"), i, t + 1000);
    }
    lambda = RunnableLambda.of("step", (Object x) -> x);
    withBridge = RunConfig.builder().listener(bridge).build();
    untraced = RunConfig.builder().build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    bridge.close();
    crossLinked.close();
    sdk.close();
  }

  @Benchmark
  public void bareSpan() {
    tracer.spanBuilder("step").startSpan().end();
  }

  @Benchmark
  public void bareSpanCurrent() {
    Span span = tracer.spanBuilder("step").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      // the run's body would execute here
    } finally {
      span.end();
    }
  }

  @Benchmark
  public void bareSpanCurrentRunAttributes() {
    int i = next;
    next = (i + 1) & (ring - 1);
    StreamEvent e = starts[i];
    Span span = tracer.spanBuilder("step").setStartTimestamp(e.timestampNanos(), TimeUnit.NANOSECONDS)
        .setAttribute(RUN_ID, e.runId()).setAttribute(RUN_TYPE, "chain").setAttribute(RUN_OUTCOME, "end").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      // the run's body would execute here
    } finally {
      span.end(ends[i].timestampNanos(), TimeUnit.NANOSECONDS);
    }
  }

  @Benchmark
  public void bridgeRun() {
    int i = next;
    next = (i + 1) & (ring - 1);
    Object state = bridge.onRunStart(starts[i], null);
    bridge.onRunEvent(state, ends[i]);
  }

  @Benchmark
  public void bridgeRunCrossLinked() {
    int i = next;
    next = (i + 1) & (ring - 1);
    Object state = crossLinked.onRunStart(starts[i], null);
    crossLinked.onRunEvent(state, ends[i]);
  }

  @Benchmark
  public void bridgeRunById() {
    int i = next;
    next = (i + 1) & (ring - 1);
    bridge.onEvent(starts[i]);
    bridge.onEvent(ends[i]);
  }

  @Benchmark
  public Object tracedLambdaWithBridge() {
    return lambda.invoke("x", withBridge);
  }

  @Benchmark
  public Object lambdaInsideBareSpan() {
    Span span = tracer.spanBuilder("step").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      return lambda.invoke("x", untraced);
    } finally {
      span.end();
    }
  }

  @Benchmark
  public Object lambdaUntraced() {
    return lambda.invoke("x", untraced);
  }
}
