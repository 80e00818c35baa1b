package io.tracewire.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue of one sink: a ring of {@code capacity} slots under one lock, like
 * {@code ArrayBlockingQueue}, plus what a sink's overflow policies need and that queue lacks:
 * {@link #offerEvicting} replaces the oldest event with the new one in a single lock hold
 * (DROP_OLDEST was three: a failed offer, a poll and an offer), the queue counts what it
 * accepted and evicted under that same lock (no extra atomic per event), {@link #isFull()} is
 * a lock-free read, {@link #await} lets a consumer sleep through a steady stream of events
 * without a wake-up per event, and {@link #wake()} ends that wait without putting a marker into
 * the queue.
 *
 * <p>Thread-safe: any number of producers; removals ({@link #poll}, {@link #await},
 * {@link #drainTo}) from the sink's worker, and {@link #poll} from whoever counts leftovers after
 * the worker stopped. FIFO.
 */
final class EventQueue {
  private final StreamEvent[] items;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  /** Guarded by {@code lock}. */
  private int head;
  private int tail;
  private boolean woken;
  private long accepted;
  private long evicted;
  /**
   * Written under {@code lock} with release semantics (a plain store on x86, where a volatile
   * store would add a fence to every event), read without the lock by {@link #isFull} and
   * {@link #size} with acquire semantics.
   */
  private int count;
  private static final VarHandle COUNT;

  static {
    try {
      COUNT = MethodHandles.lookup().findVarHandle(EventQueue.class, "count", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Whether the consumer waits in {@link #await}; guarded by {@code lock}. */
  private boolean waiting;
  /** How many queued events make a producer wake a waiting consumer; guarded by {@code lock}. */
  private int signalAt = 1;
  private final int batchSignal;

  /**
   * @param capacity the number of slots
   * @param batchSignal while the consumer waits with a timeout, the queue length at which a
   *     producer wakes it early (so a burst is drained before the queue fills)
   */
  EventQueue(int capacity, int batchSignal) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
    }
    items = new StreamEvent[capacity];
    this.batchSignal = Math.max(1, Math.min(batchSignal, capacity));
  }

  EventQueue(int capacity) {
    this(capacity, capacity / 2);
  }

  int capacity() {
    return items.length;
  }

  /** Adds the event if there is room; whether it was added. */
  boolean offer(StreamEvent e) {
    ReentrantLock l = lock;
    l.lock();
    try {
      if (count == items.length) {
        return false;
      }
      enqueue(e);
      return true;
    } finally {
      l.unlock();
    }
  }

  /** Adds the event, first evicting the oldest one if the queue is full; whether one was evicted. */
  boolean offerEvicting(StreamEvent e) {
    ReentrantLock l = lock;
    l.lock();
    try {
      if (count == items.length) {
        // overwrite the oldest slot and move both ends: the count stays at capacity
        items[head] = e;
        head = next(head);
        tail = head;
        evicted++;
        accepted++;
        return true;
      }
      enqueue(e);
      return false;
    } finally {
      l.unlock();
    }
  }

  /** Adds the event, waiting up to the timeout for room; whether it was added. */
  boolean offer(StreamEvent e, long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    ReentrantLock l = lock;
    l.lockInterruptibly();
    try {
      while (count == items.length) {
        if (nanos <= 0) {
          return false;
        }
        nanos = notFull.awaitNanos(nanos);
      }
      enqueue(e);
      return true;
    } finally {
      l.unlock();
    }
  }

  private void enqueue(StreamEvent e) {
    items[tail] = e;
    tail = next(tail);
    COUNT.setRelease(this, count + 1);
    accepted++;
    if (waiting && count >= signalAt) {
      notEmpty.signal();
    }
  }

  private int next(int i) {
    return i + 1 == items.length ? 0 : i + 1;
  }

  /** The oldest event, or {@code null} when empty. */
  StreamEvent poll() {
    ReentrantLock l = lock;
    l.lock();
    try {
      return count == 0 ? null : dequeue();
    } finally {
      l.unlock();
    }
  }

  /**
   * The oldest event, waiting for one if the queue is empty; {@code null} when {@link #wake()} was
   * called (before or during the wait) and the queue is empty.
   *
   * <p>How it waits is what keeps a busy sink from costing producers: while the queue has been
   * empty for less than {@code idleNanos}, the consumer sleeps {@code pauseNanos} at a time and
   * producers wake it only once {@code batchSignal} events are queued, so a steady stream of
   * events costs one wake-up per pause or per batch, not one per event, and an event waits at most
   * about one pause. After {@code idleNanos} without events the consumer sleeps without a timeout
   * and the first event wakes it (an idle sink costs nothing).
   */
  StreamEvent await(long pauseNanos, long idleNanos) throws InterruptedException {
    ReentrantLock l = lock;
    l.lockInterruptibly();
    try {
      long since = System.nanoTime();
      while (count == 0) {
        if (woken) {
          woken = false;
          return null;
        }
        boolean idle = System.nanoTime() - since >= idleNanos;
        signalAt = idle ? 1 : batchSignal;
        waiting = true;
        try {
          if (idle) {
            notEmpty.await();
          } else {
            notEmpty.awaitNanos(pauseNanos);
          }
        } finally {
          waiting = false;
        }
      }
      return dequeue();
    } finally {
      l.unlock();
    }
  }

  private StreamEvent dequeue() {
    StreamEvent e = items[head];
    items[head] = null;
    head = next(head);
    COUNT.setRelease(this, count - 1);
    notFull.signal();
    return e;
  }

  /** Moves up to {@code max} of the oldest events to {@code to}; how many. */
  int drainTo(List<StreamEvent> to, int max) {
    ReentrantLock l = lock;
    l.lock();
    try {
      int n = Math.min(max, count);
      for (int i = 0; i < n; i++) {
        to.add(items[head]);
        items[head] = null;
        head = next(head);
      }
      if (n > 0) {
        COUNT.setRelease(this, count - n);
        notFull.signalAll();
      }
      return n;
    } finally {
      l.unlock();
    }
  }

  /** Ends the current or next {@link #await} that finds the queue empty. */
  void wake() {
    ReentrantLock l = lock;
    l.lock();
    try {
      woken = true;
      notEmpty.signal();
    } finally {
      l.unlock();
    }
  }

  /** Whether the queue was full at the moment of the call. Lock-free. */
  boolean isFull() {
    return (int) COUNT.getAcquire(this) == items.length;
  }

  /** The number of queued events at the moment of the call. Lock-free. */
  int size() {
    return (int) COUNT.getAcquire(this);
  }

  /** Events accepted so far (each add, including those that evicted another). */
  long accepted() {
    ReentrantLock l = lock;
    l.lock();
    try {
      return accepted;
    } finally {
      l.unlock();
    }
  }

  /** Events evicted so far by {@link #offerEvicting}. */
  long evicted() {
    ReentrantLock l = lock;
    l.lock();
    try {
      return evicted;
    } finally {
      l.unlock();
    }
  }
}
