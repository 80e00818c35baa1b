package io.tracewire.exporters.jsonl;

/**
 * Counters of one {@link JsonlFileSink}; they only grow.
 *
 * @param lines events written
 * @param bytes bytes written
 * @param writeErrors batches that could not be written (disk full, failing device, missing
 *     directory...); their events are also counted as {@code failed} by the event bus
 * @param rotations files rotated
 * @param reopens times the file was found deleted or replaced under the writer and was created again
 * @param fsyncs forces to the storage device
 */
public record JsonlSinkStats(long lines, long bytes, long writeErrors, long rotations, long reopens, long fsyncs) {}
