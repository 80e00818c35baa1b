package io.tracewire.core.internal;

import io.tracewire.core.sink.EventBus;

/**
 * The engine's access to {@link EventBus}'s drop-before-build check ({@link Engine#skipUnwanted}),
 * which is not API. {@code EventBus} installs the only implementation when its class
 * initialises. Internal: not API, may change in any release. Stateless and thread-safe.
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

  static BusAccess get() {
    BusAccess a = instance;
    if (a == null) {
      EventBus.builder();
      a = instance;
    }
    return a;
  }

  /** Whether every sink of {@code bus} that accepts events named {@code event} would drop one offered now (lock-free read). */
  public abstract boolean saturated(EventBus bus, String event);

  /** Counts one drop on every sink of {@code bus} that accepts events named {@code event}, for one that was never built. */
  public abstract void dropUnbuilt(EventBus bus, String event);
}
