package io.tracewire.adapters.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one redactor for everything a provider sends back: error bodies, JSON error fields,
 * mid-stream error messages, request ids, I/O failure messages. Every such string passes
 * {@link #redact} <em>before</em> it is cut ({@link #clean}) or stored, so a key that straddles
 * the cut cannot leave its first characters behind.
 *
 * <p>What it removes: the configured key, and any run of at least {@value #MIN_KEY_PREFIX} of its
 * leading characters (a key the server itself cut short); {@code Bearer}/{@code Basic}
 * credentials; {@code x-api-key: ...}, {@code api_key=...} and {@code Authorization: ...}
 * values; and strings shaped like provider keys ({@code sk-...}, {@code sk-ant-...},
 * {@code sk-proj-...}, Google's {@code AIza...}), whoever's key they are.
 *
 * <p>The provider-metadata strings of successful responses pass it too ({@link #metadata}): the
 * model name, fingerprints, stop reasons and the other fields providers send once per response,
 * never the message content or tool arguments, which are the application's data.
 *
 * <p>Stateless and thread-safe; called on error paths and once per response, never per content
 * chunk.
 */
public final class Redactor {
  /** What a removed secret is replaced with. */
  public static final String REDACTED = "[REDACTED]";
  /** {@value}: the longest provider text kept in a message, counted after redaction. */
  public static final int MAX_TEXT = 500;
  /** {@value}: the longest request id kept; longer ones are dropped. */
  public static final int MAX_REQUEST_ID = 128;
  /** {@value}: this many leading characters of the configured key count as the key. */
  static final int MIN_KEY_PREFIX = 8;

  private static final Pattern CREDENTIAL = Pattern.compile(
      "(?i)\\b(bearer|basic)(\\s+)[A-Za-z0-9._~+/=-]{8,}"
          + "|\\b(x-api-key|x-goog-api-key|api[-_]?key|authorization|access[-_]?token)(\"?'?\\s*[:=]\\s*\"?'?)"
          + "(?!bearer\\b|basic\\b)[^\\s\"',;&]{4,}");
  private static final Pattern KEY_SHAPE = Pattern.compile(
      "(?<![A-Za-z0-9])(?:sk-[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,})");

  private Redactor() {}

  /**
   * {@code text} with every secret named in the class description replaced by
   * {@value #REDACTED}; {@code secret} (the configured key) may be {@code null}.
   */
  public static String redact(String text, String secret) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String s = secret == null || secret.isEmpty() ? text : withoutKey(text, secret);
    s = replace(CREDENTIAL, s, true);
    return replace(KEY_SHAPE, s, false);
  }

  /**
   * {@code text} redacted, then with control characters (other than tab and newline) turned into
   * spaces, then cut to {@value #MAX_TEXT} characters (marked {@code ...}); {@code null} stays
   * {@code null}.
   */
  public static String clean(String text, String secret) {
    String s = redact(text, secret);
    if (s == null) {
      return null;
    }
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) && c != '\n' && c != '\t') {
        if (sb == null) {
          sb = new StringBuilder(s);
        }
        sb.setCharAt(i, ' ');
      }
    }
    if (sb != null) {
      s = sb.toString();
    }
    if (s.length() <= MAX_TEXT) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
    return s.substring(0, end) + "...";
  }

  /**
   * {@code raw} when it is a plausible request id, else {@code null}: at most
   * {@value #MAX_REQUEST_ID} characters of letters, digits and {@code - _ . : / + = @}, and
   * nothing {@link #redact} would change (the key, a key prefix, something key-shaped).
   */
  public static String requestId(String raw, String secret) {
    if (raw == null || raw.isEmpty() || raw.length() > MAX_REQUEST_ID) {
      return null;
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "-_.:/+=@".indexOf(c) >= 0;
      if (!ok) {
        return null;
      }
    }
    return raw.equals(redact(raw, secret)) ? raw : null;
  }

  /**
   * {@code meta} (a chunk's {@code response_metadata} as a provider sent it) with every string in
   * it, at any depth of maps and lists, passed through {@link #redact}; other values are kept.
   * Mutates and returns {@code meta}, which must be mutable at the top level.
   */
  public static Map<String, Object> metadata(Map<String, Object> meta, String secret) {
    for (Map.Entry<String, Object> e : meta.entrySet()) {
      e.setValue(redactValue(e.getValue(), secret));
    }
    return meta;
  }

  private static Object redactValue(Object v, String secret) {
    if (v instanceof String s) {
      return redact(s, secret);
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, redactValue(x, secret)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object x : l) {
        out.add(redactValue(x, secret));
      }
      return out;
    }
    return v;
  }

  /** Replaces each run of at least {@value #MIN_KEY_PREFIX} leading characters of {@code key} (all of a shorter key). */
  private static String withoutKey(String text, String key) {
    String head = key.length() > MIN_KEY_PREFIX ? key.substring(0, MIN_KEY_PREFIX) : key;
    int at = text.indexOf(head);
    if (at < 0) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length());
    int from = 0;
    while (at >= 0) {
      int end = at + head.length();
      int k = head.length();
      while (end < text.length() && k < key.length() && text.charAt(end) == key.charAt(k)) {
        end++;
        k++;
      }
      sb.append(text, from, at).append(REDACTED);
      from = end;
      at = text.indexOf(head, from);
    }
    return sb.append(text, from, text.length()).toString();
  }

  private static String replace(Pattern p, String s, boolean keepName) {
    Matcher m = p.matcher(s);
    if (!m.find()) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    do {
      String keep = "";
      if (keepName) {
        keep = m.group(1) != null ? m.group(1) + m.group(2) : m.group(3) + m.group(4);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(keep + REDACTED));
    } while (m.find());
    m.appendTail(sb);
    return sb.toString();
  }
}
