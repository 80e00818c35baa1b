/**
 * The Tracewire web dashboard: {@link io.tracewire.dashboard.Dashboard}, an embeddable HTTP server
 * with a REST API, Server-Sent Events and a static UI (no build step, no CDN) over an in-memory,
 * bounded store of run events.
 *
 * <p>Everything except {@code Dashboard}, its {@code Builder} and {@code Stats} is package-private
 * and may change. {@code EventJson} is the one place that encodes event values as JSON; it is meant
 * to be replaced by the exporters' codec.
 */
package io.tracewire.dashboard;
