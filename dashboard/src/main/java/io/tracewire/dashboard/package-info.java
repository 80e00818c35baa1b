/**
 * The Tracewire web dashboard: {@link io.tracewire.dashboard.Dashboard}, an embeddable HTTP server
 * with a REST API, Server-Sent Events and a static UI (no build step, no CDN) over an in-memory,
 * bounded store of run events.
 *
 * <p>Everything except {@code Dashboard}, its {@code Builder} and {@code Stats} is package-private
 * and may change. Events are encoded by the exporters' JSONL codec
 * ({@link io.tracewire.exporters.jsonl.JsonlCodec#lineParts}, bounded), so an event has the same
 * JSON shape in the dashboard as in a JSONL log.
 */
package io.tracewire.dashboard;
