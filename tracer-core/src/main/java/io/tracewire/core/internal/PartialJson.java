package io.tracewire.core.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the longest meaningful prefix of a JSON text that may still be streaming in, closing
 * open strings, arrays and objects (LangChain's {@code parse_partial_json}). A trailing key
 * without a value, a dangling comma or an incomplete literal is dropped. Returns
 * {@link #INCOMPLETE} when nothing can be parsed yet, and throws
 * {@link IllegalArgumentException} for text that can never become JSON.
 */
public final class PartialJson {
  public static final Object INCOMPLETE = new Object();

  private final String s;
  private int i;

  private PartialJson(String s) {
    this.s = s;
  }

  public static Object parse(String text) {
    String t = stripFence(text);
    PartialJson p = new PartialJson(t);
    p.ws();
    if (p.i >= t.length()) {
      return INCOMPLETE;
    }
    Object v = p.value(0);
    p.ws();
    if (p.i < t.length()) {
      throw new IllegalArgumentException("unexpected text after JSON value at offset " + p.i);
    }
    return v;
  }

  /** Accepts model output wrapped in a Markdown code fence. */
  private static String stripFence(String text) {
    String t = text.strip();
    if (t.startsWith("```")) {
      int nl = t.indexOf('\n');
      t = nl < 0 ? "" : t.substring(nl + 1);
      int end = t.lastIndexOf("```");
      if (end >= 0) {
        t = t.substring(0, end);
      }
    }
    return t;
  }

  private boolean eof() {
    return i >= s.length();
  }

  private void ws() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }

  private Object value(int depth) {
    if (depth > 512) {
      throw new IllegalArgumentException("JSON nested too deeply");
    }
    ws();
    if (eof()) {
      return INCOMPLETE;
    }
    char c = s.charAt(i);
    if (c == '{') {
      i++;
      Map<String, Object> m = new LinkedHashMap<>();
      while (true) {
        ws();
        if (eof()) {
          return Collections.unmodifiableMap(m);
        }
        if (s.charAt(i) == '}') {
          i++;
          return Collections.unmodifiableMap(m);
        }
        if (s.charAt(i) == ',') {
          i++;
          continue;
        }
        if (s.charAt(i) != '"') {
          throw new IllegalArgumentException("expected a key at offset " + i);
        }
        Object k = string();
        ws();
        if (eof() || k == INCOMPLETE) {
          return Collections.unmodifiableMap(m);
        }
        if (s.charAt(i) != ':') {
          throw new IllegalArgumentException("expected ':' at offset " + i);
        }
        i++;
        Object v = value(depth + 1);
        if (v == INCOMPLETE) {
          return Collections.unmodifiableMap(m);
        }
        m.put((String) k, v);
      }
    }
    if (c == '[') {
      i++;
      List<Object> l = new ArrayList<>();
      while (true) {
        ws();
        if (eof()) {
          return Collections.unmodifiableList(l);
        }
        if (s.charAt(i) == ']') {
          i++;
          return Collections.unmodifiableList(l);
        }
        if (s.charAt(i) == ',') {
          i++;
          continue;
        }
        Object v = value(depth + 1);
        if (v == INCOMPLETE) {
          return Collections.unmodifiableList(l);
        }
        l.add(v);
      }
    }
    if (c == '"') {
      return string();
    }
    for (String lit : new String[] {"true", "false", "null"}) {
      if (s.startsWith(lit, i)) {
        i += lit.length();
        return lit.equals("null") ? null : Boolean.valueOf(lit);
      }
      if (lit.startsWith(s.substring(i))) {
        i = s.length();
        return INCOMPLETE;
      }
    }
    return number();
  }

  /** A string; an unterminated one is closed (a partial escape is dropped). */
  private Object string() {
    i++;
    StringBuilder sb = new StringBuilder();
    while (!eof()) {
      char c = s.charAt(i++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\') {
        if (eof()) {
          return sb.toString();
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (i + 4 > s.length()) {
              i = s.length();
              return sb.toString();
            }
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> sb.append(e);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private Object number() {
    int start = i;
    while (!eof() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    String n = s.substring(start, i);
    if (n.isEmpty()) {
      throw new IllegalArgumentException("unexpected character '" + s.charAt(i) + "' at offset " + i);
    }
    if (eof() && (n.endsWith("-") || n.endsWith(".") || n.endsWith("e") || n.endsWith("E") || n.endsWith("+"))) {
      return INCOMPLETE;
    }
    if (n.contains(".") || n.contains("e") || n.contains("E")) {
      return Double.parseDouble(n);
    }
    long l = Long.parseLong(n);
    return l == (int) l ? (Object) (int) l : (Object) l;
  }
}
