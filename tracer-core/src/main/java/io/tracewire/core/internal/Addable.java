package io.tracewire.core.internal;

import io.tracewire.core.model.GenerationChunk;
import io.tracewire.core.runnable.AddableMap;

import io.tracewire.core.message.AIMessageChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code +} on stream chunks, which LangChain uses to aggregate a run's streamed input
 * and output: strings concatenate, lists concatenate, numbers add, addable maps merge, message
 * and generation chunks merge. Anything else is not addable.
 */
public final class Addable {
  private Addable() {}

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
    if (a instanceof AddableMap x && b instanceof java.util.Map<?, ?> y) {
      @SuppressWarnings("unchecked")
      java.util.Map<String, ?> m = (java.util.Map<String, ?>) y;
      return x.plus(m);
    }
    if (a instanceof GenerationChunk x && b instanceof GenerationChunk y) {
      return x.add(y);
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
