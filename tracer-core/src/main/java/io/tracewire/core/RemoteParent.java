package io.tracewire.core;

import io.tracewire.core.event.spi.TracerEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A run in another process (the caller of an HTTP request, say) that runs started here continue:
 * its run id, its own {@code parent_ids} (root first), and optionally the trace and span id of the
 * caller's tracing system, which Tracewire carries but does not interpret.
 *
 * <p>A run started as the child of a remote parent, with {@link RunConfig.Builder#remoteParent}
 * or inside {@link RunContext#attachRemoteParent}, gets {@code parentIds + [runId]} as its
 * {@code parent_ids}, so its events and those of its descendants name the caller's exact chain
 * and a reader joining both processes' logs sees one tree. Such a run (only the direct child of
 * the remote run, not its descendants) carries {@link #METADATA_KEY} in its metadata with the
 * remote run's id as value, so readers can tell that its parent is not in the same log.
 *
 * <p>Getting the value across is the transport's job ({@code tracewire-propagation} does it for
 * HTTP with W3C trace context and baggage); {@link #current()} gives the value to send.
 *
 * <p>Immutable and thread-safe. The constructor throws {@link NullPointerException} for a missing
 * run id or a null parent id, and {@link IllegalArgumentException} for more than
 * {@value #MAX_DEPTH} parent ids.
 *
 * @param runId the remote run's id
 * @param parentIds the remote run's {@code parent_ids}, root first (empty for a root run)
 * @param traceId the remote trace id (opaque, for example 32 hex digits), or {@code null}
 * @param spanId the remote span id (opaque), or {@code null}
 */
public record RemoteParent(UUID runId, List<UUID> parentIds, String traceId, String spanId) {
  /** The metadata key marking a run whose parent ran in another process; its value is that run's id. */
  public static final String METADATA_KEY = "tracewire.remote_parent";

  /** The most parent ids a remote parent may have, {@value}; deeper chains are refused. */
  public static final int MAX_DEPTH = 128;

  public RemoteParent {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(parentIds, "parentIds");
    parentIds = List.copyOf(parentIds);
    if (parentIds.size() > MAX_DEPTH) {
      throw new IllegalArgumentException("parentIds: at most " + MAX_DEPTH + " ids, got " + parentIds.size());
    }
  }

  /** A remote parent without trace or span id. */
  public static RemoteParent of(UUID runId, List<UUID> parentIds) {
    return new RemoteParent(runId, parentIds, null, null);
  }

  /** A copy with this trace and span id (either may be {@code null}). */
  public RemoteParent withTrace(String traceId, String spanId) {
    return new RemoteParent(runId, parentIds, traceId, spanId);
  }

  /** The {@code parent_ids} a child of this run gets: {@link #parentIds()} then {@link #runId()}. */
  public List<UUID> path() {
    List<UUID> l = new ArrayList<>(parentIds.size() + 1);
    l.addAll(parentIds);
    l.add(runId);
    return List.copyOf(l);
  }

  /**
   * The run executing on this thread, as the remote parent of the runs a call made from here
   * starts in another process; empty outside any run. Inside
   * {@link RunContext#attachRemoteParent} but outside a local run it is that remote parent (ids
   * only), so a chain of calls across several processes keeps one tree. Never throws.
   */
  public static Optional<RemoteParent> current() {
    return TracerEngine.INSTANCE.currentRemoteParent();
  }
}
