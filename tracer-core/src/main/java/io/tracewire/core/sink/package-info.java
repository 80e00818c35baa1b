/**
 * Asynchronous sinks: the {@link io.tracewire.core.sink.EventSink} SPI (batched export on the
 * sink's own thread), the {@link io.tracewire.core.sink.EventBus} that feeds each sink through a
 * bounded queue, per-sink {@link io.tracewire.core.sink.SinkConfig} with a named
 * {@link io.tracewire.core.sink.OverflowPolicy}, and exact counters in
 * {@link io.tracewire.core.sink.SinkStats}.
 *
 * <p>A sink never slows or breaks the application beyond its policy: a full queue blocks (BLOCK)
 * or drops with a counted drop (DROP_NEWEST, DROP_OLDEST); an exporting sink that throws is
 * counted and logged once. Each sink receives its events in production order, and only the
 * kinds of events it declares ({@link io.tracewire.core.sink.EventSink#acceptedKinds()},
 * {@link io.tracewire.core.sink.EventKind}): a sink that ignores stream chunks never has them in
 * its queue.
 */
package io.tracewire.core.sink;
