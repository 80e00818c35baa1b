package io.tracewire.core.model;

import io.tracewire.core.util.Frozen;

import java.util.Map;
import java.util.Objects;

/** One completion of an LLM call. Immutable. {@code generationInfo} may be {@code null}. */
public record Generation(String text, Map<String, Object> generationInfo) {
  public Generation {
    Objects.requireNonNull(text, "text");
    generationInfo = generationInfo == null ? null : Frozen.map(generationInfo);
  }

  public Generation(String text) {
    this(text, null);
  }
}
