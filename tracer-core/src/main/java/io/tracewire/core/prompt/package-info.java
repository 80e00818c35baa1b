/**
 * Prompt templates as runs: {@link io.tracewire.core.prompt.PromptTemplate} (text) and
 * {@link io.tracewire.core.prompt.ChatPromptTemplate} (messages), with Python {@code str.format}
 * placeholders, producing a {@link io.tracewire.core.prompt.PromptValue}. Immutable and
 * thread-safe; a missing variable fails the run with a message naming it.
 */
package io.tracewire.core.prompt;
