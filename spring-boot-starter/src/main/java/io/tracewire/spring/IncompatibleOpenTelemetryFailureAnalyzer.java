package io.tracewire.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an {@link IncompatibleOpenTelemetryException} into Spring Boot's startup failure report. Stateless. */
final class IncompatibleOpenTelemetryFailureAnalyzer extends AbstractFailureAnalyzer<IncompatibleOpenTelemetryException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, IncompatibleOpenTelemetryException cause) {
    return new FailureAnalysis("Tracewire could not start its OpenTelemetry bridge (tracewire.otel.enabled=true): it needs"
        + " OpenTelemetry Java " + cause.required() + " or later, but the application has " + cause.found()
        + " (io.opentelemetry:opentelemetry-sdk, usually the version Spring Boot manages).",
        "Use OpenTelemetry " + cause.required() + " or later: with spring-boot-starter-parent set the property"
        + " <opentelemetry.version>" + cause.required() + "</opentelemetry.version> in your pom; when you import"
        + " spring-boot-dependencies instead, import io.tracewire:tracewire-bom before it in <dependencyManagement>."
        + " Or set tracewire.otel.enabled=false. See docs/spring.md.", cause);
  }
}
