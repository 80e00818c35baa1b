/**
 * Output parsers as runs: {@link io.tracewire.core.parser.StrOutputParser} (a message's text) and
 * {@link io.tracewire.core.parser.JsonOutputParser} (JSON, streaming partial values as LangChain
 * does). Immutable and thread-safe; text that can never become JSON fails the run.
 */
package io.tracewire.core.parser;
