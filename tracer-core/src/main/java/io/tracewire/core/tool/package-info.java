/**
 * Tools as runs: {@link io.tracewire.core.tool.Tool}, a named function with a description and an
 * argument schema, invoked with a map of arguments or a tool call; its failures become
 * {@code on_tool_error}. Immutable and thread-safe when its function is.
 */
package io.tracewire.core.tool;
