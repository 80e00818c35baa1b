package io.tracewire.core.sink;

import io.tracewire.core.event.StreamEvent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One sink of an {@link EventBus}: its bounded queue ({@link EventQueue}), its worker thread and
 * its counters. Flush and close requests wake the worker with {@link EventQueue#wake()}.
 */
final class SinkWorker {
  private static final Logger LOG = Logger.getLogger(EventBus.class.getName());
  private static final long BLOCK_RECHECK_MILLIS = 50;
  /** The longest an event waits in the queue of an idle worker while events flow: 1 ms. */
  private static final long PAUSE_NANOS = 1_000_000;
  private static final long IDLE_NANOS = 100_000_000;

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
  private final EventQueue queue;
  private final BusThread thread;
  private final ConcurrentLinkedQueue<FlushRequest> flushes = new ConcurrentLinkedQueue<>();
  private final AtomicInteger state = new AtomicInteger(RUNNING);

  /*
   * Counters. The queue counts what it accepted and what DROP_OLDEST evicted (under its lock);
   * these count the rest. settled (delivered, failed, or dropped after being accepted) plus the
   * evicted ones reaches the accepted count once everything accepted before has been dealt with.
   */
  private final AtomicLong settled = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  /** Events dropped without being accepted (full queue, closed sink) or left over after close. */
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong maxDepth = new AtomicLong();
  private final AtomicBoolean dropLogged = new AtomicBoolean();
  private boolean failureLogged;
  /** The lost count ({@code dropped} plus evicted) last reported to the sink; worker thread only. */
  private long lostReported;

  SinkWorker(EventSink sink, SinkConfig config) {
    this.sink = sink;
    this.config = config;
    this.queue = new EventQueue(config.capacity());
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
          accepted();
        } else {
          drop();
        }
      }
      case DROP_OLDEST -> {
        if (queue.offerEvicting(e)) {
          full();
        }
        accepted();
      }
      case BLOCK -> offerBlocking(e);
    }
  }

  private void offerBlocking(StreamEvent e) {
    if (queue.offer(e)) {
      accepted();
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
      accepted();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      drop();
    }
  }

  /**
   * Whether this sink would drop an event offered now: it is closing or closed, or its policy is
   * DROP_NEWEST and its queue is full. Lock-free, so that producers can skip building events
   * nobody will receive. The answer is true at the moment of the call (when it says full, the
   * event offered at that moment would have been dropped).
   */
  boolean saturated() {
    return state.get() != RUNNING || (config.policy() == OverflowPolicy.DROP_NEWEST && queue.isFull());
  }

  private void accepted() {
    if (state.get() == CLOSED) {
      // The worker is gone (the sink closed while this producer was enqueueing): count what is left as dropped.
      drainOrphans();
    }
  }

  /**
   * Counts one event as dropped: refused by a full queue or a closed sink, left over after close,
   * or not even built because the producer saw {@link #saturated()}.
   */
  void drop() {
    dropped.incrementAndGet();
    full();
  }

  /** Notes a drop (counted by the caller or the queue): the queue was full, or the sink closed. */
  private void full() {
    boolean running = state.get() == RUNNING;
    if (running && maxDepth.get() < config.capacity()) {
      maxDepth.accumulateAndGet(config.capacity(), Math::max);
    }
    if (!dropLogged.get() && dropLogged.compareAndSet(false, true)) {
      LOG.warning("tracewire sink '" + config.name() + "' dropped an event (policy " + config.policy()
          + ", capacity " + config.capacity() + ", " + (running ? "queue full" : "sink closed")
          + "); further drops are counted in its stats, not logged");
    }
  }

  private void run() {
    List<StreamEvent> batch = new ArrayList<>(Math.min(config.maxBatch(), 4096));
    List<StreamEvent> view = Collections.unmodifiableList(batch);
    try {
      while (true) {
        StreamEvent first = nextEvent();
        if (first != null) {
          batch.add(first);
          // The depth peaks just before the worker drains: producers only add while it is busy.
          long depth = Math.min(config.capacity(), 1L + queue.size());
          if (depth > maxDepth.get()) {
            maxDepth.accumulateAndGet(depth, Math::max);
          }
        }
        queue.drainTo(batch, config.maxBatch() - batch.size());
        if (!batch.isEmpty()) {
          deliver(view, batch.size());
          batch.clear();
        }
        serviceFlushes();
        if (state.get() != RUNNING && queue.size() == 0) {
          break;
        }
      }
    } catch (InterruptedException e) {
      // close timed out and gave up on this sink
    } finally {
      finish();
    }
  }

  /**
   * The next queued event, or {@code null} when a flush or close request woke the worker. See
   * {@link EventQueue#await} for how the worker waits: at most {@value #PAUSE_NANOS} ns at a time
   * while events flow (or until half the queue or a batch is waiting), without a timeout after
   * {@value #IDLE_NANOS} ns without events.
   */
  private StreamEvent nextEvent() throws InterruptedException {
    return queue.await(PAUSE_NANOS, IDLE_NANOS);
  }

  /** Reports to the sink the events lost since the last report ({@link EventSink#dropped}). */
  private void reportLost() {
    // Only DROP_OLDEST evicts; reading its count takes the queue's lock, which producers contend for.
    long lost = dropped.get() + (config.policy() == OverflowPolicy.DROP_OLDEST ? queue.evicted() : 0);
    long delta = lost - lostReported;
    if (delta <= 0) {
      return;
    }
    lostReported = lost;
    try {
      sink.dropped(delta);
    } catch (Throwable t) {
      LOG.log(Level.FINE, "tracewire sink '" + config.name() + "' threw from dropped(" + delta + ")", t);
      if (t instanceof VirtualMachineError vme) {
        throw vme;
      }
    }
  }

  private void deliver(List<StreamEvent> view, int n) {
    reportLost();
    try {
      sink.export(view);
      delivered.addAndGet(n);
    } catch (Throwable t) {
      failed.addAndGet(n);
      if (!failureLogged) {
        failureLogged = true;
        // one line with the cause chain; the stack trace only when this logger is at FINE (debugging)
        String msg = "tracewire sink '" + config.name() + "' failed to export " + n + " events: " + causes(t)
            + "; further failures are counted in its stats, not logged";
        if (LOG.isLoggable(Level.FINE)) {
          LOG.log(Level.WARNING, msg, t);
        } else {
          LOG.warning(msg);
        }
      }
      if (t instanceof VirtualMachineError vme) {
        throw vme;
      }
    } finally {
      settled.addAndGet(n);
    }
  }

  /** {@code Class: message} of a throwable and of each of its causes, on one line (at most 8 deep). */
  static String causes(Throwable t) {
    if (t == null) {
      return "no cause given";
    }
    StringBuilder sb = new StringBuilder();
    String previous = "";
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      String one = m == null || m.isBlank() ? t.getClass().getName()
          : t.getClass().getName() + ": " + m.replace('\n', ' ').replace('\r', ' ');
      if (previous.contains(one)) {
        continue; // a wrapper whose message already names this cause
      }
      if (sb.length() > 0) {
        sb.append("; caused by ");
      }
      sb.append(one);
      previous = one;
    }
    return sb.toString();
  }

  private void serviceFlushes() {
    FlushRequest r = flushes.peek();
    if (r == null || settled() < r.target) {
      return;
    }
    boolean ok = callQuietly(true);
    long now = settled();
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
    reportLost();
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
    FlushRequest r = new FlushRequest(queue.accepted());
    flushes.add(r);
    queue.wake();
    if (state.get() == CLOSED) {
      flushes.remove(r);
      return false;
    }
    return r.done.await(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS) && r.ok;
  }

  /** Starts closing: the worker delivers what is queued, flushes, closes the sink and stops. */
  void beginClose() {
    if (state.compareAndSet(RUNNING, CLOSING)) {
      queue.wake();
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
      any = true;
      settled.incrementAndGet();
      drop();
    }
    return any;
  }

  /** Events accepted by the queue whose fate is settled: delivered, failed, evicted, or dropped after close. */
  private long settled() {
    return settled.get() + queue.evicted();
  }

  SinkStats stats() {
    long evicted = queue.evicted();
    return new SinkStats(config.name(), queue.accepted(), delivered.get(), dropped.get() + evicted, failed.get(),
        maxDepth.get(), config.capacity());
  }
}
