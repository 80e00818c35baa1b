package io.tracewire.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.RunConfig;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class EventStreamDriverTest {
  /** Runs {@code parent} as an event stream and returns the driver's warnings. */
  private static List<String> warnings(Runnable<Object, Object> parent, List<StreamEvent> events) {
    List<String> logs = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger(EventStreamDriver.class.getName());
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord r) {
        logs.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(h);
    try {
      events.addAll(parent.streamEvents("x", RunConfig.empty(), null).toList());
    } finally {
      logger.removeHandler(h);
    }
    return logs;
  }

  /** A parent that invokes a child once per id, in order. */
  private static Runnable<Object, Object> parentOf(List<UUID> childIds) {
    Runnable<Object, Object> child = RunnableLambda.of("child", (Object x) -> x);
    return RunnableLambda.withConfig("parent", (Object x, RunConfig cfg) -> {
      for (UUID id : childIds) {
        child.invoke(x, cfg.withRunId(id));
      }
      return x;
    });
  }

  @Test
  void manyDistinctRunIdsGiveNoWarningAndTheirIdsAreKeptAcrossTableGrowth() {
    List<UUID> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add(new UUID(0, i)); // sequential ids differ only in their last characters
    }
    List<StreamEvent> events = new java.util.ArrayList<>();
    assertThat(warnings(parentOf(ids), events)).isEmpty();
    assertThat(events).filteredOn(e -> e.event().equals("on_chain_start")).hasSize(101);
  }

  @Test
  void aRunIdReusedAfterTheTableGrewIsWarnedAboutOnceAndItsEventsAreKept() {
    List<UUID> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add(new UUID(0, i));
    }
    ids.add(new UUID(0, 3));
    List<StreamEvent> events = new java.util.ArrayList<>();
    List<String> logs = warnings(parentOf(ids), events);
    assertThat(logs).hasSize(1);
    assertThat(logs.get(0)).contains("duplicate run id " + new UUID(0, 3)).contains("'child'");
    assertThat(events).filteredOn(e -> e.event().equals("on_chain_start")).hasSize(42);
  }
}
