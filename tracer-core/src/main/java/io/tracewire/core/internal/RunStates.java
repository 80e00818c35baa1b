package io.tracewire.core.internal;

import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.RunStateListener;
import io.tracewire.core.event.StreamEvent;

/**
 * Event delivery to runs with at least one {@link RunStateListener}: each run keeps one state
 * slot per handler, parallel to {@link RunNode#handlers}. Plain listeners get
 * {@link RunListener#onEvent}; isolation is the same as {@link Engine#dispatch}.
 */
public final class RunStates {
  private RunStates() {}

  /** The last handler array {@link #slotsFor} looked at, and whether any of them keeps state. */
  private record Checked(RunListener[] handlers, boolean stateful) {}

  /**
   * Why a cache: most runs share one handler array (the global listeners, or the parent's), and
   * {@code instanceof} against an interface a class does not implement scans the class's
   * supertypes on every call; profiled at about 20 ns per run with one sink.
   */
  private static volatile Checked last = new Checked(Engine.NO_LISTENERS, false);

  /** A state slot per handler when any handler keeps state, else {@code null} (the plain path). */
  public static Object[] slotsFor(RunListener[] handlers) {
    Checked c = last;
    if (c.handlers != handlers) {
      boolean stateful = false;
      for (RunListener h : handlers) {
        if (h instanceof RunStateListener) {
          stateful = true;
          break;
        }
      }
      c = new Checked(handlers, stateful);
      last = c;
    }
    return c.stateful ? new Object[handlers.length] : null;
  }

  /** Delivers an event of {@code run}, which has state slots; {@code start} for its start event. */
  @SuppressWarnings("unchecked")
  public static void dispatch(RunNode run, StreamEvent e, boolean start) {
    RunListener[] hs = run.handlers;
    Object[] states = run.states;
    for (int i = 0; i < hs.length; i++) {
      RunListener h = hs[i];
      try {
        if (!(h instanceof RunStateListener)) {
          h.onEvent(e);
        } else if (start) {
          RunStateListener<Object> sl = (RunStateListener<Object>) h;
          states[i] = sl.onRunStart(e, stateOf(run.parent, h));
        } else {
          ((RunStateListener<Object>) h).onRunEvent(states[i], e);
        }
      } catch (Throwable t) {
        Engine.listenerFailed(h, e, t);
      }
    }
  }

  /**
   * Delivers a custom event of {@code run} to {@code handlers} (the dispatching handle's, which
   * may differ from the run's): a stateful listener the run carries gets its state, the others
   * get {@link RunListener#onEvent}.
   */
  @SuppressWarnings("unchecked")
  public static void dispatchCustom(RunNode run, RunListener[] handlers, StreamEvent e) {
    for (RunListener h : handlers) {
      try {
        int slot = h instanceof RunStateListener ? slotOf(run, h) : -1;
        if (slot >= 0) {
          ((RunStateListener<Object>) h).onRunEvent(run.states[slot], e);
        } else {
          h.onEvent(e);
        }
      } catch (Throwable t) {
        Engine.listenerFailed(h, e, t);
      }
    }
  }

  /** {@code h}'s state on {@code run}, or {@code null} when the run is null or does not carry it. */
  public static Object stateOf(RunNode run, RunListener h) {
    int slot = run == null ? -1 : slotOf(run, h);
    return slot < 0 ? null : run.states[slot];
  }

  private static int slotOf(RunNode run, RunListener h) {
    if (run.states == null) {
      return -1;
    }
    RunListener[] hs = run.handlers;
    for (int i = 0; i < hs.length; i++) {
      if (hs[i] == h) {
        return i;
      }
    }
    return -1;
  }
}
