package io.tracewire.core.retriever;

import io.tracewire.core.util.Frozen;

import java.util.Map;
import java.util.Objects;

/** A retrieved document: text, metadata and an optional id. Immutable. */
public record Document(String pageContent, Map<String, Object> metadata, String id) {
  public Document {
    Objects.requireNonNull(pageContent, "pageContent");
    metadata = Frozen.map(metadata);
  }

  public Document(String pageContent) {
    this(pageContent, Map.of(), null);
  }

  public Document(String pageContent, Map<String, Object> metadata) {
    this(pageContent, metadata, null);
  }
}
