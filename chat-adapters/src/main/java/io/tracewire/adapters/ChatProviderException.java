package io.tracewire.adapters;

import io.tracewire.adapters.internal.Redactor;
import java.time.Duration;
import java.util.Optional;

/**
 * A failed call to a chat provider. The subclass names the kind of failure; every instance
 * carries the provider ({@code "openai"}, {@code "anthropic"}, {@code "ollama"}), the HTTP status
 * (200 for errors reported inside a stream, 0 when no response arrived) and the provider's
 * request id when it sent one.
 *
 * <p>Secrets: everything here that came from the provider (error body, JSON error fields,
 * mid-stream error events, the request id) passed the adapters' redactor before it was cut to
 * at most 500 characters: the configured API key and any run of its first 8 or more characters,
 * {@code Bearer}/{@code Basic} credentials, {@code x-api-key:}/{@code Authorization:} values and
 * key-shaped strings ({@code sk-...}, {@code sk-ant-...}) are replaced by {@code [REDACTED]}.
 * A request id that is not a plausible id (over 128 characters, whitespace or control
 * characters, anything the redactor would change) is dropped. The constructors apply the
 * key-shape rules again, so a message or request id given by other code is held to the same
 * contract (without the configured key, which only the adapter knows). Request headers are never
 * part of a message.
 *
 * <p>Thrown on the thread that consumes the stream (or calls {@code invoke}).
 */
public abstract class ChatProviderException extends RuntimeException {
  private final String provider;
  private final int statusCode;
  private final String requestId;

  ChatProviderException(String provider, int statusCode, String requestId, String message, Throwable cause) {
    super(Redactor.redact(message, null), cause);
    this.provider = provider;
    this.statusCode = statusCode;
    this.requestId = Redactor.requestId(requestId, null);
  }

  /** The provider name, as in {@code ls_provider}. */
  public String provider() {
    return provider;
  }

  /** The HTTP status; 200 for an error sent inside a stream, 0 when there was no response. */
  public int statusCode() {
    return statusCode;
  }

  /**
   * The provider's request id ({@code x-request-id} / {@code request-id} header, else the error
   * body's {@code request_id}); empty when none was sent or the value was not a plausible id.
   */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /** Whether retrying the same request later may succeed. */
  public boolean isRetryable() {
    return false;
  }

  @Override
  public String getMessage() {
    String m = super.getMessage();
    StringBuilder sb = new StringBuilder(provider).append(": ").append(m);
    if (statusCode > 0) {
      sb.append(" (status ").append(statusCode).append(')');
    }
    if (requestId != null) {
      sb.append(" [request id ").append(requestId).append(']');
    }
    return sb.toString();
  }

  /** 401: the API key is missing or wrong. */
  public static final class Authentication extends ChatProviderException {
    public Authentication(String provider, int status, String requestId, String message) {
      super(provider, status, requestId, message, null);
    }
  }

  /** 403: the key may not use this resource. */
  public static final class PermissionDenied extends ChatProviderException {
    public PermissionDenied(String provider, int status, String requestId, String message) {
      super(provider, status, requestId, message, null);
    }
  }

  /** 404: unknown model or endpoint. */
  public static final class NotFound extends ChatProviderException {
    public NotFound(String provider, int status, String requestId, String message) {
      super(provider, status, requestId, message, null);
    }
  }

  /** 400, 422 and other client errors: the request is invalid. */
  public static final class BadRequest extends ChatProviderException {
    public BadRequest(String provider, int status, String requestId, String message) {
      super(provider, status, requestId, message, null);
    }
  }

  /** 429: too many requests or tokens; {@link #retryAfter()} is the server's hint, if any. */
  public static final class RateLimited extends ChatProviderException {
    private final Duration retryAfter;

    public RateLimited(String provider, int status, String requestId, String message, Duration retryAfter) {
      super(provider, status, requestId, message, null);
      this.retryAfter = retryAfter;
    }

    /** The server's {@code retry-after} hint. */
    public Optional<Duration> retryAfter() {
      return Optional.ofNullable(retryAfter);
    }

    @Override
    public boolean isRetryable() {
      return true;
    }
  }

  /** The provider is overloaded (Anthropic 529 / {@code overloaded_error}, 503). */
  public static final class Overloaded extends ChatProviderException {
    public Overloaded(String provider, int status, String requestId, String message) {
      super(provider, status, requestId, message, null);
    }

    @Override
    public boolean isRetryable() {
      return true;
    }
  }

  /** 5xx and in-stream server errors. */
  public static final class ServerError extends ChatProviderException {
    public ServerError(String provider, int status, String requestId, String message) {
      super(provider, status, requestId, message, null);
    }

    @Override
    public boolean isRetryable() {
      return true;
    }
  }

  /** A configured timeout (connect, first byte, idle between chunks, total) expired. */
  public static final class Timeout extends ChatProviderException {
    public Timeout(String provider, String requestId, String message, Throwable cause) {
      super(provider, 0, requestId, message, cause);
    }

    @Override
    public boolean isRetryable() {
      return true;
    }
  }

  /** The connection failed or broke off. */
  public static final class Connection extends ChatProviderException {
    public Connection(String provider, String requestId, String message, Throwable cause) {
      super(provider, 0, requestId, message, cause);
    }

    @Override
    public boolean isRetryable() {
      return true;
    }
  }

  /** The caller closed the stream or cancelled the call. */
  public static final class Cancelled extends ChatProviderException {
    public Cancelled(String provider, String requestId, Throwable cause) {
      super(provider, 0, requestId, "the call was cancelled", cause);
    }
  }

  /** The response did not follow the provider's wire format (bad JSON, truncated stream). */
  public static final class MalformedStream extends ChatProviderException {
    public MalformedStream(String provider, String requestId, String message, Throwable cause) {
      super(provider, 200, requestId, message, cause);
    }
  }
}
