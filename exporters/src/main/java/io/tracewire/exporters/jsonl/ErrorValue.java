package io.tracewire.exporters.jsonl;

import java.util.Objects;

/**
 * An error as the JSONL log keeps it: the exception's class name and message. What a decoded
 * event holds under {@code data.error} in place of the original {@code Throwable}. Immutable.
 *
 * @param type the fully qualified class name of the exception
 * @param message the exception's message, or {@code null}
 */
public record ErrorValue(String type, String message) {
  public ErrorValue {
    Objects.requireNonNull(type, "type");
  }

  /** The value a throwable is written as. */
  public static ErrorValue of(Throwable t) {
    return new ErrorValue(t.getClass().getName(), t.getMessage());
  }
}
