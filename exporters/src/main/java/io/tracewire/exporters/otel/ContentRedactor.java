package io.tracewire.exporters.otel;

/**
 * Hook applied to every content value (messages, inputs, outputs, tool arguments and results,
 * chunk text) and to every {@code tracewire.metadata.*} string value before it is written to a
 * span, when content capture is on. It runs on the run's thread inside the listener, so it must
 * be fast and must not block; an exception is caught and the value dropped. Return the value to
 * keep, a rewritten value, or {@code null} to drop the attribute. Size limiting happens after
 * redaction.
 */
@FunctionalInterface
public interface ContentRedactor {

  /** Keeps every value as it is. */
  ContentRedactor NONE = (key, value) -> value;

  /**
   * @param attributeKey the attribute the value is meant for, e.g. {@code gen_ai.input.messages}
   * @param value the value (a JSON document for structured content)
   * @return the value to record, or {@code null} to record nothing
   */
  String redact(String attributeKey, String value);
}
