package io.tracewire.core.util;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Immutable maps that allow {@code null} values (which {@code Map.copyOf} rejects) and that are
 * recognised, so that the hot path never copies a map twice.
 */
public final class Frozen {
  private Frozen() {}

  public static final Map<String, Object> EMPTY = new FrozenMap<>(Map.of());

  @SuppressWarnings("unchecked")
  public static <K, V> Map<K, V> map(Map<? extends K, ? extends V> m) {
    if (m instanceof FrozenMap<?, ?> || m instanceof Small) {
      return (Map<K, V>) m;
    }
    if (m == null || m.isEmpty()) {
      return (Map<K, V>) EMPTY;
    }
    return new FrozenMap<>(new LinkedHashMap<>(m));
  }

  /** Wraps a map the caller promises never to touch again. */
  public static <K, V> Map<K, V> adopt(LinkedHashMap<K, V> m) {
    return new FrozenMap<>(m);
  }

  /** One entry; one small object (event data is built for every event). */
  public static Map<String, Object> of1(String k, Object v) {
    return new Small(1, k, v, null, null);
  }

  /** Two entries in this order ({@code k1} and {@code k2} differ); one small object. */
  public static Map<String, Object> of2(String k1, Object v1, String k2, Object v2) {
    return new Small(2, k1, v1, k2, v2);
  }

  public static Map<String, Object> of3(String k1, Object v1, String k2, Object v2, String k3, Object v3) {
    LinkedHashMap<String, Object> m = new LinkedHashMap<>(4);
    m.put(k1, v1);
    m.put(k2, v2);
    m.put(k3, v3);
    return new FrozenMap<>(m);
  }

  /**
   * An immutable map of one or two entries with non-null keys, in insertion order; values may be
   * {@code null}. Equality and hash code are those of {@link Map} (from {@link AbstractMap}).
   */
  private static final class Small extends AbstractMap<String, Object> {
    private final int size;
    private final String k1;
    private final Object v1;
    private final String k2;
    private final Object v2;

    Small(int size, String k1, Object v1, String k2, Object v2) {
      this.size = size;
      this.k1 = k1;
      this.v1 = v1;
      this.k2 = k2;
      this.v2 = v2;
    }

    @Override
    public Object get(Object key) {
      if (k1.equals(key)) {
        return v1;
      }
      return size == 2 && k2.equals(key) ? v2 : null;
    }

    @Override
    public boolean containsKey(Object key) {
      return k1.equals(key) || (size == 2 && k2.equals(key));
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public boolean isEmpty() {
      return false;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, Object>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < size;
            }

            @Override
            public Entry<String, Object> next() {
              if (next >= size) {
                throw new NoSuchElementException();
              }
              return next++ == 0 ? new SimpleImmutableEntry<>(k1, v1) : new SimpleImmutableEntry<>(k2, v2);
            }
          };
        }

        @Override
        public int size() {
          return size;
        }
      };
    }
  }

  private static final class FrozenMap<K, V> extends AbstractMap<K, V> {
    private final Map<K, V> m;

    FrozenMap(Map<K, V> m) {
      this.m = m;
    }

    @Override
    public V get(Object key) {
      return m.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return m.containsKey(key);
    }

    @Override
    public int size() {
      return m.size();
    }

    @Override
    public boolean isEmpty() {
      return m.isEmpty();
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
      return Collections.unmodifiableMap(m).entrySet();
    }
  }
}
