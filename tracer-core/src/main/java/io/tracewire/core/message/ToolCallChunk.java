package io.tracewire.core.message;

/**
 * A piece of a streamed tool call. Chunks with the same {@code index} are merged by
 * concatenating {@code name} and {@code args} (a partial JSON string); {@code id} keeps the
 * first non-null value. Any field may be {@code null}.
 */
public record ToolCallChunk(String name, String args, String id, Integer index) {}
