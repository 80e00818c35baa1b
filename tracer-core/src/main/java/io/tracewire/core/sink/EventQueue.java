package io.tracewire.core.sink;

import io.tracewire.core.event.StreamEvent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
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
  private final Condition notFull = lock.newCondition();
  /** Guarded by {@code lock}. */
  private int head;
  private int tail;
  private boolean woken;
  private long accepted;
  private long evicted;
  private long producerWakeups;
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

  /**
   * The consumer while it sleeps in {@link #await}, else null; guarded by {@code lock}. The
   * consumer parks outside the lock (not on a {@code Condition}), so that waking it up never
   * leaves it queued on the lock, where every producer's unlock would have to unpark it again.
   */
  private Thread parked;
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

  /**
   * How many times a thread retries a held lock before it waits in it. Every hold here is a few
   * array stores (or one drain of at most a batch), so a short spin almost always gets the lock;
   * parking instead would make the other side's unlock pay a futex wake-up, which profiles showed
   * to be the largest cost of an event when a fast sink's worker drains while the app emits.
   */
  private static final int SPINS = 128;

  private static boolean spinFor(ReentrantLock l) {
    for (int i = 0; i < SPINS; i++) {
      if (l.tryLock()) {
        return true;
      }
      Thread.onSpinWait();
    }
    return false;
  }

  private static void lock(ReentrantLock l) {
    if (!spinFor(l)) {
      l.lock();
    }
  }

  private static void lockInterruptibly(ReentrantLock l) throws InterruptedException {
    if (!spinFor(l)) {
      l.lockInterruptibly();
    }
  }

  /** Adds the event if there is room; whether it was added. */
  boolean offer(StreamEvent e) {
    ReentrantLock l = lock;
    lock(l);
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
    lock(l);
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
    lockInterruptibly(l);
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
    Thread t = parked;
    if (t != null && count >= signalAt) {
      parked = null;
      producerWakeups++;
      LockSupport.unpark(t);
    }
  }

  private int next(int i) {
    return i + 1 == items.length ? 0 : i + 1;
  }

  /** The oldest event, or {@code null} when empty. */
  StreamEvent poll() {
    ReentrantLock l = lock;
    lock(l);
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
    long since = System.nanoTime();
    ReentrantLock l = lock;
    while (true) {
      boolean idle;
      lockInterruptibly(l);
      try {
        if (count > 0) {
          parked = null;
          return dequeue();
        }
        if (woken) {
          woken = false;
          parked = null;
          return null;
        }
        idle = System.nanoTime() - since >= idleNanos;
        signalAt = idle ? 1 : batchSignal;
        parked = Thread.currentThread();
      } finally {
        l.unlock();
      }
      // A producer that queues enough (or wake()) after the unlock above unparks this thread; if
      // that happens before the park, the park returns at once (LockSupport's permit), so no
      // wake-up is lost.
      if (idle) {
        LockSupport.park(this);
      } else {
        LockSupport.parkNanos(this, pauseNanos);
      }
      if (Thread.interrupted()) {
        lock(l);
        try {
          parked = null;
        } finally {
          l.unlock();
        }
        throw new InterruptedException();
      }
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
    lock(l);
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
    lock(l);
    try {
      woken = true;
      Thread t = parked;
      if (t != null) {
        parked = null;
        LockSupport.unpark(t);
      }
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
    lock(l);
    try {
      return accepted;
    } finally {
      l.unlock();
    }
  }

  /** How many times a producer woke the consumer (tests check that a steady stream does not). */
  long producerWakeups() {
    ReentrantLock l = lock;
    lock(l);
    try {
      return producerWakeups;
    } finally {
      l.unlock();
    }
  }

  /** Events evicted so far by {@link #offerEvicting}. */
  long evicted() {
    ReentrantLock l = lock;
    lock(l);
    try {
      return evicted;
    } finally {
      l.unlock();
    }
  }
}
