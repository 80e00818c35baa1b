package io.tracewire.spring;

import java.util.Objects;

/**
 * The application's OpenTelemetry Java SDK is older than the one Tracewire's OpenTelemetry bridge
 * needs (typically because Spring Boot's dependency management picked its own version). Thrown
 * while the application context starts, only when {@code tracewire.otel.enabled=true}, so the
 * application fails fast with a failure analysis that names both versions and the fix. Immutable.
 */
public final class IncompatibleOpenTelemetryException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String found;
  private final String required;

  public IncompatibleOpenTelemetryException(String found, String required, Throwable cause) {
    super("Tracewire's OpenTelemetry bridge needs OpenTelemetry Java " + Objects.requireNonNull(required, "required")
        + " or later, but the class path has " + Objects.requireNonNull(found, "found"), cause);
    this.found = found;
    this.required = required;
  }

  /** The version on the class path ({@code io.opentelemetry:opentelemetry-sdk-common}), or a description when unknown. */
  public String found() {
    return found;
  }

  /** The lowest version Tracewire supports. */
  public String required() {
    return required;
  }
}
