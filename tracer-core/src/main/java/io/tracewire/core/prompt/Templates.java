package io.tracewire.core.prompt;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Python {@code str.format}-style templates: {@code {name}} placeholders, {@code {{ }}} escapes. */
final class Templates {
  private Templates() {}

  static Set<String> variables(String template) {
    Set<String> vars = new TreeSet<>();
    render(template, null, vars);
    return vars;
  }

  static String format(String template, Map<String, ?> values) {
    return render(template, values, null);
  }

  private static String render(String t, Map<String, ?> values, Set<String> vars) {
    StringBuilder sb = new StringBuilder(t.length() + 16);
    int i = 0;
    while (i < t.length()) {
      char c = t.charAt(i);
      if (c == '{') {
        if (i + 1 < t.length() && t.charAt(i + 1) == '{') {
          sb.append('{');
          i += 2;
          continue;
        }
        int end = t.indexOf('}', i);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed '{' at " + i + " in template: " + t);
        }
        String name = t.substring(i + 1, end).trim();
        if (name.isEmpty()) {
          throw new IllegalArgumentException("empty placeholder '{}' at " + i + " in template: " + t);
        }
        if (vars != null) {
          vars.add(name);
        } else {
          if (!values.containsKey(name)) {
            throw new IllegalArgumentException("missing value for template variable '" + name + "'; given: " + values.keySet());
          }
          Object v = values.get(name);
          sb.append(v instanceof io.tracewire.core.message.BaseMessage m ? m.text() : String.valueOf(v));
        }
        i = end + 1;
      } else if (c == '}') {
        if (i + 1 < t.length() && t.charAt(i + 1) == '}') {
          sb.append('}');
          i += 2;
          continue;
        }
        throw new IllegalArgumentException("single '}' at " + i + " in template: " + t);
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }
}
