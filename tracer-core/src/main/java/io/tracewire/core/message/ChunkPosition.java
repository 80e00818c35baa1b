package io.tracewire.core.message;

/** Marks the final chunk of a stream ({@code chunk_position="last"} in LangChain). */
public enum ChunkPosition {
  LAST;

  /** The wire value, {@code "last"}. */
  public String wireValue() {
    return "last";
  }
}
