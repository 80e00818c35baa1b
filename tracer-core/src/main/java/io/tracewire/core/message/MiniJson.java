package io.tracewire.core.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, small JSON reader for tool-call arguments, so that tracer-core needs no JSON
 * library. Returns {@code null} (never throws) for text that is not a complete JSON object.
 */
final class MiniJson {
  private final String s;
  private int i;

  private MiniJson(String s) {
    this.s = s;
  }

  static Map<String, Object> parseObject(String text) {
    try {
      MiniJson p = new MiniJson(text);
      p.ws();
      Object v = p.value(0);
      p.ws();
      if (p.i != p.s.length() || !(v instanceof Map)) {
        return null;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) v;
      return m;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void ws() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }

  private Object value(int depth) {
    if (depth > 256) {
      throw new IllegalArgumentException("too deep");
    }
    ws();
    char c = s.charAt(i);
    switch (c) {
      case '{': {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (s.charAt(i) == '}') {
          i++;
          return Collections.unmodifiableMap(m);
        }
        while (true) {
          ws();
          String k = string();
          ws();
          expect(':');
          m.put(k, value(depth + 1));
          ws();
          if (s.charAt(i) == ',') {
            i++;
          } else {
            expect('}');
            return Collections.unmodifiableMap(m);
          }
        }
      }
      case '[': {
        i++;
        List<Object> l = new ArrayList<>();
        ws();
        if (s.charAt(i) == ']') {
          i++;
          return Collections.unmodifiableList(l);
        }
        while (true) {
          l.add(value(depth + 1));
          ws();
          if (s.charAt(i) == ',') {
            i++;
          } else {
            expect(']');
            return Collections.unmodifiableList(l);
          }
        }
      }
      case '"':
        return string();
      case 't':
        word("true");
        return Boolean.TRUE;
      case 'f':
        word("false");
        return Boolean.FALSE;
      case 'n':
        word("null");
        return null;
      default:
        return number();
    }
  }

  private void expect(char c) {
    if (s.charAt(i) != c) {
      throw new IllegalArgumentException("expected " + c);
    }
    i++;
  }

  private void word(String w) {
    if (!s.startsWith(w, i)) {
      throw new IllegalArgumentException("expected " + w);
    }
    i += w.length();
  }

  private String string() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\') {
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> sb.append(e);
        }
      } else if (c < 0x20) {
        throw new IllegalArgumentException("control character in string");
      } else {
        sb.append(c);
      }
    }
  }

  private Object number() {
    int start = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    String n = s.substring(start, i);
    if (n.isEmpty()) {
      throw new IllegalArgumentException("unexpected character");
    }
    if (n.contains(".") || n.contains("e") || n.contains("E")) {
      return Double.parseDouble(n);
    }
    long l = Long.parseLong(n);
    return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) (int) l : (Object) l;
  }
}
