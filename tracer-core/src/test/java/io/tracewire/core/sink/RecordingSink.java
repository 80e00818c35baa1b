package io.tracewire.core.sink;

import io.tracewire.core.RunConfig;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.RunnableLambda;
import static org.assertj.core.api.Assertions.assertThat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Records every event; optionally blocks (uninterruptibly) in its first export until released. */
public final class RecordingSink implements EventSink {
  public final List<StreamEvent> events = new CopyOnWriteArrayList<>();
  public final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  public final CountDownLatch entered = new CountDownLatch(1);
  public final CountDownLatch release;
  public final AtomicInteger flushes = new AtomicInteger();
  public final AtomicInteger closes = new AtomicInteger();
  public volatile String exportThread;

  public RecordingSink(boolean blockFirst) {
    release = new CountDownLatch(blockFirst ? 1 : 0);
  }

  @Override
  public void export(List<StreamEvent> batch) {
    exportThread = Thread.currentThread().getName();
    batchSizes.add(batch.size());
    events.addAll(batch);
    entered.countDown();
    boolean interrupted = false;
    while (release.getCount() > 0) {
      try {
        release.await();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void flush() {
    flushes.incrementAndGet();
  }

  @Override
  public void close() {
    closes.incrementAndGet();
  }

  public List<Long> seqs() {
    List<Long> l = new ArrayList<>();
    for (StreamEvent e : events) {
      l.add(e.seq());
    }
    return l;
  }
}
