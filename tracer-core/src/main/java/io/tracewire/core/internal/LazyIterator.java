package io.tracewire.core.internal;

import io.tracewire.core.CloseableIterator;

import java.util.NoSuchElementException;
import java.util.function.Supplier;

/** An iterator created on first use, so that a stream does nothing until pulled. */
public final class LazyIterator<T> implements CloseableIterator<T> {
  private Supplier<? extends CloseableIterator<? extends T>> factory;
  private CloseableIterator<? extends T> delegate;
  private final AutoCloseable onEarlyClose;
  private volatile boolean closed;

  public LazyIterator(Supplier<? extends CloseableIterator<? extends T>> factory) {
    this(factory, null);
  }

  public LazyIterator(Supplier<? extends CloseableIterator<? extends T>> factory, AutoCloseable onEarlyClose) {
    this.factory = factory;
    this.onEarlyClose = onEarlyClose;
  }

  private CloseableIterator<? extends T> delegate() {
    if (delegate == null) {
      if (closed) {
        return CloseableIterator.empty();
      }
      Supplier<? extends CloseableIterator<? extends T>> f = factory;
      factory = null;
      delegate = f.get();
    }
    return delegate;
  }

  @Override
  public boolean hasNext() {
    return delegate().hasNext();
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return delegate.next();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CloseableIterator<? extends T> d = delegate;
    if (d != null) {
      d.close();
    } else if (onEarlyClose != null) {
      try {
        onEarlyClose.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
  }
}
