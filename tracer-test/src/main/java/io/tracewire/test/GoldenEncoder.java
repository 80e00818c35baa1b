package io.tracewire.test;

import io.tracewire.core.StreamEvent;

/**
 * Encodes one normalised event (symbolic run ids, {@code seq} = position, timestamp 0) as one
 * line of JSON for a golden file. The only implementation is {@link JacksonGoldenEncoder}, the
 * kit's single Jackson class; it is the one place to change to adopt the exporters' event codec.
 * Implementations must be deterministic (same event, same line) and thread-safe.
 */
interface GoldenEncoder {

  /** One line of JSON, without a line break. */
  String encode(StreamEvent normalised);
}
