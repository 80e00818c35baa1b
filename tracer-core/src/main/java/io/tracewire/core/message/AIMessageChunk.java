package io.tracewire.core.message;

import io.tracewire.core.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One streamed piece of a model response. Immutable; chunks combine with {@link #add} under
 * LangChain's rules ({@code add_ai_message_chunks}):
 *
 * <ul>
 *   <li>content: strings concatenate; lists merge blocks by {@code index};
 *   <li>{@code additionalKwargs} and {@code responseMetadata}: recursive dictionary merge;
 *   <li>{@code toolCallChunks}: merged by {@code index};
 *   <li>{@code usageMetadata}: field-wise sum, {@code null} when neither side has usage;
 *   <li>{@code chunkPosition}: {@code LAST} if either side has it;
 *   <li>{@code id}: the first provider-assigned id wins, then an {@code lc_run-} id, then any.
 * </ul>
 */
public record AIMessageChunk(
    Object content,
    String id,
    String name,
    Map<String, Object> additionalKwargs,
    Map<String, Object> responseMetadata,
    List<ToolCallChunk> toolCallChunks,
    UsageMetadata usageMetadata,
    ChunkPosition chunkPosition)
    implements BaseMessage {

  public AIMessageChunk {
    content = Content.check(content);
    additionalKwargs = Content.map(additionalKwargs);
    responseMetadata = Content.map(responseMetadata);
    toolCallChunks = Content.list(toolCallChunks);
  }

  public AIMessageChunk(String content) {
    this(content, null, null, null, null, null, null, null);
  }

  public AIMessageChunk(String content, String id) {
    this(content, id, null, null, null, null, null, null);
  }

  /** Starts a builder for a chunk. */
  public static Builder builder() {
    return new Builder();
  }

  /** A copy with another id. */
  public AIMessageChunk withId(String newId) {
    return new AIMessageChunk(content, newId, name, additionalKwargs, responseMetadata, toolCallChunks,
        usageMetadata, chunkPosition);
  }

  /** A copy with another chunk position. */
  public AIMessageChunk withChunkPosition(ChunkPosition position) {
    return new AIMessageChunk(content, id, name, additionalKwargs, responseMetadata, toolCallChunks,
        usageMetadata, position);
  }

  /** A copy with {@code extra} merged into the response metadata. */
  public AIMessageChunk withResponseMetadata(Map<String, Object> extra) {
    return new AIMessageChunk(content, id, name, additionalKwargs, Merge.dicts(responseMetadata, extra),
        toolCallChunks, usageMetadata, chunkPosition);
  }

  /** Merges {@code other} after this chunk. Neither operand changes. */
  public AIMessageChunk add(AIMessageChunk other) {
    return new AIMessageChunk(
        Merge.content(content, other.content),
        Merge.messageId(id, other.id),
        name != null ? name : other.name,
        Merge.dicts(additionalKwargs, other.additionalKwargs),
        Merge.dicts(responseMetadata, other.responseMetadata),
        Merge.toolCallChunks(toolCallChunks, other.toolCallChunks),
        UsageMetadata.add(usageMetadata, other.usageMetadata),
        chunkPosition == ChunkPosition.LAST || other.chunkPosition == ChunkPosition.LAST
            ? ChunkPosition.LAST
            : null);
  }

  /**
   * Converts to a complete {@link AIMessage} (LangChain's {@code message_chunk_to_message}):
   * tool-call chunks whose arguments parse as JSON objects become tool calls; the chunk
   * position is dropped.
   */
  public AIMessage toMessage() {
    List<ToolCall> calls = new ArrayList<>();
    for (ToolCallChunk c : toolCallChunks) {
      if (c.name() == null) {
        continue;
      }
      Map<String, Object> args = Json.parseObject(c.args() == null || c.args().isEmpty() ? "{}" : c.args());
      if (args != null) {
        calls.add(new ToolCall(c.name(), args, c.id()));
      }
    }
    return new AIMessage(content, id, name, additionalKwargs, responseMetadata, calls, usageMetadata);
  }

  @Override
  public String type() {
    return "AIMessageChunk";
  }

  @Override
  public String role() {
    return "AI";
  }

  /** Builder for chunks; all fields optional. Not thread-safe. */
  public static final class Builder {
    private Object content = "";
    private String id;
    private String name;
    private Map<String, Object> additionalKwargs = Map.of();
    private Map<String, Object> responseMetadata = Map.of();
    private List<ToolCallChunk> toolCallChunks = List.of();
    private UsageMetadata usage;
    private ChunkPosition position;

    private Builder() {}

    public Builder content(Object content) {
      this.content = content;
      return this;
    }

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder additionalKwargs(Map<String, Object> kwargs) {
      this.additionalKwargs = kwargs;
      return this;
    }

    public Builder responseMetadata(Map<String, Object> metadata) {
      this.responseMetadata = metadata;
      return this;
    }

    public Builder responseMetadata(String key, Object value) {
      Map<String, Object> m = new LinkedHashMap<>(responseMetadata);
      m.put(key, value);
      this.responseMetadata = m;
      return this;
    }

    public Builder toolCallChunks(List<ToolCallChunk> chunks) {
      this.toolCallChunks = chunks;
      return this;
    }

    public Builder usage(UsageMetadata usage) {
      this.usage = usage;
      return this;
    }

    public Builder chunkPosition(ChunkPosition position) {
      this.position = position;
      return this;
    }

    public AIMessageChunk build() {
      return new AIMessageChunk(content, id, name, additionalKwargs, responseMetadata, toolCallChunks, usage, position);
    }
  }
}
