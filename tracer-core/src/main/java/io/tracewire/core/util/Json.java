package io.tracewire.core.util;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tracer-core's one JSON reader, so that the core needs no JSON library. Two modes over one
 * grammar:
 * <ul>
 *   <li><b>strict</b> ({@link #parseObject}): a complete JSON object, as tool-call arguments are;
 *       anything else (trailing text, unterminated values, control characters in strings) is
 *       {@code null}, never an exception;</li>
 *   <li><b>partial</b> ({@link #parsePartial}): the longest meaningful prefix of a text that may
 *       still be streaming in, closing open strings, arrays and objects (LangChain's
 *       {@code parse_partial_json}). A trailing key without a value, a dangling comma or an
 *       incomplete literal is dropped; {@link #INCOMPLETE} when nothing can be parsed yet; an
 *       {@link IllegalArgumentException} naming the offset for text that can never become JSON.
 *       Model output wrapped in a Markdown code fence is accepted.</li>
 * </ul>
 * Objects keep their key order; numbers are {@code Integer} when they fit, else {@code Long},
 * {@code Double} with a fraction or exponent. Results are unmodifiable. Stateless and
 * thread-safe (each call has its own cursor). Internal: not API.
 */
public final class Json {
  /** What {@link #parsePartial} returns when no value can be parsed yet. */
  public static final Object INCOMPLETE = new Object();

  private static final int STRICT_MAX_DEPTH = 256;
  private static final int PARTIAL_MAX_DEPTH = 512;

  private final String s;
  private final boolean partial;
  private int i;

  private Json(String s, boolean partial) {
    this.s = s;
    this.partial = partial;
  }

  /** A complete JSON object, or {@code null} for any text that is not exactly one. */
  public static Map<String, Object> parseObject(String text) {
    if (text == null) {
      return null;
    }
    try {
      Json p = new Json(text, false);
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

  /** The value of a possibly unfinished JSON text; see the class comment. */
  public static Object parsePartial(String text) {
    String t = stripFence(text);
    Json p = new Json(t, true);
    p.ws();
    if (p.eof()) {
      return INCOMPLETE;
    }
    Object v = p.value(0);
    p.ws();
    if (!p.eof()) {
      throw new IllegalArgumentException("unexpected text after JSON value at offset " + p.i);
    }
    return v;
  }

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

  /** The end of the text: {@link #INCOMPLETE} when partial; a strict parse fails. */
  private Object ended() {
    if (!partial) {
      throw new IllegalArgumentException("unexpected end of JSON");
    }
    return INCOMPLETE;
  }

  private Object value(int depth) {
    if (depth > (partial ? PARTIAL_MAX_DEPTH : STRICT_MAX_DEPTH)) {
      throw new IllegalArgumentException("JSON nested too deeply");
    }
    ws();
    if (eof()) {
      return ended();
    }
    char c = s.charAt(i);
    if (c == '{') {
      i++;
      return object(depth);
    }
    if (c == '[') {
      i++;
      return array(depth);
    }
    if (c == '"') {
      return string();
    }
    for (String lit : new String[] {"true", "false", "null"}) {
      if (s.startsWith(lit, i)) {
        i += lit.length();
        return lit.equals("null") ? null : Boolean.valueOf(lit);
      }
      if (partial && lit.startsWith(s.substring(i))) {
        i = s.length();
        return INCOMPLETE;
      }
    }
    return number();
  }

  private Object object(int depth) {
    Map<String, Object> m = new LinkedHashMap<>();
    boolean expectKey = true;
    while (true) {
      ws();
      if (eof()) {
        ended();
        return Collections.unmodifiableMap(m);
      }
      char c = s.charAt(i);
      if (c == '}' && (partial || m.isEmpty() || !expectKey)) {
        i++;
        return Collections.unmodifiableMap(m);
      }
      if (c == ',' && (partial || !expectKey)) {
        i++;
        expectKey = true;
        continue;
      }
      // partial parsing is as lenient as LangChain's about missing commas
      if ((!expectKey && !partial) || c != '"') {
        throw new IllegalArgumentException("expected a key at offset " + i);
      }
      Object k = string();
      ws();
      if (eof() || k == INCOMPLETE) {
        ended();
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
      expectKey = false;
    }
  }

  private Object array(int depth) {
    List<Object> l = new ArrayList<>();
    boolean expectValue = true;
    while (true) {
      ws();
      if (eof()) {
        ended();
        return Collections.unmodifiableList(l);
      }
      char c = s.charAt(i);
      if (c == ']' && (partial || l.isEmpty() || !expectValue)) {
        i++;
        return Collections.unmodifiableList(l);
      }
      if (c == ',' && (partial || !expectValue)) {
        i++;
        expectValue = true;
        continue;
      }
      if (!expectValue && !partial) {
        throw new IllegalArgumentException("expected ',' or ']' at offset " + i);
      }
      Object v = value(depth + 1);
      if (v == INCOMPLETE) {
        return Collections.unmodifiableList(l);
      }
      l.add(v);
      expectValue = false;
    }
  }

  /** A string; when partial, an unterminated one is closed (a partial escape is dropped). */
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
          break;
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
              ended();
              return sb.toString();
            }
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> sb.append(e);
        }
      } else if (c < 0x20 && !partial) {
        throw new IllegalArgumentException("control character in string at offset " + (i - 1));
      } else {
        sb.append(c);
      }
    }
    ended();
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
    if (partial && eof() && (n.endsWith("-") || n.endsWith(".") || n.endsWith("e") || n.endsWith("E") || n.endsWith("+"))) {
      return INCOMPLETE;
    }
    if (n.contains(".") || n.contains("e") || n.contains("E")) {
      return Double.parseDouble(n);
    }
    long l = Long.parseLong(n);
    return l == (int) l ? (Object) (int) l : (Object) l;
  }
}
