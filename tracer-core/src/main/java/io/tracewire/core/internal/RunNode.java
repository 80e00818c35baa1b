package io.tracewire.core.internal;

import io.tracewire.core.util.Frozen;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.RunStateListener;
import io.tracewire.core.event.RunType;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.event.spi.ConfigAccess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One run in flight: its identity, place in the tree, tags, metadata and listeners, and its
 * state. Emits the run's events. Every run ends exactly once: end, error or cancel.
 */
public final class RunNode {
  private static final ConfigAccess CONFIG = ConfigAccess.get();

  public static final int OPEN = 0;
  public static final int ENDED = 1;
  public static final int FAILED = 2;
  public static final int CANCELLED = 3;

  public final UUID runId;
  /** {@link #runId} as a string, made on first use ({@link #id()}). */
  private String id;
  public final RunType type;
  public final String name;
  public final RunNode parent;
  /** Made on first use ({@link #parentIds()}). */
  private List<String> parentIds;
  public final List<String> tags;
  public final Map<String, Object> metadata;
  public final List<String> inheritableTags;
  public final Map<String, Object> inheritableMetadata;
  public final RunListener[] handlers;
  /** Per-handler state of {@link RunStateListener}s (see {@link RunStates}); null when no handler keeps state. */
  public final Object[] states;
  /** The input known at start (invoke path), used by the end event's fallback. */
  public final Object startInput;
  /** Set by runs that emit their own stream events (transform path, chat models). */
  public boolean selfTapped;
  /** Whether this run is the root of a streamEvents call. */
  public boolean rootTapped;
  /** Whether this node stands for a run of another process (see {@link #remote}); it never emits. */
  public final boolean remote;
  /** OPEN, ENDED, FAILED or CANCELLED; leaves OPEN once, by compare-and-set ({@link #STATE}). */
  private volatile int state;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(RunNode.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private RunNode(UUID runId, RunType type, String name, RunNode parent, List<String> tags,
      Map<String, Object> metadata, List<String> inheritableTags, Map<String, Object> inheritableMetadata,
      RunListener[] handlers, Object startInput) {
    this.runId = runId;
    this.type = type;
    this.name = name;
    this.parent = parent;
    this.tags = tags;
    this.metadata = metadata;
    this.inheritableTags = inheritableTags;
    this.inheritableMetadata = inheritableMetadata;
    this.handlers = handlers;
    this.states = RunStates.slotsFor(handlers);
    this.startInput = startInput;
    this.remote = false;
    // state starts OPEN (0, the field's default): no volatile write per run
  }

  /**
   * The run id as a string. Made on first use: a run that nobody listens to and that has no
   * child never formats its id. Any thread; racing first calls make equal strings.
   */
  public String id() {
    String s = id;
    if (s == null) {
      s = runId.toString();
      id = s;
    }
    return s;
  }

  /** The ids of the run's ancestors, root first; made on first use, as {@link #id()}. */
  public List<String> parentIds() {
    List<String> ids = parentIds;
    if (ids == null) {
      if (parent == null) {
        ids = List.of();
      } else {
        List<String> up = parent.parentIds();
        String[] a = up.toArray(new String[up.size() + 1]);
        a[a.length - 1] = parent.id();
        ids = List.of(a);
      }
      parentIds = ids;
    }
    return ids;
  }

  /** A remote run's stand-in: its id and ancestry only, no listeners, already ended. */
  private RunNode(UUID runId, List<String> parentIds) {
    this.runId = runId;
    this.id = runId.toString();
    this.type = RunType.CHAIN;
    this.name = "(remote)";
    this.parent = null;
    this.parentIds = parentIds;
    this.tags = List.of();
    this.metadata = Frozen.EMPTY;
    this.inheritableTags = List.of();
    this.inheritableMetadata = Frozen.EMPTY;
    this.handlers = Engine.NO_LISTENERS;
    this.states = null;
    this.startInput = null;
    this.remote = true;
    this.state = ENDED;
  }

  /**
   * The stand-in for a run of another process, to parent local runs with: a run started under it
   * gets {@code parentIds + [runId]} as its {@code parent_ids}. It is never open and emits
   * nothing; {@code parentIds} are root first and already validated.
   */
  public static RunNode remote(UUID runId, List<String> parentIds) {
    return new RunNode(runId, List.copyOf(parentIds));
  }

  /** Describes a run to start; see {@link #start}. */
  public static final class Spec {
    public final RunType type;
    public final String defaultName;
    public List<String> localTags = List.of();
    public List<String> inheritableExtraTags = List.of();
    public Map<String, Object> inheritableExtraMetadata = Map.of();
    public Map<String, Object> localMetadata = Map.of();
    public boolean selfTapped;

    public Spec(RunType type, String defaultName) {
      this.type = type;
      this.defaultName = defaultName;
    }
  }

  /**
   * Starts a run for an ensured config (LangChain's {@code CallbackManager.configure} followed by
   * {@code on_<type>_start}) and emits its start event with {@code startData}, or with
   * {@code {"input": startInput}} when {@code startData} is {@code null}.
   */
  public static RunNode start(RunConfig c, Spec spec, Object startData, Object startInput) {
    ChildCallbacks base = (ChildCallbacks) c.callbacks();
    RunListener[] handlers = base != null ? base.handlers : Engine.globalListeners;
    List<RunListener> cfgListeners = c.listeners();
    if (!cfgListeners.isEmpty()) {
      handlers = withListeners(handlers, cfgListeners);
    }
    List<String> tags;
    List<String> inhTags;
    List<String> cfgTags = c.tags();
    List<String> baseTags = base == null ? List.of() : base.tags;
    List<String> baseInh = base == null ? List.of() : base.inheritableTags;
    if (cfgTags.isEmpty() && spec.localTags.isEmpty() && spec.inheritableExtraTags.isEmpty()) {
      tags = baseTags;
      inhTags = baseInh;
    } else {
      LinkedHashSet<String> all = new LinkedHashSet<>(baseTags);
      LinkedHashSet<String> inh = new LinkedHashSet<>(baseInh);
      for (List<String> add : List.of(cfgTags, spec.inheritableExtraTags)) {
        for (String t : add) {
          all.remove(t);
          all.add(t);
          inh.remove(t);
          inh.add(t);
        }
      }
      for (String t : spec.localTags) {
        all.remove(t);
        all.add(t);
        inh.remove(t);
      }
      tags = List.copyOf(all);
      inhTags = List.copyOf(inh);
    }
    Map<String, Object> baseMd = base == null ? Frozen.EMPTY : base.metadata;
    Map<String, Object> baseInhMd = base == null ? Frozen.EMPTY : base.inheritableMetadata;
    Map<String, Object> cfgMd = c.metadata();
    Map<String, Object> md;
    Map<String, Object> inhMd;
    if (cfgMd.isEmpty() && spec.inheritableExtraMetadata.isEmpty() && spec.localMetadata.isEmpty()) {
      md = baseMd;
      inhMd = baseInhMd;
    } else {
      LinkedHashMap<String, Object> inh = new LinkedHashMap<>(baseInhMd);
      inh.putAll(cfgMd);
      inh.putAll(spec.inheritableExtraMetadata);
      LinkedHashMap<String, Object> all = new LinkedHashMap<>(baseMd);
      all.putAll(cfgMd);
      all.putAll(spec.inheritableExtraMetadata);
      all.putAll(spec.localMetadata);
      md = Frozen.adopt(all);
      inhMd = Frozen.adopt(inh);
    }
    UUID runId = c.runId() != null ? c.runId() : c.runIdGenerator().next();
    String name = c.runName() != null ? c.runName() : spec.defaultName;
    RunNode node = new RunNode(runId, spec.type, name, base == null ? null : base.parent, tags, md, inhTags, inhMd,
        handlers, startInput);
    node.selfTapped = spec.selfTapped;
    RootTap tap = (RootTap) CONFIG.rootTap(c);
    if (tap != null && tap.rootRunId.equals(runId)) {
      node.rootTapped = true;
      tap.node = node;
    }
    if (node.wanted(spec.type.startEvent())) {
      node.deliver(spec.type.startEvent(), startData != null ? startData : Frozen.of1("input", startInput));
    }
    return node;
  }

  /**
   * {@code handlers} followed by {@code more}, each listener once (by {@code equals}), in that
   * order: what a {@code LinkedHashSet} of both gives, without one for the usual few listeners
   * (a stream's collector on top of the global ones).
   */
  private static RunListener[] withListeners(RunListener[] handlers, List<RunListener> more) {
    int n = handlers.length + more.size();
    if (n > 8) {
      LinkedHashSet<RunListener> hs = new LinkedHashSet<>(List.of(handlers));
      hs.addAll(more);
      return hs.toArray(new RunListener[0]);
    }
    RunListener[] out = new RunListener[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      RunListener l = i < handlers.length ? handlers[i] : more.get(i - handlers.length);
      boolean seen = false;
      for (int j = 0; j < k && !seen; j++) {
        seen = out[j].equals(l);
      }
      if (!seen) {
        out[k++] = l;
      }
    }
    return k == n ? out : java.util.Arrays.copyOf(out, k);
  }

  /** LangChain's {@code get_child(tag)}: the handle children of this run are configured from. */
  public ChildCallbacks child(String tag) {
    List<String> t = inheritableTags;
    if (tag != null && inheritableTags.isEmpty()) {
      t = List.of(tag); // the usual case (a sequence's seq:step:N), without a list and a copy
    } else if (tag != null) {
      ArrayList<String> l = new ArrayList<>(inheritableTags.size() + 1);
      for (String s : inheritableTags) {
        if (!s.equals(tag)) {
          l.add(s);
        }
      }
      l.add(tag);
      t = List.copyOf(l);
    }
    return new ChildCallbacks(this, handlers, t, inheritableTags, inheritableMetadata, inheritableMetadata);
  }

  public boolean isOpen() {
    return state == OPEN;
  }

  public boolean hasListeners() {
    return handlers.length > 0;
  }

  public void emit(String event, Object data) {
    if (wanted(event)) {
      deliver(event, data);
    }
  }

  /**
   * Whether an event of this run emitted now would reach anybody; when not, the event counts as
   * dropped where it would have been ({@link Engine#skipUnwanted}). Callers that build event data
   * ask first and then {@link #deliver}.
   */
  private boolean wanted(String event) {
    return handlers.length > 0 && !Engine.skipUnwanted(handlers, event);
  }

  private void deliver(String event, Object data) {
    StreamEvent e = new StreamEvent(event, name, id(), parentIds(), tags, metadata, data, Clock.nextSeq(), Clock.nowEpochNanos());
    if (states == null) {
      Engine.dispatch(handlers, e);
    } else {
      // start() is the only caller that passes the (interned) start event name
      RunStates.dispatch(this, e, event == type.startEvent());
    }
  }

  public void emitStream(Object chunk) {
    if (wanted(type.streamEvent())) {
      deliver(type.streamEvent(), Frozen.of1("chunk", chunk));
    }
  }

  /** Ends the run with LangChain's chain data: output and (aggregated or start) input, falsy as {}. */
  public boolean endChain(Object output, Object inputs, boolean inputsGiven) {
    if (!STATE.compareAndSet(this, OPEN, ENDED)) {
      return false;
    }
    if (wanted(type.endEvent())) {
      Object in = inputsGiven && !Py.falsy(inputs) ? inputs : !Py.falsy(startInput) ? startInput : Frozen.EMPTY;
      deliver(type.endEvent(), Frozen.of2("output", output, "input", in));
    }
    return true;
  }

  /** Ends the run with exactly this data. */
  public boolean endWith(Object data) {
    if (!STATE.compareAndSet(this, OPEN, ENDED)) {
      return false;
    }
    emit(type.endEvent(), data);
    return true;
  }

  /** Fails the run: emits {@code on_<type>_error} (an extension event except for tools). */
  public boolean error(Throwable t, Object data) {
    if (!STATE.compareAndSet(this, OPEN, FAILED)) {
      return false;
    }
    if (wanted(type.errorEvent())) {
      deliver(type.errorEvent(), data != null ? data : Frozen.of1("error", t));
    }
    return true;
  }

  public boolean error(Throwable t) {
    return error(t, null);
  }

  /** Marks the run cancelled (a consumer stopped early) and emits {@code on_<type>_cancel}. */
  public boolean cancel() {
    if (!STATE.compareAndSet(this, OPEN, CANCELLED)) {
      return false;
    }
    emit(type.cancelEvent(), Frozen.EMPTY);
    return true;
  }

  @Override
  public String toString() {
    return type + " run " + name + " (" + id() + ")";
  }
}
