package io.tracewire.test;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.jsonl.JsonlCodec;

/** Golden lines in the JSONL log format ({@link JsonlCodec}); the timestamp is already 0. Thread-safe. */
final class CodecGoldenEncoder implements GoldenEncoder {
  private static final JsonlCodec CODEC = new JsonlCodec();

  @Override
  public String encode(StreamEvent normalised) {
    return CODEC.encodeToString(normalised);
  }
}
