package io.tracewire.exporters.jsonl;

/** A JSONL line that is not a valid Tracewire event: not JSON, truncated, or of the wrong shape. */
public final class JsonlFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JsonlFormatException(String message) {
    super(message);
  }

  public JsonlFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
