package io.tracewire.core.internal;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/** Python's {@code json.dumps} formatting ({@code ", "} and {@code ": "} separators), falling back to {@code str}. */
public final class PyJson {
  private PyJson() {}

  public static String dumps(Object o) {
    StringBuilder sb = new StringBuilder();
    write(sb, o, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object o, int depth) {
    if (depth > 100) {
      sb.append("\"...\"");
      return;
    }
    if (o == null) {
      sb.append("null");
    } else if (o instanceof Boolean b) {
      sb.append(b ? "true" : "false");
    } else if (o instanceof Number n) {
      sb.append(n);
    } else if (o instanceof CharSequence s) {
      string(sb, s.toString());
    } else if (o instanceof Map<?, ?> m) {
      sb.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        string(sb, String.valueOf(e.getKey()));
        sb.append(": ");
        write(sb, e.getValue(), depth + 1);
        if (it.hasNext()) {
          sb.append(", ");
        }
      }
      sb.append('}');
    } else if (o instanceof Collection<?> c) {
      sb.append('[');
      Iterator<?> it = c.iterator();
      while (it.hasNext()) {
        write(sb, it.next(), depth + 1);
        if (it.hasNext()) {
          sb.append(", ");
        }
      }
      sb.append(']');
    } else {
      string(sb, String.valueOf(o));
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
