package io.tracewire.core;

import java.util.UUID;

/**
 * An opaque handle on a parent run, carried by {@link RunConfig}: the parent run, the listeners
 * inherited from it, and its inheritable tags and metadata (LangChain's child callback
 * manager). Obtain one with {@code RunConfig.current().callbacks()} or from the config a lambda
 * or tool receives; pass it with {@link RunConfig.Builder#callbacks} to make a run a child of that
 * run. Only Tracewire creates handles: the builder rejects other implementations. Immutable and
 * thread-safe.
 */
public interface Callbacks {
  /** The parent run's id, or {@code null} when this handle has no parent. */
  UUID parentRunId();
}
