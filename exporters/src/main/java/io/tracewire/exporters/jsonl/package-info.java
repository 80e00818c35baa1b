/**
 * JSONL logs of events: {@link io.tracewire.exporters.jsonl.JsonlCodec} (one event per line,
 * lossless, specified in {@code docs/jsonl-format.md} and {@code jsonl-schema.json}), the
 * {@link io.tracewire.exporters.jsonl.JsonlFileSink} writer (fsync policy, rotation, crash
 * safety), the {@link io.tracewire.exporters.jsonl.JsonlReader} and the
 * {@link io.tracewire.exporters.jsonl.JsonlFollower} that tails a live log.
 */
package io.tracewire.exporters.jsonl;
