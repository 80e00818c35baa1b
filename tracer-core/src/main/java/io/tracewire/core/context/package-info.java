/**
 * The run-context storage SPI: where the current run lives and how it travels with the thread
 * or framework context ({@link io.tracewire.core.context.RunContextStorage}). Applications use
 * {@link io.tracewire.core.RunContext}; implement this package only to plug in another storage.
 */
package io.tracewire.core.context;
