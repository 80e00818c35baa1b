package io.tracewire.core.sink;

import io.tracewire.core.event.StreamEvent;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The kinds of {@link StreamEvent}, by the shape of the event name: what a sink declares it
 * handles ({@link EventSink#acceptedKinds()}), so that an {@link EventBus} queues nothing else for
 * it. Immutable; thread-safe.
 */
public enum EventKind {
  /** {@code on_<run type>_start}. */
  START,
  /** {@code on_<run type>_stream}: stream chunks, the most frequent events by far. */
  STREAM,
  /** {@code on_<run type>_end}. */
  END,
  /** {@code on_<run type>_error}, including {@code on_tool_error}. */
  ERROR,
  /** {@code on_<run type>_cancel}. */
  CANCEL,
  /** {@code on_custom_event}. */
  CUSTOM;

  /** Every kind (the default of {@link EventSink#acceptedKinds()}); unmodifiable. */
  public static final Set<EventKind> ALL = Collections.unmodifiableSet(EnumSet.allOf(EventKind.class));

  /** The mask of every kind, and of event names of no known shape (sinks that accept anything get those). */
  static final int ALL_BITS = (1 << values().length) - 1;

  /** The kind of an event name; {@code null} for a name of none of these shapes. */
  public static EventKind of(String event) {
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

  /**
   * The bit of an event name's kind in a mask of {@link #mask accepted kinds}; a name of no known
   * shape gets every bit, so any sink that accepts something receives it. Allocation-free.
   */
  static int bitOf(String event) {
    EventKind k = of(event);
    return k == null ? ALL_BITS : 1 << k.ordinal();
  }

  /** The mask of a set of kinds. */
  static int mask(Set<EventKind> kinds) {
    int m = 0;
    for (EventKind k : kinds) {
      m |= 1 << k.ordinal();
    }
    return m;
  }
}
