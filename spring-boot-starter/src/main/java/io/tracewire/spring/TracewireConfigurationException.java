package io.tracewire.spring;

import java.util.Objects;

/**
 * A {@code tracewire.*} setting that cannot work (a JSONL path that cannot be written, a
 * dashboard port in use, a non-loopback dashboard without a token). Thrown while the application
 * context starts, so the application fails fast; the message starts with the property name.
 * Immutable.
 */
public final class TracewireConfigurationException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String property;
  private final transient Object value;

  public TracewireConfigurationException(String property, Object value, String reason, Throwable cause) {
    super(Objects.requireNonNull(property, "property") + "=" + value + ": " + reason, cause);
    this.property = property;
    this.value = value;
  }

  /** The name of the offending property, such as {@code tracewire.jsonl.path}. */
  public String property() {
    return property;
  }

  /** The offending value as configured (may be {@code null}). */
  public Object value() {
    return value;
  }
}
