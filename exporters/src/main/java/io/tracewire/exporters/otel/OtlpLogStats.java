package io.tracewire.exporters.otel;

/**
 * Counters of one {@link OtlpLogSink}; cumulative since the sink was built, exact, and they only
 * grow. An immutable snapshot (thread-safe); the counters in it are read one by one, so a
 * snapshot taken while an export completes may show its records neither exported nor failed
 * ({@link #pending()}). Events the event bus dropped before they reached the sink (queue full, sink closed) are
 * not seen here: they are in the bus's {@code SinkStats.dropped()} for the sink's name.
 *
 * <p>Every event the sink received is, once handled, exactly one of: a record ({@code records}),
 * or {@code skipped} (not selected by {@link OtlpLogSink.Builder#events}, not sampled by the
 * {@link ChunkFidelity}, or not mappable); the only exception is a last stream chunk that
 * {@link ChunkFidelity#FIRST_AND_LAST} holds until its run ends. Every record is, once its export
 * call completed, exactly one of {@code exported} or {@code failed}.
 *
 * @param events events the bus handed to the sink
 * @param records log records handed to the exporter
 * @param exported records whose export call succeeded (the receiver acknowledged them)
 * @param failed records whose export call failed after the exporter's retries, or threw
 * @param skipped events that made no record
 * @param exportCalls export calls (one per bus batch with at least one record)
 * @param failedCalls export calls that failed
 * @param mappingErrors events skipped because turning them into a record threw (also in {@code skipped})
 */
public record OtlpLogStats(long events, long records, long exported, long failed, long skipped, long exportCalls,
    long failedCalls, long mappingErrors) {

  /** Records handed to the exporter whose export call has not completed yet. */
  public long pending() {
    return Math.max(0, records - exported - failed);
  }
}
