package io.tracewire.spring;

import io.tracewire.core.sink.EventSink;
import io.tracewire.core.event.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A test sink (an application {@code EventSink} bean) that keeps every event. */
final class Collector implements EventSink {
  final List<StreamEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void export(List<StreamEvent> batch) {
    events.addAll(batch);
    synchronized (this) {
      notifyAll();
    }
  }

  /** Waits until an event named {@code event} has arrived; {@code false} if none came in time. */
  boolean await(String event, java.time.Duration timeout) throws InterruptedException {
    return await(e -> e.event().equals(event), timeout);
  }

  /** Waits until an event that matches has arrived; {@code false} if none came in time. */
  synchronized boolean await(Predicate<StreamEvent> p, java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (where(p).isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  void clear() {
    events.clear();
  }

  List<StreamEvent> where(Predicate<StreamEvent> p) {
    List<StreamEvent> out = new ArrayList<>();
    for (StreamEvent e : events) {
      if (p.test(e)) {
        out.add(e);
      }
    }
    return out;
  }

  List<StreamEvent> named(String event) {
    return where(e -> e.event().equals(event));
  }

  StreamEvent one(String event) {
    List<StreamEvent> l = named(event);
    if (l.size() != 1) {
      throw new AssertionError("expected one " + event + ", got " + l.size() + ": " + events);
    }
    return l.get(0);
  }
}
