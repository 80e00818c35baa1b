package io.tracewire.dashboard;

import java.util.ArrayList;
import java.util.HashMap;

/**
 * Interned strings by number: event names of the store, event names of a tree that differ from
 * their run's. Append-only. Not thread-safe: the {@link RunStore} lock guards it.
 */
final class StringTable {
  private final ArrayList<String> strings = new ArrayList<>();
  private final HashMap<String, Integer> codes = new HashMap<>();

  /** The number of {@code s}, added when new. */
  int code(String s) {
    Integer c = codes.get(s);
    if (c == null) {
      c = strings.size();
      strings.add(s);
      codes.put(s, c);
    }
    return c;
  }

  String get(int code) {
    return strings.get(code);
  }
}
