package io.tracewire.core.sink;

/**
 * A snapshot of one sink's counters in an {@link EventBus}. Counters are exact and only grow.
 * They count only events of the kinds the sink accepts ({@link EventSink#acceptedKinds()}): the
 * bus never offers it the others, so they are neither queued nor dropped here.
 * At any moment {@code queued - delivered - failed - (dropped from the queue)} events are still
 * waiting or in the sink's hands; after a successful {@link EventBus#flush} none are waiting.
 *
 * @param name the sink's name
 * @param queued events accepted into the queue
 * @param delivered events in batches that {@link EventSink#export} handled without throwing
 * @param dropped events not delivered because of the overflow policy, or because the sink was
 *     closed (including events still queued when a close timed out)
 * @param failed events in batches for which {@link EventSink#export} threw
 * @param maxDepth the largest number of events waiting in the queue at once
 * @param capacity the queue's capacity
 */
public record SinkStats(String name, long queued, long delivered, long dropped, long failed, long maxDepth,
    int capacity) {}
