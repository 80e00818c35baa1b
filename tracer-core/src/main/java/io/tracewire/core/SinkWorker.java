package io.tracewire.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One sink of an {@link EventBus}: its bounded queue, its worker thread and its counters.
 *
 * <p>Why a wake-up marker: the worker sleeps in {@link ArrayBlockingQueue#take()}, which only a
 * new element ends; flush and close put {@link #WAKE} in the queue (when there is room; a full
 * queue means the worker is busy and will look at its requests after the current batch).
 */
final class SinkWorker {
  private static final Logger LOG = Logger.getLogger(EventBus.class.getName());
  private static final long BLOCK_RECHECK_MILLIS = 50;

  static final StreamEvent WAKE = new StreamEvent("tracewire_wake", "", "", List.of(), List.of(), Map.of(), null, 0, 0);

  private static final int RUNNING = 0;
  private static final int CLOSING = 1;
  private static final int CLOSED = 2;

  /** Marks bus worker threads: on them a full queue never blocks. */
  static final class BusThread extends Thread {
    BusThread(java.lang.Runnable body, String name) {
      super(body, name);
      setDaemon(true);
    }
  }

  private static final class FlushRequest {
    final long target;
    final CountDownLatch done = new CountDownLatch(1);
    volatile boolean ok;

    FlushRequest(long target) {
      this.target = target;
    }
  }

  final EventSink sink;
  final SinkConfig config;
  private final ArrayBlockingQueue<StreamEvent> queue;
  private final BusThread thread;
  private final ConcurrentLinkedQueue<FlushRequest> flushes = new ConcurrentLinkedQueue<>();
  private final AtomicInteger state = new AtomicInteger(RUNNING);

  private final AtomicLong accepted = new AtomicLong();
  /** Events whose fate is settled: delivered, failed, or evicted. */
  private final AtomicLong settled = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong maxDepth = new AtomicLong();
  private boolean failureLogged;

  SinkWorker(EventSink sink, SinkConfig config) {
    this.sink = sink;
    this.config = config;
    this.queue = new ArrayBlockingQueue<>(config.capacity());
    this.thread = new BusThread(this::run, "tracewire-sink-" + config.name());
  }

  void start() {
    thread.start();
  }

  /** Enqueues an event according to the policy; never throws. */
  void offer(StreamEvent e) {
    if (state.get() != RUNNING) {
      drop();
      return;
    }
    switch (config.policy()) {
      case DROP_NEWEST -> {
        if (queue.offer(e)) {
          accepted(1);
        } else {
          drop();
        }
      }
      case DROP_OLDEST -> {
        while (!queue.offer(e)) {
          StreamEvent old = queue.poll();
          if (old != null && old != WAKE) {
            settled.incrementAndGet();
            drop();
          }
        }
        accepted(1);
      }
      case BLOCK -> offerBlocking(e);
    }
  }

  private void offerBlocking(StreamEvent e) {
    if (queue.offer(e)) {
      accepted(1);
      return;
    }
    if (Thread.currentThread() instanceof BusThread) {
      // A sink's own work (or another sink's) must never wait on a bus queue: that is how a bus deadlocks.
      drop();
      return;
    }
    try {
      while (!queue.offer(e, BLOCK_RECHECK_MILLIS, TimeUnit.MILLISECONDS)) {
        if (state.get() != RUNNING) {
          drop();
          return;
        }
      }
      accepted(1);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      drop();
    }
  }

  private void accepted(long n) {
    accepted.addAndGet(n);
    if (state.get() == CLOSED) {
      // The worker is gone (the sink closed while this producer was enqueueing): count what is left as dropped.
      drainOrphans();
    }
  }

  private void drop() {
    if (state.get() == RUNNING && maxDepth.get() < config.capacity()) {
      maxDepth.accumulateAndGet(config.capacity(), Math::max);
    }
    if (dropped.getAndIncrement() == 0) {
      LOG.warning("tracewire sink '" + config.name() + "' dropped an event (policy " + config.policy()
          + ", capacity " + config.capacity() + ", " + (state.get() == RUNNING ? "queue full" : "sink closed")
          + "); further drops are counted in its stats, not logged");
    }
  }

  private void run() {
    List<StreamEvent> batch = new ArrayList<>(Math.min(config.maxBatch(), 4096));
    List<StreamEvent> view = Collections.unmodifiableList(batch);
    try {
      while (true) {
        StreamEvent first = queue.take();
        if (first != WAKE) {
          batch.add(first);
          // The depth peaks just before the worker drains: producers only add while it is busy.
          long depth = Math.min(config.capacity(), 1L + queue.size());
          if (depth > maxDepth.get()) {
            maxDepth.accumulateAndGet(depth, Math::max);
          }
        }
        queue.drainTo(batch, config.maxBatch() - batch.size());
        batch.removeIf(x -> x == WAKE);
        if (!batch.isEmpty()) {
          deliver(view, batch.size());
          batch.clear();
        }
        serviceFlushes();
        if (state.get() != RUNNING && queue.isEmpty()) {
          break;
        }
      }
    } catch (InterruptedException e) {
      // close timed out and gave up on this sink
    } finally {
      finish();
    }
  }

  private void deliver(List<StreamEvent> view, int n) {
    try {
      sink.export(view);
      delivered.addAndGet(n);
    } catch (Throwable t) {
      failed.addAndGet(n);
      if (!failureLogged) {
        failureLogged = true;
        LOG.log(Level.WARNING, "tracewire sink '" + config.name() + "' failed to export " + n
            + " events; further failures are counted in its stats, not logged", t);
      }
      if (t instanceof VirtualMachineError vme) {
        throw vme;
      }
    } finally {
      settled.addAndGet(n);
    }
  }

  private void serviceFlushes() {
    FlushRequest r = flushes.peek();
    if (r == null || settled.get() < r.target) {
      return;
    }
    boolean ok = callQuietly(true);
    long now = settled.get();
    while ((r = flushes.peek()) != null && now >= r.target) {
      flushes.poll();
      r.ok = ok;
      r.done.countDown();
    }
  }

  private boolean callQuietly(boolean flush) {
    try {
      if (flush) {
        sink.flush();
      } else {
        sink.close();
      }
      return true;
    } catch (Throwable t) {
      LOG.log(Level.WARNING, "tracewire sink '" + config.name() + "' threw from " + (flush ? "flush" : "close"), t);
      return false;
    }
  }

  private void finish() {
    if (!Thread.currentThread().isInterrupted()) {
      serviceFlushes();
    }
    callQuietly(true);
    callQuietly(false);
    state.set(CLOSED);
    drainOrphans();
    FlushRequest r;
    while ((r = flushes.poll()) != null) {
      r.done.countDown();
    }
  }

  /** Waits until every event accepted before the call is settled and the sink was flushed. */
  boolean flush(long deadlineNanos) throws InterruptedException {
    if (state.get() == CLOSED) {
      return false;
    }
    FlushRequest r = new FlushRequest(accepted.get());
    flushes.add(r);
    queue.offer(WAKE);
    if (state.get() == CLOSED) {
      flushes.remove(r);
      return false;
    }
    return r.done.await(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS) && r.ok;
  }

  /** Starts closing: the worker delivers what is queued, flushes, closes the sink and stops. */
  void beginClose() {
    if (state.compareAndSet(RUNNING, CLOSING)) {
      queue.offer(WAKE);
    }
  }

  /**
   * Waits for the worker to stop; when the deadline passes first, gives up on the sink: the
   * worker is interrupted and the events still queued are counted as dropped.
   */
  boolean awaitClose(long deadlineNanos) throws InterruptedException {
    if (thread == Thread.currentThread()) {
      return false;
    }
    long waitMillis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    thread.join(Math.max(1, waitMillis));
    if (!thread.isAlive()) {
      return true;
    }
    thread.interrupt();
    drainOrphans();
    return false;
  }

  /** Counts the events left in the queue of a stopped worker as dropped; whether there were any. */
  private boolean drainOrphans() {
    boolean any = false;
    StreamEvent e;
    while ((e = queue.poll()) != null) {
      if (e != WAKE) {
        any = true;
        settled.incrementAndGet();
        drop();
      }
    }
    return any;
  }

  SinkStats stats() {
    return new SinkStats(config.name(), accepted.get(), delivered.get(), dropped.get(), failed.get(), maxDepth.get(),
        config.capacity());
  }
}
