/**
 * Runnables and their composition, as LangChain's {@code langchain_core.runnables}:
 * {@link io.tracewire.core.runnable.Runnable} (invoke, batch, stream, transform, streamEvents and
 * their async forms), sequences, parallel maps, lambdas, generators, passthrough and assign,
 * bindings, retries and fallbacks, and {@link io.tracewire.core.runnable.RunHandle} for custom
 * runnables that start runs themselves.
 *
 * <p>Runnables are immutable and thread-safe when the functions they wrap are. A failing step's
 * exception reaches the caller unchanged; listener failures never do. Streams are lazy and pull
 * on the consuming thread.
 */
package io.tracewire.core.runnable;
