package io.tracewire.core.event.spi;

import io.tracewire.core.event.RunListener;

/**
 * The engine's access to {@code EventBus}'s drop-before-build check, which is not API: the seam's
 * second way back from the engine into the API (see {@link TracerEngine}). {@code EventBus}
 * installs the only implementation when its class initialises; the engine passes only buses
 * (this package sits beneath the sink package, so it names them as the listeners they are). Not
 * API, may change in any release. Stateless and thread-safe.
 */
public abstract class BusAccess {
  private static BusAccess instance;

  /** Called once, by {@code EventBus}'s static initialiser. */
  public static void install(BusAccess access) {
    if (instance != null) {
      throw new IllegalStateException("BusAccess is installed by EventBus only");
    }
    instance = access;
  }

  /**
   * The implementation. The engine initialises {@code EventBus} first (this package cannot name
   * it), so a missing one is a bug: {@link IllegalStateException}.
   */
  public static BusAccess get() {
    BusAccess a = instance;
    if (a == null) {
      throw new IllegalStateException("BusAccess: EventBus has not been initialised");
    }
    return a;
  }

  /** Whether every sink of {@code bus} that accepts events named {@code event} would drop one offered now (lock-free read). */
  public abstract boolean saturated(RunListener bus, String event);

  /** Counts one drop on every sink of {@code bus} that accepts events named {@code event}, for one that was never built. */
  public abstract void dropUnbuilt(RunListener bus, String event);
}
