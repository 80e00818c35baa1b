package io.tracewire.core.runnable;

import io.tracewire.core.internal.Runs;
import io.tracewire.core.RunConfig;
import io.tracewire.core.internal.RunNode;

import java.util.UUID;

/**
 * A run started by a custom runnable ({@link Runnable#startRun}). End it exactly once with
 * {@link #end}, {@link #error} or {@link #cancel}; later calls are ignored. Pass
 * {@link #childConfig()} to the runnables it calls so they nest under it. Thread-safe.
 */
public final class RunHandle {
  private final RunNode node;
  private final RunConfig config;

  RunHandle(RunNode node, RunConfig config) {
    this.node = node;
    this.config = config;
  }

  public UUID runId() {
    return node.runId;
  }

  public String name() {
    return node.name;
  }

  /** The config for children of this run. */
  public RunConfig childConfig() {
    return Runs.child(config, node, null);
  }

  /** The config for a child of this run that also gets {@code tag} (not inherited further). */
  public RunConfig childConfig(String tag) {
    return Runs.child(config, node, tag);
  }

  /** Emits a stream event for this run. */
  public void stream(Object chunk) {
    node.emitStream(chunk);
  }

  /** Ends the run; the end event's input is the start input. */
  public void end(Object output) {
    node.endChain(output, null, false);
  }

  /** Ends the run with an explicit input for the end event. */
  public void end(Object output, Object input) {
    node.endChain(output, input, true);
  }

  /** Fails the run. */
  public void error(Throwable error) {
    node.error(error);
  }

  /** Cancels the run. */
  public void cancel() {
    node.cancel();
  }

  public boolean isOpen() {
    return node.isOpen();
  }
}
