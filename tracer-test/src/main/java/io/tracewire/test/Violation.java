package io.tracewire.test;

import io.tracewire.core.event.StreamEvent;
import java.util.Objects;

/**
 * One breach of the run lifecycle found by {@link LifecycleValidator}.
 *
 * @param run the symbolic id of the run concerned ({@code r0}, ... by first appearance)
 * @param message what is wrong, in words
 * @param event the offending event, or {@code null} for a run that was never closed
 */
public record Violation(String run, String message, StreamEvent event) {
  public Violation {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return run + (event == null ? "" : " " + event.event() + " '" + event.name() + "' seq=" + event.seq()) + ": " + message;
  }
}
