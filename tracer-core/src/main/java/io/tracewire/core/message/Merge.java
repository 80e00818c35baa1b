package io.tracewire.core.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * LangChain's merge rules for message chunks ({@code utils/_merge.py}, {@code merge_content}).
 * Public only so that other Tracewire modules can merge provider metadata the same way; not a
 * stable API.
 */
public final class Merge {
  private Merge() {}

  /** Immutable copy of a map that may contain {@code null} values, keeping key order. */
  public static <K, V> Map<K, V> immutableCopy(Map<K, V> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  /** {@code merge_content}: string+string concatenates, lists merge blocks by index. */
  static Object content(Object left, Object right) {
    if (left instanceof String l && right instanceof String r) {
      return l.isEmpty() ? r : r.isEmpty() ? l : l.concat(r);
    }
    if (left instanceof String l && right instanceof List<?> r) {
      if (l.isEmpty()) {
        return r;
      }
      List<Object> out = new ArrayList<>();
      out.add(l);
      out.addAll(r);
      return out;
    }
    if (left instanceof List<?> l && right instanceof List<?> r) {
      return lists(l, r);
    }
    if (left instanceof List<?> l && right instanceof String r) {
      if (r.isEmpty()) {
        return l;
      }
      List<Object> out = new ArrayList<>(l);
      if (!out.isEmpty() && out.get(out.size() - 1) instanceof String s) {
        out.set(out.size() - 1, s + r);
      } else if (!out.isEmpty() && out.get(out.size() - 1) instanceof Map<?, ?> m && "text".equals(m.get("type"))) {
        Map<String, Object> block = new LinkedHashMap<>();
        m.forEach((k, v) -> block.put(String.valueOf(k), v));
        block.put("text", String.valueOf(m.get("text")) + r);
        out.set(out.size() - 1, block);
      } else {
        out.add(r);
      }
      return out;
    }
    throw new IllegalArgumentException("cannot merge content of types "
        + typeName(left) + " and " + typeName(right));
  }

  /** {@code merge_lists}: elements that are maps with the same {@code index} merge; others append. */
  static List<Object> lists(List<?> left, List<?> right) {
    List<Object> out = new ArrayList<>(left);
    for (Object e : right) {
      if (e instanceof Map<?, ?> em && em.get("index") != null) {
        int found = -1;
        for (int i = 0; i < out.size(); i++) {
          if (out.get(i) instanceof Map<?, ?> om && Objects.equals(om.get("index"), em.get("index"))) {
            found = i;
            break;
          }
        }
        if (found >= 0) {
          @SuppressWarnings("unchecked")
          Map<String, Object> a = (Map<String, Object>) out.get(found);
          @SuppressWarnings("unchecked")
          Map<String, Object> b = (Map<String, Object>) em;
          // merge_lists drops the right block's "type": the first block's type wins
          // (a tool_use block absorbs its input_json_delta pieces).
          Map<String, Object> bNoType = new LinkedHashMap<>(b);
          bNoType.remove("type");
          out.set(found, dicts(a, bNoType));
          continue;
        }
      }
      out.add(e);
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * {@code merge_dicts}: strings concatenate (except {@code id}, {@code output_version} and
   * {@code model_provider} when equal), maps recurse, lists merge by index, integers add (except
   * {@code index}, {@code created}, {@code timestamp}, which take the right value), a {@code null}
   * on the left is replaced. Other type combinations fail with {@link IllegalArgumentException}.
   */
  public static Map<String, Object> dicts(Map<String, Object> left, Map<String, Object> right) {
    if (right.isEmpty()) {
      return left;
    }
    if (left.isEmpty()) {
      return right;
    }
    Map<String, Object> out = new LinkedHashMap<>(left);
    for (Map.Entry<String, Object> e : right.entrySet()) {
      String k = e.getKey();
      Object rv = e.getValue();
      if (!out.containsKey(k) || (out.get(k) == null && rv != null)) {
        out.put(k, rv);
        continue;
      }
      Object lv = out.get(k);
      if (rv == null || Objects.equals(lv, rv) && !(lv instanceof String) && !(lv instanceof Number)) {
        continue;
      }
      if (lv instanceof String ls && rv instanceof String rs) {
        if ((k.equals("id") || k.equals("output_version") || k.equals("model_provider")) && ls.equals(rs)) {
          continue;
        }
        out.put(k, ls + rs);
      } else if (lv instanceof Map<?, ?> lm && rv instanceof Map<?, ?> rm) {
        @SuppressWarnings("unchecked")
        Map<String, Object> a = (Map<String, Object>) lm;
        @SuppressWarnings("unchecked")
        Map<String, Object> b = (Map<String, Object>) rm;
        out.put(k, dicts(a, b));
      } else if (lv instanceof List<?> ll && rv instanceof List<?> rl) {
        out.put(k, lists(ll, rl));
      } else if (lv instanceof Number ln && rv instanceof Number rn && isIntegral(ln) && isIntegral(rn)) {
        if (k.equals("index") || k.equals("created") || k.equals("timestamp")) {
          out.put(k, rv);
        } else {
          out.put(k, ln.longValue() + rn.longValue());
        }
      } else if (Objects.equals(lv, rv)) {
        continue;
      } else if (lv.getClass() == rv.getClass()) {
        out.put(k, rv);
      } else {
        throw new IllegalArgumentException("additional_kwargs[\"" + k + "\"] already exists in this message, but with a different type: "
            + typeName(lv) + " and " + typeName(rv));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static boolean isIntegral(Number n) {
    return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
  }

  /** The id rule of {@code add_ai_message_chunks}: provider ids first, then {@code lc_run-} ids. */
  static String messageId(String a, String b) {
    String candidate = null;
    for (String id : new String[] {a, b}) {
      if (id == null) {
        continue;
      }
      if (!id.startsWith("lc_run-") && !id.startsWith("lc_")) {
        return id;
      }
      if (candidate == null || (id.startsWith("lc_run-") && !candidate.startsWith("lc_run-"))) {
        candidate = id;
      }
    }
    return candidate;
  }

  static List<ToolCallChunk> toolCallChunks(List<ToolCallChunk> left, List<ToolCallChunk> right) {
    if (right.isEmpty()) {
      return left;
    }
    if (left.isEmpty()) {
      return right;
    }
    List<ToolCallChunk> out = new ArrayList<>(left);
    for (ToolCallChunk c : right) {
      int found = -1;
      if (c.index() != null) {
        for (int i = 0; i < out.size(); i++) {
          if (c.index().equals(out.get(i).index())) {
            found = i;
            break;
          }
        }
      }
      if (found < 0) {
        out.add(c);
      } else {
        ToolCallChunk o = out.get(found);
        out.set(found, new ToolCallChunk(
            concat(o.name(), c.name()), concat(o.args(), c.args()), o.id() != null ? o.id() : c.id(), o.index()));
      }
    }
    return List.copyOf(out);
  }

  private static String concat(String a, String b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a + b;
  }

  private static String typeName(Object o) {
    return o == null ? "null" : o.getClass().getSimpleName();
  }
}
