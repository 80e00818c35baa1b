package io.tracewire.adapters.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracewire.adapters.ChatProviderException;
import java.io.InterruptedIOException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Maps HTTP statuses, provider error bodies and I/O failures to {@link ChatProviderException}s.
 * Every string taken from the response (body, JSON fields, request ids, failure messages) goes
 * through {@link Redactor} with the configured key {@code secret} before it is cut or stored;
 * a request id that is not plausible is dropped.
 */
public final class Errors {
  private Errors() {}

  /**
   * An error response (status not 2xx) with its body text; {@code requestId} is the header's
   * value as received (it is checked here), the body's {@code request_id} is used when it is
   * absent or dropped.
   */
  public static ChatProviderException fromResponse(String provider, int status, String requestId, String body,
      Duration retryAfter, String secret) {
    JsonNode json = null;
    try {
      json = body == null || body.isBlank() ? null : Json.parse(body);
    } catch (IOException e) {
      json = null;
    }
    String type = null;
    String message = null;
    if (json != null) {
      JsonNode err = json.get("error");
      if (err != null && err.isObject()) {
        type = Json.text(err, "type");
        message = Json.text(err, "message");
      } else if (err != null && err.isTextual()) {
        message = err.asText();
      } else {
        message = Json.text(json, "message");
      }
    }
    requestId = Redactor.requestId(requestId, secret);
    if (requestId == null && json != null) {
      requestId = Redactor.requestId(Json.text(json, "request_id"), secret);
    }
    if (message == null) {
      message = body == null || body.isBlank() ? "HTTP " + status : body;
    }
    message = Redactor.clean(message, secret);
    if ("overloaded_error".equals(type) || status == 529) {
      return new ChatProviderException.Overloaded(provider, status, requestId, message);
    }
    return switch (status) {
      case 401 -> new ChatProviderException.Authentication(provider, status, requestId, message);
      case 403 -> new ChatProviderException.PermissionDenied(provider, status, requestId, message);
      case 404 -> new ChatProviderException.NotFound(provider, status, requestId, message);
      case 408 -> new ChatProviderException.Timeout(provider, requestId, message + " (status 408)", null);
      case 429 -> new ChatProviderException.RateLimited(provider, status, requestId, message, retryAfter);
      default -> status >= 500
          ? new ChatProviderException.ServerError(provider, status, requestId, message)
          : new ChatProviderException.BadRequest(provider, status, requestId, message);
    };
  }

  /** An error reported inside a 200 stream, by its provider error type; {@code requestId} is checked here. */
  public static ChatProviderException inStream(String provider, String type, String message, String requestId,
      String secret) {
    String m = Redactor.clean(message == null ? "error in stream" : message, secret);
    requestId = Redactor.requestId(requestId, secret);
    String t = type == null ? "" : type;
    return switch (t) {
      case "overloaded_error" -> new ChatProviderException.Overloaded(provider, 200, requestId, m);
      case "rate_limit_error", "rate_limit_exceeded", "requests", "tokens" ->
          new ChatProviderException.RateLimited(provider, 200, requestId, m, null);
      case "authentication_error" -> new ChatProviderException.Authentication(provider, 200, requestId, m);
      case "permission_error" -> new ChatProviderException.PermissionDenied(provider, 200, requestId, m);
      case "not_found_error" -> new ChatProviderException.NotFound(provider, 200, requestId, m);
      case "invalid_request_error" -> new ChatProviderException.BadRequest(provider, 200, requestId, m);
      default -> new ChatProviderException.ServerError(provider, 200, requestId, m);
    };
  }

  /** An I/O failure; {@code cancelled} when the caller closed the stream. */
  public static ChatProviderException fromIo(String provider, String requestId, IOException e, boolean cancelled,
      String secret) {
    requestId = Redactor.requestId(requestId, secret);
    Throwable cause = safeCause(e, secret);
    if (cancelled) {
      return new ChatProviderException.Cancelled(provider, requestId, cause);
    }
    String m = Redactor.clean(String.valueOf(e.getMessage()), secret);
    if (e instanceof SocketTimeoutException || (e instanceof InterruptedIOException && "timeout".equals(e.getMessage()))) {
      return new ChatProviderException.Timeout(provider, requestId, "timed out: " + m, cause);
    }
    return new ChatProviderException.Connection(provider, requestId, "connection failed: " + m, cause);
  }

  /**
   * {@code e} itself when no message in its cause chain holds anything to redact (OkHttp quotes
   * what the server sent, e.g. a malformed status line); otherwise a stand-in with the redacted
   * description and {@code e}'s stack trace, without the chain.
   */
  private static Throwable safeCause(IOException e, String secret) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
      String m = t.getMessage();
      if (m != null && !m.equals(Redactor.redact(m, secret))) {
        IOException copy = new IOException(Redactor.clean(e.toString(), secret));
        copy.setStackTrace(e.getStackTrace());
        return copy;
      }
    }
    return e;
  }
}
