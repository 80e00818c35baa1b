package io.tracewire.core.internal;

import io.tracewire.core.util.Frozen;
import java.util.UUID;

/**
 * Marks the root run of a {@code streamEvents} call (the driver's output tap in LangChain). The
 * run that consumes the config with this id records itself here.
 */
public final class RootTap {
  public final UUID rootRunId;
  public volatile RunNode node;
  private int state; // 0 = no chunk yet, 1 = tapping, 2 = passing through

  public RootTap(UUID rootRunId) {
    this.rootRunId = rootRunId;
  }

  /** Called for every chunk the root yields: emits the root's stream event when LangChain would. */
  public void onChunk(Object chunk) {
    RunNode n = node;
    if (state == 0) {
      state = n != null && !n.selfTapped && n.isOpen() ? 1 : 2;
    }
    if (state == 1) {
      n.emit(n.type.streamEvent(), Frozen.of1("chunk", chunk));
    }
  }
}
