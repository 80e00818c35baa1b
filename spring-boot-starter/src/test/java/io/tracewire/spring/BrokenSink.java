package io.tracewire.spring;

import io.tracewire.core.sink.EventSink;
import io.tracewire.core.event.StreamEvent;
import java.util.List;

/** A sink whose every export fails, to show that a failing sink never fails a request. */
final class BrokenSink implements EventSink {
  @Override
  public void export(List<StreamEvent> batch) {
    throw new IllegalStateException("broken sink (test)");
  }
}
