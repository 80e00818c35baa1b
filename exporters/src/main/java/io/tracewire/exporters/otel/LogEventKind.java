package io.tracewire.exporters.otel;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.sink.EventKind;

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

  /** The same kinds as the bus's {@link EventKind}, by its ordinal. */
  private static final LogEventKind[] BY_EVENT_KIND = new LogEventKind[EventKind.values().length];

  static {
    for (EventKind k : EventKind.values()) {
      BY_EVENT_KIND[k.ordinal()] = valueOf(k.name());
    }
  }

  /** The kind of an event name ({@link EventKind#of}); {@code null} for a name of none of these shapes. */
  static LogEventKind of(String event) {
    EventKind k = EventKind.of(event);
    return k == null ? null : BY_EVENT_KIND[k.ordinal()];
  }
}
