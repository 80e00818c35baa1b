package io.tracewire.core;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Immutable maps that allow {@code null} values (which {@code Map.copyOf} rejects) and that are
 * recognised, so that the hot path never copies a map twice.
 */
final class Frozen {
  private Frozen() {}

  static final Map<String, Object> EMPTY = new FrozenMap<>(Map.of());

  @SuppressWarnings("unchecked")
  static <K, V> Map<K, V> map(Map<? extends K, ? extends V> m) {
    if (m instanceof FrozenMap<?, ?>) {
      return (Map<K, V>) m;
    }
    if (m == null || m.isEmpty()) {
      return (Map<K, V>) EMPTY;
    }
    return new FrozenMap<>(new LinkedHashMap<>(m));
  }

  /** Wraps a map the caller promises never to touch again. */
  static <K, V> Map<K, V> adopt(LinkedHashMap<K, V> m) {
    return new FrozenMap<>(m);
  }

  static Map<String, Object> of1(String k, Object v) {
    return new FrozenMap<>(Collections.singletonMap(k, v));
  }

  static Map<String, Object> of2(String k1, Object v1, String k2, Object v2) {
    LinkedHashMap<String, Object> m = new LinkedHashMap<>(4);
    m.put(k1, v1);
    m.put(k2, v2);
    return new FrozenMap<>(m);
  }

  static Map<String, Object> of3(String k1, Object v1, String k2, Object v2, String k3, Object v3) {
    LinkedHashMap<String, Object> m = new LinkedHashMap<>(4);
    m.put(k1, v1);
    m.put(k2, v2);
    m.put(k3, v3);
    return new FrozenMap<>(m);
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
