package io.tracewire.exporters.otel;

/**
 * Counters of an {@link OtelBridge}. All counts are cumulative since the bridge was built.
 *
 * <p>The export counters ({@code spansEnded} ... {@code exportFailures}) are only maintained for
 * a standalone bridge, whose SDK Tracewire builds; with a reused {@code OpenTelemetry} instance
 * they stay 0 (the application's SDK owns export).
 *
 * @param runsTraced runs that got a span
 * @param runsUntraced runs that got no span because {@code maxOpenRuns} spans were open
 * @param spansEnded spans ended and handed to the SDK's span processor (sampled ones)
 * @param spansExported spans the exporter reported as delivered
 * @param spansFailed spans in export batches that failed after the exporter's retries
 * @param exportFailures failed export calls
 */
public record ExportStats(long runsTraced, long runsUntraced, long spansEnded, long spansExported,
    long spansFailed, long exportFailures) {

  /**
   * Spans neither exported nor failed: still queued, or dropped by the batch processor because
   * its queue was full or the SDK was shut down. Right after a successful
   * {@link OtelBridge#flush}, this is the number of dropped spans.
   */
  public long spansNotExported() {
    return Math.max(0, spansEnded - spansExported - spansFailed);
  }
}
