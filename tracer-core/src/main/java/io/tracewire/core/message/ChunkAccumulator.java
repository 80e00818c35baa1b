package io.tracewire.core.message;

/**
 * Merges a stream of chunks in linear time: the same result as folding {@link AIMessageChunk#add}
 * over them, but string content is appended to one buffer instead of copied per chunk. Not
 * thread-safe; one stream at a time.
 */
public final class ChunkAccumulator {
  private AIMessageChunk merged;
  private StringBuilder text;
  private int count;

  /** Adds the next chunk. */
  public void add(AIMessageChunk c) {
    count++;
    if (merged == null) {
      merged = c;
      return;
    }
    boolean plainText = c.content() instanceof String && merged.content() instanceof String
        && c.additionalKwargs().isEmpty() && c.responseMetadata().isEmpty() && c.toolCallChunks().isEmpty()
        && c.usageMetadata() == null && (c.name() == null || merged.name() != null);
    if (plainText) {
      String s = (String) c.content();
      if (!s.isEmpty()) {
        if (text == null) {
          text = new StringBuilder((String) merged.content());
        }
        text.append(s);
      }
      String id = Merge.messageId(merged.id(), c.id());
      if (!java.util.Objects.equals(id, merged.id()) || (c.chunkPosition() != null && merged.chunkPosition() == null)) {
        merged = new AIMessageChunk(merged.content(), id, merged.name(), merged.additionalKwargs(), merged.responseMetadata(),
            merged.toolCallChunks(), merged.usageMetadata(), c.chunkPosition() != null ? c.chunkPosition() : merged.chunkPosition());
      }
      return;
    }
    flushText();
    merged = merged.add(c);
  }

  private void flushText() {
    if (text != null) {
      merged = new AIMessageChunk(text.toString(), merged.id(), merged.name(), merged.additionalKwargs(),
          merged.responseMetadata(), merged.toolCallChunks(), merged.usageMetadata(), merged.chunkPosition());
      text = null;
    }
  }

  /** The merge of every chunk so far, or {@code null} before the first. */
  public AIMessageChunk result() {
    flushText();
    return merged;
  }

  /** How many chunks were added. */
  public int count() {
    return count;
  }
}
