package io.tracewire.core.internal;

import io.tracewire.core.Callbacks;
import io.tracewire.core.RemoteParent;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.event.spi.TracerEngine;
import io.tracewire.core.util.Frozen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The engine behind the API's one seam ({@link TracerEngine}): loaded by name when the seam
 * initialises, and nowhere else. Each method delegates to the engine class that owns the
 * behaviour. Internal: not API, may change in any release. Stateless and thread-safe.
 */
public final class TracerEngineImpl extends TracerEngine {
  /** For {@link TracerEngine}'s loader only. */
  public TracerEngineImpl() {}

  @Override
  public RunConfig currentConfig() {
    return CurrentRun.get();
  }

  @Override
  public <T> T withCurrent(RunConfig config, Supplier<T> body) {
    return CurrentRun.with(config, body);
  }

  @Override
  public Object attach(RunConfig config) {
    return CurrentRun.attach(config);
  }

  @Override
  public void restore(Object token) {
    CurrentRun.restore(token);
  }

  @Override
  public String storageName() {
    return CurrentRun.storageName();
  }

  @Override
  public Optional<RemoteParent> currentRemoteParent() {
    RunConfig c = CurrentRun.get();
    if (c == null || !(c.callbacks() instanceof ChildCallbacks cb) || cb.parent == null) {
      return Optional.empty();
    }
    RunNode run = cb.parent;
    List<UUID> ids = new ArrayList<>(run.parentIds().size());
    for (String id : run.parentIds()) {
      try {
        ids.add(UUID.fromString(id));
      } catch (IllegalArgumentException notAUuid) {
        // run ids are UUIDs; a foreign id cannot be carried, and a broken chain is worse than none
        return Optional.empty();
      }
    }
    if (ids.size() > RemoteParent.MAX_DEPTH) {
      return Optional.empty();
    }
    return Optional.of(new RemoteParent(run.runId, ids, null, null));
  }

  @Override
  public boolean isHandle(Callbacks callbacks) {
    return callbacks instanceof ChildCallbacks;
  }

  @Override
  public Callbacks remoteHandle(RemoteParent parent) {
    return ChildCallbacks.remote(parent);
  }

  @Override
  public Callbacks mergeHandles(Callbacks earlier, Callbacks later) {
    return ((ChildCallbacks) earlier).merge((ChildCallbacks) later);
  }

  @Override
  public RunListener[] globalListeners() {
    return Engine.globalListeners;
  }

  @Override
  public void setGlobalListeners(RunListener[] listeners) {
    // the shared empty array keeps RunStates' per-array cache warm across installs
    Engine.globalListeners = listeners.length == 0 ? Engine.NO_LISTENERS : listeners;
  }

  @Override
  public void dispatchCustom(String name, Object data, RunConfig config) {
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
    List<String> tags = cb.tags;
    if (!c.tags().isEmpty()) {
      LinkedHashSet<String> t = new LinkedHashSet<>(cb.tags);
      t.addAll(c.tags());
      tags = List.copyOf(t);
    }
    Map<String, Object> md = cb.metadata;
    if (!c.metadata().isEmpty()) {
      LinkedHashMap<String, Object> m = new LinkedHashMap<>(cb.metadata);
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
