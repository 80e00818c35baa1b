package io.tracewire.core.runnable;

import io.tracewire.core.internal.Addable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map whose chunks combine with {@code +} (LangChain's {@code AddableDict}): keys merge, and
 * values under a shared key are added. Chunks of {@link RunnableParallel} and
 * {@link RunnablePassthrough#assign} streams are addable maps; plain maps are not addable (a
 * stream of plain maps aggregates to its last map). Mutable like a {@link LinkedHashMap}; the
 * runtime never changes one after yielding it.
 */
public final class AddableMap extends LinkedHashMap<String, Object> {
  static {
    Addable.register(AddableMap.class, (a, b) -> {
      @SuppressWarnings("unchecked")
      Map<String, ?> m = b instanceof Map<?, ?> ? (Map<String, ?>) b : null;
      return m == null ? null : a.plus(m);
    });
  }

  public AddableMap() {}

  public AddableMap(Map<String, ?> m) {
    super(m);
  }

  /** A new map: this one's entries combined with {@code other}'s. */
  public AddableMap plus(Map<String, ?> other) {
    AddableMap out = new AddableMap(this);
    for (Map.Entry<String, ?> e : other.entrySet()) {
      Object mine = out.get(e.getKey());
      if (mine == null) {
        out.put(e.getKey(), e.getValue());
      } else if (e.getValue() != null) {
        out.put(e.getKey(), Addable.add(mine, e.getValue()));
      }
    }
    return out;
  }
}
