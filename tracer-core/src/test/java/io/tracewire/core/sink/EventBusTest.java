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

class EventBusTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  static StreamEvent event(long seq) {
    return new StreamEvent("on_chain_stream", "test", "r-" + seq, List.of(), List.of(), Map.of(),
        Map.of("chunk", seq), seq, seq);
  }

  @Test
  void deliversEveryEventInOrderOnTheSinksOwnThreadInBatches() {
    RecordingSink sink = new RecordingSink(false);
    try (EventBus bus = EventBus.builder().sink(sink, SinkConfig.named("rec").withMaxBatch(64)).build()) {
      for (long i = 1; i <= 5000; i++) {
        bus.onEvent(event(i));
      }
      assertThat(bus.flush(LONG)).isTrue();
      assertThat(sink.seqs()).hasSize(5000).isSorted().doesNotHaveDuplicates();
      assertThat(sink.batchSizes).allMatch(n -> n >= 1 && n <= 64);
      assertThat(sink.exportThread).isEqualTo("tracewire-sink-rec");
      assertThat(sink.flushes.get()).isGreaterThanOrEqualTo(1);
      SinkStats s = bus.stats("rec");
      assertThat(s.queued()).isEqualTo(5000);
      assertThat(s.delivered()).isEqualTo(5000);
      assertThat(s.dropped()).isZero();
      assertThat(s.failed()).isZero();
      assertThat(s.maxDepth()).isBetween(1L, (long) SinkConfig.DEFAULT_CAPACITY);
    }
    assertThat(sink.closes.get()).isEqualTo(1);
  }

  @Test
  void aSinkThatThrowsOnEveryEventIsCountedAndDoesNotAffectOtherSinks() {
    AtomicInteger calls = new AtomicInteger();
    EventSink throwing = batch -> {
      calls.incrementAndGet();
      throw new IllegalStateException("boom");
    };
    RecordingSink ok = new RecordingSink(false);
    CapturedLog log = CapturedLog.start();
    try (EventBus bus = EventBus.builder().sink(throwing, SinkConfig.named("bad")).sink(ok, SinkConfig.named("ok")).build()) {
      for (long i = 1; i <= 1000; i++) {
        bus.onEvent(event(i));
      }
      assertThat(bus.flush(LONG)).isTrue();
      assertThat(bus.stats("bad").failed()).isEqualTo(1000);
      assertThat(bus.stats("bad").delivered()).isZero();
      assertThat(bus.stats("ok").delivered()).isEqualTo(1000);
      assertThat(ok.events).hasSize(1000);
      assertThat(calls.get()).isPositive();
    } finally {
      log.stop();
    }
    assertThat(log.messages(Level.WARNING)).filteredOn(m -> m.contains("'bad' failed to export")).hasSize(1);
  }

  @Test
  void dropNewestKeepsTheOldestEventsAndCountsEveryDropExactlyWithOneWarning() throws Exception {
    RecordingSink sink = new RecordingSink(true);
    CapturedLog log = CapturedLog.start();
    try (EventBus bus = EventBus.builder()
        .sink(sink, SinkConfig.named("slow").withCapacity(10).withPolicy(OverflowPolicy.DROP_NEWEST)).build()) {
      bus.onEvent(event(1));
      assertThat(sink.entered.await(30, TimeUnit.SECONDS)).isTrue();
      for (long i = 2; i <= 26; i++) {
        bus.onEvent(event(i));
      }
      SinkStats s = bus.stats("slow");
      assertThat(s.queued()).isEqualTo(11);
      assertThat(s.dropped()).isEqualTo(15);
      assertThat(s.maxDepth()).isEqualTo(10);
      sink.release.countDown();
      assertThat(bus.flush(LONG)).isTrue();
      assertThat(sink.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
      assertThat(bus.stats("slow").delivered()).isEqualTo(11);
    } finally {
      log.stop();
    }
    assertThat(log.messages(Level.WARNING)).filteredOn(m -> m.contains("'slow' dropped")).hasSize(1);
  }

  @Test
  void dropOldestKeepsTheNewestEventsAndCountsEveryDropExactly() throws Exception {
    RecordingSink sink = new RecordingSink(true);
    try (EventBus bus = EventBus.builder()
        .sink(sink, SinkConfig.named("slow").withCapacity(10).withPolicy(OverflowPolicy.DROP_OLDEST)).build()) {
      bus.onEvent(event(1));
      assertThat(sink.entered.await(30, TimeUnit.SECONDS)).isTrue();
      for (long i = 2; i <= 26; i++) {
        bus.onEvent(event(i));
      }
      assertThat(bus.stats("slow").dropped()).isEqualTo(15);
      assertThat(bus.stats("slow").queued()).isEqualTo(26);
      sink.release.countDown();
      assertThat(bus.flush(LONG)).isTrue();
      assertThat(sink.seqs()).containsExactly(1L, 17L, 18L, 19L, 20L, 21L, 22L, 23L, 24L, 25L, 26L);
      SinkStats s = bus.stats("slow");
      assertThat(s.delivered() + s.dropped()).isEqualTo(s.queued());
    }
  }

  @Test
  void blockMakesTheProducerWaitAndLosesNothing() throws Exception {
    RecordingSink sink = new RecordingSink(true);
    try (EventBus bus = EventBus.builder()
        .sink(sink, SinkConfig.named("slow").withCapacity(4).withPolicy(OverflowPolicy.BLOCK)).build()) {
      bus.onEvent(event(1));
      assertThat(sink.entered.await(30, TimeUnit.SECONDS)).isTrue();
      CountDownLatch produced = new CountDownLatch(1);
      Thread producer = new Thread(() -> {
        for (long i = 2; i <= 100; i++) {
          bus.onEvent(event(i));
        }
        produced.countDown();
      });
      producer.start();
      // the queue holds 4, so the producer cannot finish while the sink is stuck
      assertThat(produced.await(200, TimeUnit.MILLISECONDS)).isFalse();
      assertThat(bus.stats("slow").queued()).isEqualTo(5);
      sink.release.countDown();
      assertThat(produced.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(bus.flush(LONG)).isTrue();
      assertThat(sink.seqs()).hasSize(100).isSorted();
      assertThat(bus.stats("slow").dropped()).isZero();
      assertThat(bus.stats("slow").maxDepth()).isEqualTo(4);
    }
  }

  @Test
  void eventsProducedOnTheSinksOwnThreadNeverDeadlockABlockingQueue() throws Exception {
    AtomicInteger batches = new AtomicInteger();
    CountDownLatch reentered = new CountDownLatch(1);
    EventBus[] self = new EventBus[1];
    EventSink reentrant = batch -> {
      if (batches.getAndIncrement() == 0) {
        // the sink's own work is traced: 5 events into its own full-capacity-1 queue
        for (long i = 100; i < 105; i++) {
          self[0].onEvent(event(i));
        }
        reentered.countDown();
      }
    };
    try (EventBus bus = EventBus.builder()
        .sink(reentrant, SinkConfig.named("self").withCapacity(1).withPolicy(OverflowPolicy.BLOCK)).build()) {
      self[0] = bus;
      bus.onEvent(event(1));
      assertThat(reentered.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(bus.flush(LONG)).isTrue();
      SinkStats s = bus.stats("self");
      assertThat(s.queued()).isEqualTo(2);
      assertThat(s.dropped()).isEqualTo(4);
      assertThat(s.delivered()).isEqualTo(2);
    }
  }

  @Test
  void aSinkThatBlocksForeverIsAbandonedOnCloseWithItsQueuedEventsCountedAsDropped() throws Exception {
    RecordingSink stuck = new RecordingSink(true);
    RecordingSink ok = new RecordingSink(false);
    EventBus bus = EventBus.builder()
        .sink(stuck, SinkConfig.named("stuck").withCapacity(100))
        .sink(ok, SinkConfig.named("ok"))
        .build();
    try {
      bus.onEvent(event(1));
      assertThat(stuck.entered.await(30, TimeUnit.SECONDS)).isTrue();
      for (long i = 2; i <= 50; i++) {
        bus.onEvent(event(i));
      }
      assertThat(bus.flush(Duration.ofMillis(100))).isFalse();
      assertThat(bus.close(Duration.ofMillis(300))).isFalse();
      bus.onEvent(event(51));
      SinkStats s = bus.stats("stuck");
      assertThat(s.queued()).isEqualTo(50);
      assertThat(s.delivered()).isZero();
      assertThat(s.dropped()).isEqualTo(49 + 1);
      assertThat(bus.stats("ok").delivered()).isEqualTo(50);
      assertThat(bus.stats("ok").dropped()).isEqualTo(1);
      assertThat(ok.closes.get()).isEqualTo(1);
    } finally {
      stuck.release.countDown();
    }
  }

  @Test
  void closingMidStreamDeliversWhatWasQueuedAndCountsLaterEventsAsDropped() {
    RecordingSink sink = new RecordingSink(false);
    EventBus bus = EventBus.builder().sink(sink, SinkConfig.named("rec")).build();
    for (long i = 1; i <= 100; i++) {
      bus.onEvent(event(i));
    }
    assertThat(bus.close(LONG)).isTrue();
    for (long i = 101; i <= 150; i++) {
      bus.onEvent(event(i));
    }
    SinkStats s = bus.stats("rec");
    assertThat(s.delivered()).isEqualTo(100);
    assertThat(s.queued()).isEqualTo(100);
    assertThat(s.dropped()).isEqualTo(50);
    assertThat(sink.closes.get()).isEqualTo(1);
    assertThat(bus.close(LONG)).isTrue();
    assertThat(sink.closes.get()).isEqualTo(1);
    assertThat(bus.flush(LONG)).isFalse();
  }

  @Test
  void flushWaitsForEarlierEventsAndCallsTheSinksFlush() throws Exception {
    RecordingSink sink = new RecordingSink(true);
    try (EventBus bus = EventBus.builder().sink(sink, SinkConfig.named("rec")).build()) {
      bus.onEvent(event(1));
      assertThat(sink.entered.await(30, TimeUnit.SECONDS)).isTrue();
      bus.onEvent(event(2));
      assertThat(bus.flush(Duration.ofMillis(50))).isFalse();
      sink.release.countDown();
      assertThat(bus.flush(LONG)).isTrue();
      assertThat(sink.seqs()).containsExactly(1L, 2L);
      assertThat(sink.flushes.get()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void aStalledDropNewestSinkSkipsBuildingEventsButCountsEachDropAndLeavesASeqGap() throws Exception {
    RecordingSink sink = new RecordingSink(true);
    RunnableLambda<Integer, Integer> step = RunnableLambda.of("step", x -> x + 1);
    try (EventBus bus = EventBus.builder()
        .sink(sink, SinkConfig.named("stalled").withCapacity(4).withPolicy(OverflowPolicy.DROP_NEWEST)).build()) {
      RunConfig viaBus = RunConfig.builder().listener(bus).build();
      bus.onEvent(event(0));
      assertThat(sink.entered.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(bus.saturated()).isFalse();
      for (int i = 0; i < 20; i++) {
        step.invoke(i, viaBus);
      }
      // 4 events fill the queue, the 5th is refused; from then on the bus knows it is full.
      assertThat(bus.saturated()).isTrue();
      SinkStats stalled = bus.stats("stalled");
      assertThat(stalled.queued()).isEqualTo(5);
      assertThat(stalled.dropped()).isEqualTo(36);

      sink.release.countDown();
      assertThat(bus.flush(LONG)).isTrue();
      assertThat(bus.saturated()).isFalse();
      step.invoke(100, viaBus);
      assertThat(bus.flush(LONG)).isTrue();

      SinkStats s = bus.stats("stalled");
      assertThat(s.queued()).isEqualTo(7);
      assertThat(s.delivered()).isEqualTo(7);
      assertThat(s.dropped()).isEqualTo(36);
      List<Long> seqs = sink.seqs().subList(1, 7);
      assertThat(sink.events.subList(1, 7)).extracting(StreamEvent::event)
          .containsExactly("on_chain_start", "on_chain_end", "on_chain_start", "on_chain_end", "on_chain_start",
              "on_chain_end");
      assertThat(sink.events.get(5).data()).isEqualTo(Map.of("input", 100));
      // Events that were never built still used up their sequence numbers: readers see the gap.
      assertThat(seqs.get(4) - seqs.get(3)).isGreaterThanOrEqualTo(37);
    }
  }

  @Test
  void anotherListenerStillGetsEveryEventWhileTheStalledSinkDropsThem() throws Exception {
    RecordingSink sink = new RecordingSink(true);
    List<StreamEvent> seen = new CopyOnWriteArrayList<>();
    RunnableLambda<Integer, Integer> step = RunnableLambda.of("step", x -> x + 1);
    try (EventBus bus = EventBus.builder()
        .sink(sink, SinkConfig.named("stalled").withCapacity(2).withPolicy(OverflowPolicy.DROP_NEWEST)).build()) {
      RunConfig config = RunConfig.builder().listener(bus).listener(seen::add).build();
      bus.onEvent(event(0));
      assertThat(sink.entered.await(30, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 10; i++) {
        step.invoke(i, config);
      }
      assertThat(seen).hasSize(20);
      assertThat(bus.stats("stalled").queued()).isEqualTo(3);
      assertThat(bus.stats("stalled").dropped()).isEqualTo(18);
      sink.release.countDown();
    }
  }

  @Test
  void onlyFullDropNewestOrClosedSinksCountAsSaturated() throws Exception {
    RecordingSink oldest = new RecordingSink(true);
    RecordingSink block = new RecordingSink(true);
    EventBus bus = EventBus.builder()
        .sink(oldest, SinkConfig.named("oldest").withCapacity(1).withPolicy(OverflowPolicy.DROP_OLDEST))
        .sink(block, SinkConfig.named("block").withCapacity(1).withPolicy(OverflowPolicy.BLOCK)).build();
    bus.onEvent(event(1));
    assertThat(oldest.entered.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(block.entered.await(30, TimeUnit.SECONDS)).isTrue();
    // both queues (capacity 1) are now full, but neither policy drops the new event
    bus.onEvent(event(2));
    assertThat(bus.saturated()).isFalse();
    oldest.release.countDown();
    block.release.countDown();
    assertThat(bus.close(LONG)).isTrue();
    assertThat(bus.saturated()).isTrue();
  }

  @Test
  void configIsValidatedWithTheParameterName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SinkConfig.named("x").withCapacity(0))
        .hasMessageContaining("capacity");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SinkConfig.named("x").withPolicy(null))
        .hasMessageContaining("policy");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventBus.builder().sink(null))
        .hasMessageContaining("sink");
  }

  /** Captures records of the bus logger. */
  static final class CapturedLog extends Handler {
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(EventBus.class.getName());

    static CapturedLog start() {
      CapturedLog h = new CapturedLog();
      h.logger.addHandler(h);
      return h;
    }

    void stop() {
      logger.removeHandler(this);
    }

    List<String> messages(Level level) {
      List<String> out = new ArrayList<>();
      for (LogRecord r : records) {
        if (r.getLevel().equals(level)) {
          out.add(r.getMessage());
        }
      }
      return out;
    }

    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
