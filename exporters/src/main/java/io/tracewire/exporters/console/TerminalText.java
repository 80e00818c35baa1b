package io.tracewire.exporters.console;

/**
 * Makes untrusted text safe to print on a terminal, the way {@code less} and {@code git log}
 * show control characters: visibly, as escapes, so a run name, token or error message from a
 * log or a model can neither move the cursor, clear the screen, change the window title, plant
 * a hyperlink nor reorder what follows it. Printable text, non-ASCII letters and emoji included,
 * is kept as it is.
 *
 * <p>What is escaped, and how:
 *
 * <table>
 *   <caption>Escapes</caption>
 *   <tr><th>Characters</th><th>Shown as</th></tr>
 *   <tr><td>ESC (U+001B), which starts every ANSI sequence</td><td>{@code \e}</td></tr>
 *   <tr><td>line feed, tab, carriage return</td><td>{@code \n}, {@code \t}, {@code \r}
 *       ({@link #escapeMultiline} keeps line feed and tab)</td></tr>
 *   <tr><td>the other C0 controls (U+0000 to U+001F) and DEL (U+007F)</td>
 *       <td>{@code \xNN}, e.g. BEL as {@code \x07}</td></tr>
 *   <tr><td>the C1 controls (U+0080 to U+009F, e.g. the one-character CSI U+009B)</td>
 *       <td><code>&#92;u009b</code></td></tr>
 *   <tr><td>bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to
 *       U+2069) and the line and paragraph separators (U+2028, U+2029)</td>
 *       <td><code>&#92;u202e</code></td></tr>
 *   <tr><td>a surrogate that is not half of a valid pair</td><td><code>&#92;ud800</code></td></tr>
 * </table>
 *
 * <p>The result is for display only: a backslash in the input is not escaped, so the escaping
 * cannot be reversed. Hex digits are lower case. Text that needs no escaping is returned as is
 * ({@code toString()}), without copying when it is a {@code String}.
 *
 * <p>Thread-safe (stateless); never throws; {@code null} is shown as {@code "null"}, as
 * {@link StringBuilder#append(Object)} does.
 */
public final class TerminalText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TerminalText() {}

  /**
   * The text for printing on one line: every control character is escaped, line feed and tab
   * included. For names, ids, error messages and file names.
   */
  public static String escape(CharSequence s) {
    return escape(s, false);
  }

  /**
   * The text for printing as running text: like {@link #escape}, but line feeds and tabs are kept
   * (streamed tokens contain them legitimately). Carriage returns are escaped, since a lone one
   * lets the text overwrite what was printed before it on the line.
   */
  public static String escapeMultiline(CharSequence s) {
    return escape(s, true);
  }

  private static String escape(CharSequence s, boolean keepLines) {
    if (s == null) {
      return "null";
    }
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i += 2;
      } else if (needsEscape(c, keepLines)) {
        break;
      } else {
        i++;
      }
    }
    if (i == n) {
      return s.toString();
    }
    StringBuilder sb = new StringBuilder(n + 16);
    sb.append(s, 0, i);
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(i + 1));
        i += 2;
        continue;
      }
      if (!needsEscape(c, keepLines)) {
        sb.append(c);
      } else if (c == '\u001b') {
        sb.append("\\e");
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c < 0x20 || c == 0x7f) {
        sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      } else {
        sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
      }
      i++;
    }
    return sb.toString();
  }

  /** Whether {@code c} (not the high half of a valid surrogate pair) is shown escaped. */
  private static boolean needsEscape(char c, boolean keepLines) {
    if (c < 0x20) {
      return !(keepLines && (c == '\n' || c == '\t'));
    }
    if (c < 0x7f) {
      return false;
    }
    return c <= 0x9f
        || (c >= 0x2028 && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || Character.isSurrogate(c);
  }
}
