package io.tracewire.exporters.otel;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * OTLP endpoint URLs without their secrets. An endpoint is configuration that often travels with
 * credentials ({@code https://user:token@collector/v1/traces}, {@code ...?api_key=...}), and it
 * is echoed in error messages, startup lines and usage errors. Everything in Tracewire that
 * prints an endpoint prints {@link #redact(String)} of it, and the builders of {@link OtelBridge}
 * and {@link OtlpLogSink} refuse an endpoint with user info, a query or a fragment (the OTLP
 * exporters send none of them; credentials belong in a header such as {@code Authorization}),
 * with a message that shows only the redacted form.
 *
 * <p>Stateless and thread-safe. {@link #redact(String)} never throws.
 */
public final class OtlpEndpoints {
  /** Longest redacted form returned; the rest is cut and marked with an ellipsis. */
  static final int MAX_PRINTED = 256;

  private OtlpEndpoints() {}

  /**
   * The endpoint as it may be printed: the user info (before {@code @} in the authority) and the
   * query or fragment replaced by {@code ***}, control characters replaced by {@code ?}, and at
   * most {@value #MAX_PRINTED} characters. Works on text that is not a valid URL too (it does not
   * parse it). {@code null} gives {@code "null"}.
   *
   * @param endpoint an endpoint as configured, possibly malformed or {@code null}
   * @return a form without user info, query or fragment, safe to log
   */
  public static String redact(String endpoint) {
    if (endpoint == null) {
      return "null";
    }
    String s = endpoint;
    int tail = indexOfAny(s, '?', '#');
    String suffix = "";
    if (tail >= 0) {
      suffix = s.charAt(tail) == '?' ? "?***" : "#***";
      s = s.substring(0, tail);
    }
    int scheme = s.indexOf("//");
    int authorityStart = scheme >= 0 ? scheme + 2 : 0;
    int authorityEnd = s.indexOf('/', authorityStart);
    if (authorityEnd < 0) {
      authorityEnd = s.length();
    }
    int at = s.lastIndexOf('@', authorityEnd - 1);
    if (at >= authorityStart) {
      s = s.substring(0, authorityStart) + "***" + s.substring(at);
    }
    StringBuilder out = new StringBuilder(Math.min(s.length() + suffix.length(), MAX_PRINTED + 1));
    String whole = s + suffix;
    for (int i = 0; i < whole.length(); i++) {
      if (out.length() == MAX_PRINTED) {
        out.append('\u2026');
        break;
      }
      char c = whole.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return out.toString();
  }

  /**
   * Checks that {@code endpoint} is an http(s) URL with a host and no user info, query or
   * fragment. The exception's message names {@code source} and shows only the redacted form; it
   * has no cause (a parser's message would repeat the input).
   *
   * @param endpoint the endpoint as configured
   * @param source where it came from, for the message (such as {@code --otlp-endpoint} or a property name)
   * @return {@code endpoint}
   * @throws IllegalArgumentException if it is not such a URL
   * @throws NullPointerException if {@code endpoint} is {@code null}
   */
  public static String check(String endpoint, String source) {
    java.util.Objects.requireNonNull(endpoint, "endpoint");
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(source + " " + redact(endpoint) + " is not a URL: " + e.getReason()
          + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw new IllegalArgumentException(source + " " + redact(endpoint) + " must be an http:// or https:// URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(source + " " + redact(endpoint) + " has user info in the URL, which the OTLP "
          + "exporter does not send and logs would show: pass credentials as a header (such as Authorization) instead");
    }
    if (uri.getRawQuery() != null) {
      throw new IllegalArgumentException(source + " " + redact(endpoint) + " has a query string, which OTLP endpoints "
          + "do not take: pass credentials as a header (such as Authorization or api-key) instead");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException(source + " " + redact(endpoint) + " has a fragment, which OTLP endpoints do not take");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(source + " " + redact(endpoint) + " has no host");
    }
    return endpoint;
  }

  private static int indexOfAny(String s, char a, char b) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == a || c == b) {
        return i;
      }
    }
    return -1;
  }
}
