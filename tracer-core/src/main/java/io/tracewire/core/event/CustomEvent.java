package io.tracewire.core.event;

import io.tracewire.core.RunConfig;
import io.tracewire.core.event.spi.TracerEngine;
import io.tracewire.core.runnable.RunnableGenerator;
import io.tracewire.core.runnable.RunnableLambda;

import java.util.Objects;

/**
 * Dispatches user events ({@code on_custom_event}) from inside a run: progress updates,
 * intermediate results. The event carries the enclosing run's id and parent ids, its inheritable
 * tags and metadata, and the payload exactly as given (never modified). Thread-safe.
 */
public final class CustomEvent {
  private CustomEvent() {}

  /**
   * Dispatches with the current thread's run context (inside a lambda, tool or generator).
   *
   * @throws IllegalStateException when no run encloses the call
   */
  public static void dispatch(String name, Object data) {
    dispatch(name, data, null);
  }

  /**
   * Dispatches with an explicit config (the one a lambda or tool received).
   *
   * @throws IllegalStateException when the config has no enclosing run
   */
  public static void dispatch(String name, Object data, RunConfig config) {
    Objects.requireNonNull(name, "name");
    TracerEngine.INSTANCE.dispatchCustom(name, data, config);
  }
}
