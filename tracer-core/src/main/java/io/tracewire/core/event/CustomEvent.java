package io.tracewire.core.event;

import io.tracewire.core.internal.Runs;
import io.tracewire.core.internal.ChildCallbacks;
import io.tracewire.core.RunConfig;
import io.tracewire.core.internal.Clock;
import io.tracewire.core.internal.Engine;
import io.tracewire.core.util.Frozen;
import io.tracewire.core.internal.RunNode;
import io.tracewire.core.internal.RunStates;
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
    RunConfig c = Runs.ensure(config);
    ChildCallbacks cb = Runs.callbacks(c);
    if (cb == null || cb.parent == null || cb.parent.remote) {
      throw new IllegalStateException("Unable to dispatch custom event '" + name
          + "' without a parent run: dispatch it from inside a run (a tool, a RunnableLambda or a"
          + " RunnableGenerator), or pass that run's config explicitly.");
    }
    if (cb.handlers.length == 0) {
      return;
    }
    RunNode run = cb.parent;
    java.util.List<String> tags = cb.tags;
    if (!c.tags().isEmpty()) {
      java.util.LinkedHashSet<String> t = new java.util.LinkedHashSet<>(cb.tags);
      t.addAll(c.tags());
      tags = java.util.List.copyOf(t);
    }
    java.util.Map<String, Object> md = cb.metadata;
    if (!c.metadata().isEmpty()) {
      java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>(cb.metadata);
      m.putAll(c.metadata());
      md = Frozen.adopt(m);
    }
    StreamEvent e = new StreamEvent(StreamEvent.CUSTOM_EVENT, name, run.id(), run.parentIds(), tags, md, data,
        Clock.nextSeq(), Clock.nowEpochNanos());
    if (run.states == null) {
      Engine.dispatch(cb.handlers, e);
    } else {
      RunStates.dispatchCustom(run, cb.handlers, e);
    }
  }
}
