package io.tracewire.core.sink;

import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.StreamEvent;

import java.util.List;

/**
 * The asynchronous listener tier: receives immutable {@link StreamEvent}s in batches, on the
 * sink's own worker thread, through an {@link EventBus} (one bounded queue and one worker per
 * sink). Used for anything that may be slow: files, consoles, sockets, dashboards.
 *
 * <p>Threading: every method is called by the sink's single worker thread, never concurrently,
 * so implementations need no locking of their own. Events arrive in the order they were
 * enqueued (for one run: the order the run produced them).
 *
 * <p>Errors: an exception thrown by {@link #export} fails that batch only: its events are counted
 * as {@code failed} in {@link SinkStats}, the first failure is logged through
 * {@code java.util.logging}, and the worker goes on with the next batch. A sink may block (the
 * queue then fills up and its overflow policy applies); it never blocks the application unless
 * its policy is {@link OverflowPolicy#BLOCK}.
 *
 * <p>Lifecycle: the bus that owns the sink calls {@link #flush} when it is flushed and
 * {@link #close} once when it is closed, after the last batch.
 */
public interface EventSink {

  /**
   * Handles one batch of events (at least one). The list is read-only and valid only during the
   * call: copy what must outlive it.
   */
  void export(List<StreamEvent> batch) throws Exception;

  /**
   * Tells the sink how many events meant for it were lost since the previous call: dropped by
   * the overflow policy (refused by a full queue, evicted by {@link OverflowPolicy#DROP_OLDEST},
   * not built because every queue was full) or refused because the sink was closing. Called on
   * the worker thread, only when the count is positive: before the {@link #export} of the first
   * batch after the loss, and once more before {@link #close} for a loss after the last batch.
   * The counts add up exactly to the {@code dropped} count of {@link SinkStats} at close. A sink
   * that numbers what it writes (the JSONL writer) leaves a gap of that size, so readers see
   * exactly how many events are missing. Must not throw; no-op by default.
   *
   * @param events how many events were lost, at least 1
   */
  default void dropped(long events) {}

  /** Makes everything exported so far durable or visible (for example, flushes a buffer). No-op by default. */
  default void flush() throws Exception {}

  /** Releases resources; called once, after the last {@link #export}. No-op by default. */
  default void close() throws Exception {}

  /**
   * Whether this sink wants chat models to stream token by token even when they are called
   * through {@code invoke} (see {@link RunListener#streamsTokens()}); a console that shows tokens
   * as they arrive does. {@code false} by default.
   */
  default boolean streamsTokens() {
    return false;
  }
}
