package io.tracewire.core.internal;

import io.tracewire.core.message.AIMessageChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Python's {@code +} on stream chunks, which LangChain uses to aggregate a run's streamed input
 * and output: strings concatenate, lists concatenate, numbers add, addable maps merge, message
 * and generation chunks merge. Anything else is not addable.
 *
 * <p>Types defined above the engine (addable maps, generation chunks) bring their own addition:
 * they {@link #register} it from their static initialiser, which runs before any of their
 * instances exists, so the engine never names them and never meets one unregistered.
 */
public final class Addable {
  private Addable() {}

  /** A type's own {@code +}: the sum of an instance and {@code other}, or {@code null} when they do not add. */
  private record Plus(Class<?> type, BiFunction<Object, Object, Object> plus) {}

  /** Copied on write; a handful of types, each registered once. */
  private static volatile Plus[] registered = new Plus[0];

  /**
   * Makes instances of exactly {@code type} addable: {@code plus} returns the sum of an instance
   * and any other value, or {@code null} when that value does not add to it. Called once per type,
   * from its static initialiser.
   */
  public static synchronized <T> void register(Class<T> type, BiFunction<? super T, Object, Object> plus) {
    Plus[] now = registered;
    Plus[] next = java.util.Arrays.copyOf(now, now.length + 1);
    next[now.length] = new Plus(type, (a, b) -> plus.apply(type.cast(a), b));
    registered = next;
  }

  /** Thrown when two values cannot be added (Python's TypeError). */
  public static final class NotAddable extends RuntimeException {
    NotAddable(Object a, Object b) {
      super("unsupported operand types for +: " + name(a) + " and " + name(b), null, false, false);
    }

    private static String name(Object o) {
      return o == null ? "null" : o.getClass().getSimpleName();
    }
  }

  public static Object add(Object a, Object b) {
    if (a instanceof String x && b instanceof String y) {
      return x.concat(y);
    }
    if (a instanceof AIMessageChunk x && b instanceof AIMessageChunk y) {
      return x.add(y);
    }
    if (a != null) {
      for (Plus p : registered) {
        if (p.type == a.getClass()) {
          Object sum = p.plus.apply(a, b);
          if (sum != null) {
            return sum;
          }
          break;
        }
      }
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      List<Object> out = new ArrayList<>(x.size() + y.size());
      out.addAll(x);
      out.addAll(y);
      return out;
    }
    if (a instanceof Number x && b instanceof Number y && !(a instanceof Boolean)) {
      if (isInt(x) && isInt(y)) {
        long r = x.longValue() + y.longValue();
        if (x instanceof Integer && y instanceof Integer && r == (int) r) {
          return (int) r;
        }
        return r;
      }
      return x.doubleValue() + y.doubleValue();
    }
    throw new NotAddable(a, b);
  }

  private static boolean isInt(Number n) {
    return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
  }

  /** Aggregates a stream of chunks; once two chunks fail to add, keeps the latest. */
  public static final class Aggregator {
    private Object value;
    private boolean has;
    private boolean supported = true;
    // Linear-time fast paths for the common streams: text and message chunks.
    private StringBuilder text;
    private io.tracewire.core.message.ChunkAccumulator chunks;

    public void add(Object chunk) {
      if (!has) {
        value = chunk;
        has = true;
      } else if (supported && chunk instanceof String s && (text != null || value instanceof String)) {
        if (text == null) {
          text = new StringBuilder((String) value);
        }
        text.append(s);
      } else if (supported && chunk instanceof AIMessageChunk c && (chunks != null || value instanceof AIMessageChunk)) {
        if (chunks == null) {
          chunks = new io.tracewire.core.message.ChunkAccumulator();
          chunks.add((AIMessageChunk) value);
        }
        chunks.add(c);
      } else if (supported) {
        settle();
        try {
          value = Addable.add(value, chunk);
        } catch (NotAddable e) {
          value = chunk;
          supported = false;
        }
      } else {
        value = chunk;
      }
    }

    private void settle() {
      if (text != null) {
        value = text.toString();
        text = null;
      }
      if (chunks != null) {
        value = chunks.result();
        chunks = null;
      }
    }

    public boolean has() {
      return has;
    }

    public Object value() {
      settle();
      return value;
    }
  }
}
