package io.tracewire.core.internal;

import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.RunContext;

import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;

/**
 * Adapts a push-style body ({@code emit.accept(x)} calls) to a pull iterator: the body runs on
 * the executor with the given run context and may run one item ahead of the consumer. Closing
 * interrupts the body, which sees an {@link InterruptedException} or a
 * {@link CancellationException} from {@code emit}.
 */
public final class ProducerIterator<T> implements CloseableIterator<T> {
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(1);
  private final FutureTask<Void> task;
  private volatile boolean closed;
  private Object pending;
  private boolean done;
  private boolean started;
  private final Executor executor;

  private static final class Failure {
    final Throwable error;

    Failure(Throwable error) {
      this.error = error;
    }
  }

  public ProducerIterator(Consumer<Consumer<T>> body, RunConfig context, Executor executor) {
    this.executor = executor;
    this.task = new FutureTask<>(() -> {
      CurrentRun.with(context, () -> {
        try {
          body.accept(this::emit);
          put(END);
        } catch (Throwable t) {
          if (!closed) {
            put(new Failure(t));
          }
        }
        return null;
      });
      return null;
    });
  }

  private void emit(T value) {
    if (closed) {
      throw new CancellationException("the consumer closed the stream");
    }
    put(value == null ? NullItem.INSTANCE : value);
  }

  private void put(Object o) {
    try {
      queue.put(o);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      CancellationException c = new CancellationException("the consumer closed the stream");
      c.initCause(e);
      throw c;
    }
  }

  private enum NullItem {
    INSTANCE
  }

  @Override
  public boolean hasNext() {
    if (pending != null) {
      return true;
    }
    if (done) {
      return false;
    }
    if (!started) {
      started = true;
      executor.execute(task);
    }
    Object o;
    try {
      o = queue.take();
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      CancellationException c = new CancellationException("interrupted while waiting for the next chunk");
      c.initCause(e);
      throw c;
    }
    if (o == END) {
      done = true;
      return false;
    }
    if (o instanceof Failure f) {
      done = true;
      throw Engine.unchecked(f.error);
    }
    pending = o;
    return true;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Object o = pending;
    pending = null;
    return o == NullItem.INSTANCE ? null : (T) o;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    done = true;
    task.cancel(true);
    queue.clear();
  }
}
