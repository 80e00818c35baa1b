package io.tracewire.test;

import io.tracewire.core.event.StreamEvent;

/**
 * Encodes one normalised event (symbolic run ids, {@code seq} = position, timestamp 0) as one
 * line of JSON for a golden file. The implementation, {@link CodecGoldenEncoder}, is the JSONL
 * log format itself, so a golden file reads like a log.
 * Implementations must be deterministic (same event, same line) and thread-safe.
 */
interface GoldenEncoder {

  /** One line of JSON, without a line break. */
  String encode(StreamEvent normalised);
}
