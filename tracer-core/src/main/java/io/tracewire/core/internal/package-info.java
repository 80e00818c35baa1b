/**
 * The engine: run nodes and their event emission, listener isolation, the current-run storage,
 * config derivation, the {@code streamEvents} driver, iterator plumbing, and the Python-compatible
 * helpers LangChain's event data depends on (truthiness, {@code +} on chunks, {@code json.dumps}
 * formatting).
 *
 * <p><strong>Not API.</strong> The classes are public only because Java has no friend packages;
 * the module does not export this package, and anything here may change in any release. Only
 * tracer-core may use it (an ArchUnit test enforces this).
 */
package io.tracewire.core.internal;
