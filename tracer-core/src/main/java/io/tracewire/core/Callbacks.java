package io.tracewire.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An opaque handle on a parent run, carried by {@link RunConfig}: the parent run, the listeners
 * inherited from it, and its inheritable tags and metadata (LangChain's child callback
 * manager). Obtain one with {@code RunConfig.current().callbacks()} or from the config a lambda
 * or tool receives; pass it with {@link RunConfig.Builder#callbacks} to make a run a child of that
 * run. Immutable and thread-safe.
 */
public final class Callbacks {
  final RunNode parent;
  final RunListener[] handlers;
  final List<String> tags;
  final List<String> inheritableTags;
  final Map<String, Object> metadata;
  final Map<String, Object> inheritableMetadata;

  Callbacks(RunNode parent, RunListener[] handlers, List<String> tags, List<String> inheritableTags,
      Map<String, Object> metadata, Map<String, Object> inheritableMetadata) {
    this.parent = parent;
    this.handlers = handlers;
    this.tags = tags;
    this.inheritableTags = inheritableTags;
    this.metadata = metadata;
    this.inheritableMetadata = inheritableMetadata;
  }

  /** The parent run's id, or {@code null} when this handle has no parent. */
  public UUID parentRunId() {
    return parent == null ? null : parent.runId;
  }

  /** LangChain's {@code BaseCallbackManager.merge}: this handle's parent wins; the rest unites. */
  Callbacks merge(Callbacks other) {
    LinkedHashSet<RunListener> hs = new LinkedHashSet<>(Arrays.asList(handlers));
    hs.addAll(Arrays.asList(other.handlers));
    LinkedHashSet<String> t = new LinkedHashSet<>(tags);
    t.addAll(other.tags);
    LinkedHashSet<String> it = new LinkedHashSet<>(inheritableTags);
    it.addAll(other.inheritableTags);
    LinkedHashMap<String, Object> md = new LinkedHashMap<>(metadata);
    md.putAll(other.metadata);
    LinkedHashMap<String, Object> imd = new LinkedHashMap<>(inheritableMetadata);
    imd.putAll(other.inheritableMetadata);
    return new Callbacks(parent != null ? parent : other.parent, hs.toArray(new RunListener[0]),
        List.copyOf(t), List.copyOf(it), Frozen.adopt(md), Frozen.adopt(imd));
  }

  /** Whether any listener asks chat models to stream tokens. */
  boolean streamsTokens() {
    for (RunListener h : handlers) {
      if (h.streamsTokens()) {
        return true;
      }
    }
    return false;
  }

  static List<String> list(List<String> l) {
    return l.isEmpty() ? List.of() : List.copyOf(new ArrayList<>(l));
  }
}
