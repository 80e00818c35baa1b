/**
 * Chat messages and their streaming chunks, with LangChain's merge rules.
 *
 * <p>All types here are immutable values, safe to share between threads and between the events
 * of a run. Content is either a {@link java.lang.String} or a list of content blocks (maps), as
 * in LangChain; {@link io.tracewire.core.message.BaseMessage#text()} gives the text either way.
 */
package io.tracewire.core.message;
