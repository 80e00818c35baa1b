package io.tracewire.exporters.jsonl;

/**
 * Finds the OpenTelemetry trace and span of a run, so that JSONL lines carry {@code trace_id}
 * and {@code span_id} and a log line can be opened in Jaeger (and a span found in the log).
 * {@code io.tracewire.exporters.otel.OtelBridge#traceLinks()} provides one. Called on the JSONL
 * sink's worker thread; must be thread-safe and must not block.
 */
@FunctionalInterface
public interface TraceLinks {

  /** The trace of a run, or {@code null} when it is not known. */
  Link find(String runId);

  /**
   * A run's trace and span id, lowercase hex (32 and 16 characters).
   *
   * @param traceId the trace id
   * @param spanId the span id
   */
  record Link(String traceId, String spanId) {
    public Link {
      java.util.Objects.requireNonNull(traceId, "traceId");
      java.util.Objects.requireNonNull(spanId, "spanId");
    }
  }
}
