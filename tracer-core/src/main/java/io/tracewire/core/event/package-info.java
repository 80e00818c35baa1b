/**
 * The event model: {@link io.tracewire.core.event.StreamEvent} (one record per event, with
 * LangChain's v2 fields), {@link io.tracewire.core.event.RunType} (the run types and their
 * event names, defined once), {@link io.tracewire.core.event.EventFilter} (include/exclude by name,
 * type and tag), the synchronous listener SPI {@link io.tracewire.core.event.RunListener} and its
 * per-run-state form {@link io.tracewire.core.event.RunStateListener}, and
 * {@link io.tracewire.core.event.CustomEvent} for {@code on_custom_event}.
 *
 * <p>Listeners are called on the thread that produced the event, in production order per run;
 * they must be fast and must not block. A listener that throws is logged once and counted; the
 * run goes on.
 */
package io.tracewire.core.event;
