package io.tracewire.core;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * An iterator that holds resources (a run in flight, an HTTP stream) until it is exhausted or
 * closed. Closing before the end cancels the work behind it; closing twice is a no-op.
 * Not thread-safe: one consumer thread at a time, though {@link #close()} may be called from
 * another thread to cancel.
 */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {

  /** Releases the resources and cancels unfinished work. Never throws. */
  @Override
  void close();

  /** Drains the remaining elements into a list, then closes. */
  default List<T> toList() {
    try (this) {
      java.util.ArrayList<T> out = new java.util.ArrayList<>();
      while (hasNext()) {
        out.add(next());
      }
      return out;
    }
  }

  /** Wraps a plain iterator; closing closes it too when it is closeable. */
  static <T> CloseableIterator<T> of(Iterator<? extends T> it) {
    if (it instanceof CloseableIterator<?> c) {
      @SuppressWarnings("unchecked")
      CloseableIterator<T> same = (CloseableIterator<T>) c;
      return same;
    }
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public T next() {
        return it.next();
      }

      @Override
      public void close() {
        if (it instanceof AutoCloseable a) {
          try {
            a.close();
          } catch (Exception ignored) {
            // closing is best effort
          }
        }
      }
    };
  }

  /** An iterator of exactly one element. */
  static <T> CloseableIterator<T> single(T value) {
    return new CloseableIterator<>() {
      private boolean done;

      @Override
      public boolean hasNext() {
        return !done;
      }

      @Override
      public T next() {
        if (done) {
          throw new NoSuchElementException();
        }
        done = true;
        return value;
      }

      @Override
      public void close() {
        done = true;
      }
    };
  }

  /** An empty iterator. */
  static <T> CloseableIterator<T> empty() {
    return of(List.<T>of().iterator());
  }
}
