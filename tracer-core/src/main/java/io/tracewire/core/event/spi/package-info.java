/**
 * The seam between tracer-core's API and its engine: {@link io.tracewire.core.event.spi.TracerEngine},
 * the one access point the API calls, and the two access objects the engine calls back
 * ({@link io.tracewire.core.event.spi.ConfigAccess}, {@link io.tracewire.core.event.spi.BusAccess}).
 * It depends on the API's own types only. It lives with the event model because
 * {@code CustomEvent} reaches the engine through it and it names {@code RunListener}: one package
 * layer, so no cycle.
 *
 * <p><strong>Not API.</strong> Public only because Java has no friend packages; the module does
 * not export this package, and anything here may change in any release.
 */
package io.tracewire.core.event.spi;
