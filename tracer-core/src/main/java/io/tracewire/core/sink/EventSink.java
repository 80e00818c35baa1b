package io.tracewire.core.sink;

import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.StreamEvent;

import java.util.List;
import java.util.Set;

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

  /**
   * The kinds of events this sink handles; all of them by default. The {@link EventBus} asks once,
   * when it is built, and from then on never offers this sink an event of another kind: such an
   * event takes no slot in the sink's queue, is never counted in its {@link SinkStats} (neither
   * queued nor dropped), and cannot make the sink drop an event it does handle. A sink that
   * ignores stream chunks should leave {@link EventKind#STREAM} out: chunks are most of the
   * traffic. The bus resolves the answer into a bit mask, so the check costs the producing thread
   * a few comparisons per event, and nothing when every sink accepts every kind. Event names of no
   * known kind reach every sink that accepts at least one kind.
   *
   * <p>Called on the thread that builds the bus; must not block. An empty set means the sink gets
   * no events at all; a {@code null} answer or an exception means every kind.
   */
  default Set<EventKind> acceptedKinds() {
    return EventKind.ALL;
  }
}
