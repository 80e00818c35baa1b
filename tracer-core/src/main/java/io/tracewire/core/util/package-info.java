/**
 * Dependency-free value helpers beneath the API: immutable maps that allow {@code null} values
 * ({@link io.tracewire.core.util.Frozen}) and tracer-core's one JSON reader
 * ({@link io.tracewire.core.util.Json}). The API's records and the engine both build on them;
 * they depend on the JDK only.
 *
 * <p><strong>Not API.</strong> Public only because Java has no friend packages; the module does
 * not export this package, and anything here may change in any release.
 */
package io.tracewire.core.util;
