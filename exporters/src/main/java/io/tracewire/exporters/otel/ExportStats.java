package io.tracewire.exporters.otel;

/**
 * Counters of an {@link OtelBridge}. All counts are cumulative since the bridge was built.
 *
 * <p>The export counters ({@code spansEnded} ... {@code exportFailures}) are only maintained for
 * a standalone bridge, whose SDK Tracewire builds; with a reused {@code OpenTelemetry} instance
 * they stay 0 (the application's SDK owns export, and its own telemetry counts its losses).
 *
 * <p>Every span ended is, once handled, exactly one of exported, failed or dropped; until then it
 * is {@link #spansNotExported() in flight}. Nothing is lost without being counted here.
 *
 * @param runsTraced runs that got a span
 * @param runsUntraced runs that got no span because {@code maxOpenRuns} spans were open
 * @param spansEnded spans ended and handed to the SDK's span processor (sampled ones)
 * @param spansExported spans the exporter reported as delivered
 * @param spansFailed spans in export calls that failed after the exporter's retries (connection
 *     refused, timeout, error status), or that threw
 * @param spansDropped spans the SDK's batch span processor dropped without exporting them: its
 *     queue ({@code maxQueueSize}) was full, or the SDK was already shut down (read from the
 *     processor's own internal telemetry)
 * @param exportFailures failed export calls
 */
public record ExportStats(long runsTraced, long runsUntraced, long spansEnded, long spansExported,
    long spansFailed, long spansDropped, long exportFailures) {

  /**
   * Spans neither exported, failed nor dropped: still queued in the batch processor or in an
   * export call. 0 right after a successful {@link OtelBridge#flush}.
   */
  public long spansNotExported() {
    return Math.max(0, spansEnded - spansExported - spansFailed - spansDropped);
  }

  /** Spans lost: failed plus dropped. */
  public long spansLost() {
    return spansFailed + spansDropped;
  }
}
