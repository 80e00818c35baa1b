package io.tracewire.core.event;

import io.tracewire.core.RunConfig;
import io.tracewire.core.Tracewire;
import io.tracewire.core.sink.EventSink;

/**
 * The synchronous listener tier: called on the run's own thread for every event of every run it
 * is attached to (start, stream, end, error, cancel and custom events), in the order the run
 * produces them.
 *
 * <p>Contract, as OpenTelemetry's {@code SpanProcessor}: implementations must be fast, must not
 * block and should not throw. The runtime isolates each listener anyway: an exception is logged
 * through {@code java.util.logging} (once per listener class) and counted, and the run goes on.
 * Work that may be slow (I/O, serialization) belongs in an asynchronous {@code EventSink}.
 *
 * <p>Listeners are attached per call ({@link RunConfig.Builder#listener}) or globally
 * ({@link Tracewire}); they are inherited by every child run. A listener that keeps state per
 * run implements {@link RunStateListener}, so the runtime keeps that state with the run.
 */
@FunctionalInterface
public interface RunListener {

  /** Receives one event. Called on the thread that produced it; events of one run arrive in order. */
  void onEvent(StreamEvent event);

  /**
   * Whether this listener wants chat models to stream token by token even when they are called
   * through {@code invoke} (LangChain's "streaming callback handler"). The {@code streamEvents}
   * collector does; most sinks do not need to.
   */
  default boolean streamsTokens() {
    return false;
  }
}
