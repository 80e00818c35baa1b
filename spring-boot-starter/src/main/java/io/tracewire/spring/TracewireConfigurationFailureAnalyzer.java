package io.tracewire.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link TracewireConfigurationException} into Spring Boot's startup failure report. Stateless. */
final class TracewireConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<TracewireConfigurationException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, TracewireConfigurationException cause) {
    return new FailureAnalysis("Tracewire could not start: " + cause.getMessage(),
        "Fix or remove the property '" + cause.property() + "' (see the tracewire.* keys of the starter).", cause);
  }
}
