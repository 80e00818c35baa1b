/**
 * Tracewire's entry points: {@link io.tracewire.core.Tracewire} installs sinks and listeners
 * for the whole process and wraps functions as runs; {@link io.tracewire.core.RunConfig} is one
 * call's configuration (LangChain's {@code RunnableConfig}); {@link io.tracewire.core.RunContext}
 * carries the current run to other threads; {@link io.tracewire.core.Callbacks} is the opaque
 * parent-run handle; {@link io.tracewire.core.CloseableIterator} is every stream's type.
 *
 * <p>Everything here is immutable or thread-safe. The engine behind it lives in
 * {@code io.tracewire.core.internal}, which is not API; these classes reach it only through the
 * seam {@code io.tracewire.core.event.spi.TracerEngine}.
 */
package io.tracewire.core;
