package io.tracewire.core.model;

import io.tracewire.core.internal.Addable;
import io.tracewire.core.util.Frozen;

import io.tracewire.core.message.Merge;
import java.util.Map;
import java.util.Objects;

/** A streamed piece of an LLM completion; chunks add by concatenating text and merging info. Immutable. */
public record GenerationChunk(String text, Map<String, Object> generationInfo) {
  static {
    Addable.register(GenerationChunk.class, (a, b) -> b instanceof GenerationChunk g ? a.add(g) : null);
  }

  public GenerationChunk {
    Objects.requireNonNull(text, "text");
    generationInfo = generationInfo == null ? null : Frozen.map(generationInfo);
  }

  public GenerationChunk(String text) {
    this(text, null);
  }

  public GenerationChunk add(GenerationChunk other) {
    Map<String, Object> info = generationInfo == null ? other.generationInfo
        : other.generationInfo == null ? generationInfo : Merge.dicts(generationInfo, other.generationInfo);
    return new GenerationChunk(text + other.text, info);
  }
}
