package io.tracewire.core.internal;

import java.util.Collection;
import java.util.Map;

/** Python's value rules that LangChain's event data depends on. */
public final class Py {
  private Py() {}

  /** Python truthiness: {@code None, False, 0, "", [], {}} are falsy. */
  public static boolean falsy(Object o) {
    if (o == null) {
      return true;
    }
    if (o instanceof Boolean b) {
      return !b;
    }
    if (o instanceof Number n) {
      return n.doubleValue() == 0.0;
    }
    if (o instanceof CharSequence s) {
      return s.length() == 0;
    }
    if (o instanceof Collection<?> c) {
      return c.isEmpty();
    }
    if (o instanceof Map<?, ?> m) {
      return m.isEmpty();
    }
    return false;
  }
}
