package io.tracewire.core.internal;

import io.tracewire.core.Callbacks;
import io.tracewire.core.RemoteParent;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.util.Frozen;
import io.tracewire.core.internal.RunNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one implementation of {@link Callbacks}: a parent run and what its children inherit from it.
 * Internal: not API, may change in any release. Immutable and thread-safe.
 */
public final class ChildCallbacks implements Callbacks {
  public final RunNode parent;
  public final RunListener[] handlers;
  public final List<String> tags;
  public final List<String> inheritableTags;
  public final Map<String, Object> metadata;
  public final Map<String, Object> inheritableMetadata;

  public ChildCallbacks(RunNode parent, RunListener[] handlers, List<String> tags, List<String> inheritableTags,
      Map<String, Object> metadata, Map<String, Object> inheritableMetadata) {
    this.parent = parent;
    this.handlers = handlers;
    this.tags = tags;
    this.inheritableTags = inheritableTags;
    this.metadata = metadata;
    this.inheritableMetadata = inheritableMetadata;
  }

  /**
   * The handle that makes runs children of a run in another process: its parent is
   * {@link RunNode#remote a stand-in} for that run, its listeners are the global ones now, and
   * its direct children (not their descendants) get {@link RemoteParent#METADATA_KEY} in their
   * metadata.
   */
  public static ChildCallbacks remote(RemoteParent parent) {
    List<UUID> ids = parent.parentIds();
    String[] strings = new String[ids.size()];
    for (int i = 0; i < strings.length; i++) {
      strings[i] = ids.get(i).toString();
    }
    RunNode node = RunNode.remote(parent.runId(), List.of(strings));
    return new ChildCallbacks(node, Engine.globalListeners, List.of(), List.of(),
        Frozen.of1(RemoteParent.METADATA_KEY, node.id()), Frozen.EMPTY);
  }

  @Override
  public UUID parentRunId() {
    return parent == null ? null : parent.runId;
  }

  /** LangChain's {@code BaseCallbackManager.merge}: this handle's parent wins; the rest unites. */
  public ChildCallbacks merge(ChildCallbacks other) {
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
    return new ChildCallbacks(parent != null ? parent : other.parent, hs.toArray(new RunListener[0]),
        List.copyOf(t), List.copyOf(it), Frozen.adopt(md), Frozen.adopt(imd));
  }

  /** Whether any listener asks chat models to stream tokens. */
  public boolean streamsTokens() {
    for (RunListener h : handlers) {
      if (h.streamsTokens()) {
        return true;
      }
    }
    return false;
  }

  public static List<String> list(List<String> l) {
    return l.isEmpty() ? List.of() : List.copyOf(new ArrayList<>(l));
  }
}
