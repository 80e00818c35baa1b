package io.tracewire.core.sink;

/**
 * What a sink's queue does with an event when it is full (see {@link EventBus}). Every event
 * that is not delivered is counted in {@link SinkStats#dropped()}, and the first drop of each
 * sink is logged as a warning.
 */
public enum OverflowPolicy {
  /**
   * The producing thread waits for room. Loses nothing while the sink keeps up or catches up, but
   * lets a slow sink slow the application. Never applied on a bus worker thread (an event
   * produced by a sink's own work): there a full queue drops the new event instead, so a sink
   * cannot deadlock on its own queue. Events offered after the sink is closed are dropped.
   */
  BLOCK,
  /**
   * The new event is dropped; the queue keeps the oldest events. Never blocks. The cheapest policy
   * for a sink that stalls: while its queue stays full and no other listener of the run wants
   * the event, the application thread does not even build the event; it only counts the drop and
   * uses up the event's sequence number (so a reader of the sink's output sees the gap).
   */
  DROP_NEWEST,
  /**
   * The oldest queued event is dropped to make room for the new one. Never blocks. The sink
   * always gets the latest events, so each is built and enqueued even while the sink stalls:
   * a stalled sink costs the application what a fast one costs.
   */
  DROP_OLDEST
}
