package io.tracewire.exporters.otel;

import io.tracewire.core.event.StreamEvent;

/**
 * The kinds of {@link StreamEvent} an {@link OtlpLogSink} can turn into log records; choose a
 * subset with {@link OtlpLogSink.Builder#events}. Immutable.
 */
public enum LogEventKind {
  /** {@code on_<run type>_start}. */
  START,
  /** {@code on_<run type>_stream}: stream chunks, further sampled by {@link ChunkFidelity}. */
  STREAM,
  /** {@code on_<run type>_end}. */
  END,
  /** {@code on_<run type>_error} (including {@code on_tool_error}). */
  ERROR,
  /** {@code on_<run type>_cancel}. */
  CANCEL,
  /** {@code on_custom_event}. */
  CUSTOM;

  /** The kind of an event name; {@code null} for a name of none of these shapes. */
  static LogEventKind of(String event) {
    if (event.equals(StreamEvent.CUSTOM_EVENT)) {
      return CUSTOM;
    }
    if (event.endsWith("_start")) {
      return START;
    }
    if (event.endsWith("_stream")) {
      return STREAM;
    }
    if (event.endsWith("_end")) {
      return END;
    }
    if (event.endsWith("_error")) {
      return ERROR;
    }
    if (event.endsWith("_cancel")) {
      return CANCEL;
    }
    return null;
  }
}
