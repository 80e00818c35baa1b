package io.tracewire.spring.internal;

import static java.util.Objects.requireNonNull;

import io.tracewire.core.event.RunStateListener;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.otel.OtelBridge;

/**
 * Internal to the starter, not an API (it may change in any release): the
 * {@code tracewire.otel.gen-ai-spans=spring} coexistence mode. Spring AI's own observations
 * already give the ChatClient prompt, each advisor, each model call, each tool call and each
 * vector-store query an OpenTelemetry span (through Micrometer tracing); Tracewire's runs for the
 * same calls would repeat them. In this mode the bridge classes of the starter mark each run they
 * start for a Spring AI component ({@link #markNextStart()} just before the start, on the starting
 * thread), and {@link #around(OtelBridge)} keeps those runs away from the OpenTelemetry bridge:
 * they get no span. Every other run (application code traced with Tracewire, a chain called
 * inside a {@code @Tool}) gets its span as usual; when its parent run was one of the marked ones,
 * its span's parent is the current OpenTelemetry context, which is Spring's observation span
 * around it (the tool call's span, for code inside a tool). Events are not affected: every sink,
 * the JSONL file and the dashboard still get every run.
 *
 * <p>Threading: the mark is a thread-local flag set and consumed on the thread that starts the
 * run (tracer-core delivers a start event synchronously on that thread); the listener is
 * stateless and thread-safe and, like the bridge, never throws.
 */
public final class SpringObservedRuns implements RunStateListener<Object> {
  /** The state of a run that Spring AI's observations span: no span of ours, children parent on the current context. */
  private static final Object OBSERVED = new Object();
  private static final ThreadLocal<Boolean> NEXT_IS_OBSERVED = new ThreadLocal<>();

  private final OtelBridge bridge;

  private SpringObservedRuns(OtelBridge bridge) {
    this.bridge = bridge;
  }

  /** The bridge's listener in the {@code spring} mode: marked runs get no span. */
  public static RunStateListener<Object> around(OtelBridge bridge) {
    return new SpringObservedRuns(requireNonNull(bridge, "bridge"));
  }

  /** Marks the next run started on this thread as one that Spring AI observes itself. */
  public static void markNextStart() {
    NEXT_IS_OBSERVED.set(Boolean.TRUE);
  }

  /** Clears the mark (after the start, or first thing in the run's body), whether or not it was consumed. */
  public static void clearMark() {
    // set(null), not remove(): the mark is set and cleared for every run the bridge starts, and
    // remove() would drop the thread's map entry for the next mark to allocate it again
    if (NEXT_IS_OBSERVED.get() != null) {
      NEXT_IS_OBSERVED.set(null);
    }
  }

  @Override
  public Object onRunStart(StreamEvent start, Object parentState) {
    if (NEXT_IS_OBSERVED.get() != null) {
      NEXT_IS_OBSERVED.set(null);
      return OBSERVED;
    }
    return bridge.onRunStart(start, parentState == OBSERVED ? null : parentState);
  }

  @Override
  public void onRunEvent(Object state, StreamEvent event) {
    if (state != OBSERVED) {
      bridge.onRunEvent(state, event);
    }
  }

  @Override
  public void onEvent(StreamEvent event) {
    bridge.onEvent(event);
  }

  @Override
  public boolean streamsTokens() {
    return bridge.streamsTokens();
  }

  @Override
  public String toString() {
    return "SpringObservedRuns(" + bridge + ")";
  }
}
