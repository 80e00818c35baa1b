package io.tracewire.exporters.otel;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.tracewire.core.event.RunType;

/**
 * One run with a span, as {@link OtelBridge} keeps it (tracer-core holds it with the run, or
 * {@link SpanBookkeeping} by run id). The finals are set at start; the other fields are touched
 * only by the run's own events, which arrive in order, except {@link #ended} (read by the
 * starting thread) and {@link #done} (compare-and-set on the stand-alone path).
 */
final class RunState {
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
  final SpanBookkeeping.Local local;
  /** Whether the run counts against {@code maxOpenRuns}. */
  final boolean limited;
  Scope scope;
  /** The context the scope made current, until the scope is closed or abandoned. */
  Context current;
  /** True once the run ended (release/acquire through {@link SpanBookkeeping#ENDED}). */
  boolean ended;
  /** 0 while open, 1 once ended (set exactly once, by the end, error or cancel event); see {@link SpanBookkeeping#DONE}. */
  volatile int done;
  /** Whether the run is in the bookkeeping's run-id lookup. */
  boolean registered;
  /** The MCP operation-duration histogram of an MCP run (its attributes are {@link #metricAttrs}), else null. */
  io.opentelemetry.api.metrics.DoubleHistogram mcpDuration;
  long chunks;
  long lastChunkNanos;
  long lastRecorded = -1;
  Object lastChunk;
  private final Thread thread = Thread.currentThread();

  RunState(String runId, Span span, Context context, RunType type, long startNanos, boolean model, Attributes metricAttrs,
      SpanBookkeeping.Local local, boolean limited) {
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
