package io.tracewire.core.internal;

import io.tracewire.core.CloseableIterator;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A cold {@link Flow.Publisher} over a closeable iterator: each subscriber gets a new iterator,
 * drained on the executor as demand allows, one drain loop at a time. Cancelling closes the
 * iterator (cancelling the work); a failure is signalled with {@code onError}.
 */
public final class IteratorPublisher<T> implements Flow.Publisher<T> {
  private final Supplier<? extends CloseableIterator<? extends T>> source;
  private final Executor executor;

  public IteratorPublisher(Supplier<? extends CloseableIterator<? extends T>> source, Executor executor) {
    this.source = source;
    this.executor = executor;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    Subscription<T> s = new Subscription<>(subscriber, source, executor);
    subscriber.onSubscribe(s);
  }

  private static final class Subscription<T> implements Flow.Subscription {
    private final Flow.Subscriber<? super T> subscriber;
    private final Supplier<? extends CloseableIterator<? extends T>> source;
    private final Executor executor;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile CloseableIterator<? extends T> it;
    private volatile Thread drainer;

    Subscription(Flow.Subscriber<? super T> subscriber, Supplier<? extends CloseableIterator<? extends T>> source,
        Executor executor) {
      this.subscriber = subscriber;
      this.source = source;
      this.executor = executor;
    }

    @Override
    public void request(long n) {
      if (done.get()) {
        return;
      }
      if (n <= 0) {
        cancel();
        subscriber.onError(new IllegalArgumentException("request must be positive (Reactive Streams rule 3.9), got " + n));
        return;
      }
      demand.getAndUpdate(d -> d + n < 0 ? Long.MAX_VALUE : d + n);
      schedule();
    }

    private void schedule() {
      if (wip.getAndIncrement() == 0) {
        executor.execute(this::drain);
      }
    }

    private void drain() {
      drainer = Thread.currentThread();
      int missed = 1;
      try {
        while (true) {
          while (demand.get() > 0 && !done.get()) {
            if (it == null) {
              it = source.get();
            }
            boolean has;
            T v;
            try {
              has = it.hasNext();
              v = has ? it.next() : null;
            } catch (Throwable t) {
              if (done.compareAndSet(false, true)) {
                it.close();
                subscriber.onError(t);
              }
              return;
            }
            if (!has) {
              if (done.compareAndSet(false, true)) {
                it.close();
                subscriber.onComplete();
              }
              return;
            }
            demand.decrementAndGet();
            subscriber.onNext(v);
          }
          missed = wip.addAndGet(-missed);
          if (missed == 0 || done.get()) {
            return;
          }
        }
      } finally {
        drainer = null;
      }
    }

    @Override
    public void cancel() {
      if (done.compareAndSet(false, true)) {
        CloseableIterator<? extends T> i = it;
        Thread d = drainer;
        if (d != null && d != Thread.currentThread()) {
          d.interrupt();
        }
        if (i != null) {
          i.close();
        }
      }
    }
  }
}
