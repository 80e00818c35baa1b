package io.tracewire.core.sink;

import io.tracewire.core.event.StreamEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EventQueueTest {
  private static List<Long> seqs(List<StreamEvent> events) {
    List<Long> out = new ArrayList<>();
    for (StreamEvent e : events) {
      out.add(e.seq());
    }
    return out;
  }

  @Test
  void isFifoAcrossTheEndOfTheRingAndRefusesWhenFull() {
    EventQueue q = new EventQueue(3);
    List<StreamEvent> out = new ArrayList<>();
    long seq = 0;
    for (int round = 0; round < 5; round++) {
      // two in, two out: the ends pass the end of the 3-slot array several times
      assertThat(q.offer(EventBusTest.event(++seq))).isTrue();
      assertThat(q.offer(EventBusTest.event(++seq))).isTrue();
      out.add(q.poll());
      assertThat(q.drainTo(out, 1)).isEqualTo(1);
    }
    assertThat(seqs(out)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(q.size()).isZero();
    assertThat(q.poll()).isNull();

    for (long i = 11; i <= 13; i++) {
      assertThat(q.offer(EventBusTest.event(i))).isTrue();
    }
    assertThat(q.isFull()).isTrue();
    assertThat(q.size()).isEqualTo(3);
    assertThat(q.offer(EventBusTest.event(14))).isFalse();
    assertThat(q.accepted()).isEqualTo(13);
    assertThat(q.evicted()).isZero();
  }

  @Test
  void offerEvictingReplacesTheOldestAndCountsIt() {
    EventQueue q = new EventQueue(3);
    for (long i = 1; i <= 3; i++) {
      assertThat(q.offerEvicting(EventBusTest.event(i))).isFalse();
    }
    assertThat(q.poll().seq()).isEqualTo(1);
    for (long i = 4; i <= 9; i++) {
      q.offerEvicting(EventBusTest.event(i));
    }
    assertThat(q.size()).isEqualTo(3);
    assertThat(q.evicted()).isEqualTo(5);
    assertThat(q.accepted()).isEqualTo(9);
    List<StreamEvent> out = new ArrayList<>();
    assertThat(q.drainTo(out, 2)).isEqualTo(2);
    assertThat(q.drainTo(out, 5)).isEqualTo(1);
    assertThat(seqs(out)).containsExactly(7L, 8L, 9L);
    // after eviction wrapped the ring, plain offers still go in order
    q.offer(EventBusTest.event(10));
    q.offer(EventBusTest.event(11));
    assertThat(q.poll().seq()).isEqualTo(10);
    assertThat(q.poll().seq()).isEqualTo(11);
  }

  private static final long LONG = TimeUnit.SECONDS.toNanos(30);

  @Test
  void wakeEndsAnAwaitWithoutAnEventAndIsConsumedOnce() throws Exception {
    EventQueue q = new EventQueue(2);
    AtomicReference<Object> got = new AtomicReference<>("unset");
    CountDownLatch done = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      try {
        got.set(q.await(LONG, LONG));
      } catch (InterruptedException e) {
        got.set(e);
      }
      done.countDown();
    });
    t.start();
    q.wake();
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(got.get()).isNull();

    q.offer(EventBusTest.event(1));
    q.wake();
    assertThat(q.await(LONG, LONG).seq()).isEqualTo(1); // an event wins over a pending wake
    assertThat(q.await(LONG, LONG)).isNull();           // then the wake is seen, once
    q.offer(EventBusTest.event(2));
    assertThat(q.await(LONG, LONG).seq()).isEqualTo(2);
  }

  @Test
  void aWaitingConsumerIsWokenByTheBatchSignalNotByEachEvent() throws Exception {
    EventQueue q = new EventQueue(100, 10);
    AtomicReference<StreamEvent> got = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      try {
        // a pause far longer than the test: only a signal can end this wait early
        got.set(q.await(LONG, 2 * LONG));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      done.countDown();
    });
    t.start();
    while (t.getState() != Thread.State.TIMED_WAITING) {
      Thread.onSpinWait();
    }
    for (long i = 1; i <= 9; i++) {
      q.offer(EventBusTest.event(i));
    }
    assertThat(q.producerWakeups()).as("wake-ups before the batch signal").isZero();
    q.offer(EventBusTest.event(10));
    assertThat(q.producerWakeups()).isEqualTo(1);
    q.offer(EventBusTest.event(11));
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(got.get().seq()).isEqualTo(1);
    assertThat(q.producerWakeups()).as("one wake-up, not one per event").isEqualTo(1);
  }

  @Test
  void anIdleConsumerIsWokenByTheFirstEvent() throws Exception {
    EventQueue q = new EventQueue(100, 10);
    AtomicReference<StreamEvent> got = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      try {
        got.set(q.await(LONG, 0)); // idle at once: waits without a timeout
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      done.countDown();
    });
    t.start();
    while (t.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    q.offer(EventBusTest.event(7));
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(got.get().seq()).isEqualTo(7);
  }

  @Test
  void aPauseEndsWithWhatArrivedMeanwhile() throws Exception {
    EventQueue q = new EventQueue(100, 10);
    Thread producer = new Thread(() -> q.offer(EventBusTest.event(3)));
    producer.start();
    producer.join();
    // one event, below the batch signal: a short pause returns it
    assertThat(q.await(TimeUnit.MILLISECONDS.toNanos(1), LONG).seq()).isEqualTo(3);
  }

  @Test
  void timedOfferWaitsForRoomAndGivesUpAtTheTimeout() throws Exception {
    EventQueue q = new EventQueue(1);
    q.offer(EventBusTest.event(1));
    assertThat(q.offer(EventBusTest.event(2), 1, TimeUnit.MILLISECONDS)).isFalse();
    Thread consumer = new Thread(() -> {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      q.poll();
    });
    consumer.start();
    assertThat(q.offer(EventBusTest.event(3), 30, TimeUnit.SECONDS)).isTrue();
    assertThat(q.poll().seq()).isEqualTo(3);
    consumer.join();
  }

  @Test
  void concurrentProducersLoseNothingUncountedAndKeepTheirOwnOrder() throws Exception {
    EventQueue q = new EventQueue(64);
    int producers = 4;
    int perProducer = 50_000;
    List<StreamEvent> drained = new ArrayList<>();
    Thread[] threads = new Thread[producers];
    for (int p = 0; p < producers; p++) {
      int id = p;
      threads[p] = new Thread(() -> {
        for (int i = 0; i < perProducer; i++) {
          // producer id in the run id, its own counter in seq
          StreamEvent e = new StreamEvent("on_chain_stream", "p", "p" + id, List.of(), List.of(), java.util.Map.of(),
              null, i, 0);
          if (id % 2 == 0) {
            q.offerEvicting(e);
          } else {
            q.offer(e);
          }
        }
      });
      threads[p].start();
    }
    boolean alive = true;
    while (alive) {
      alive = false;
      for (Thread t : threads) {
        alive |= t.isAlive();
      }
      q.drainTo(drained, 17);
    }
    q.drainTo(drained, Integer.MAX_VALUE);
    long refusedOrEvicted = (long) producers * perProducer - drained.size();
    assertThat(q.accepted() - q.evicted()).isEqualTo(drained.size());
    assertThat(refusedOrEvicted).isGreaterThanOrEqualTo(q.evicted());
    long[] last = new long[producers];
    java.util.Arrays.fill(last, -1);
    for (StreamEvent e : drained) {
      int id = Integer.parseInt(e.runId().substring(1));
      assertThat(e.seq()).isGreaterThan(last[id]);
      last[id] = e.seq();
    }
  }

  @Test
  void capacityMustBePositive() {
    assertThatThrownBy(() -> new EventQueue(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
  }
}
