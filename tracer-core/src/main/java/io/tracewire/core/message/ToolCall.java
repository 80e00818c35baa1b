package io.tracewire.core.message;

import java.util.Map;
import java.util.Objects;

/** A complete tool call requested by a model. Immutable; {@code args} is copied. */
public record ToolCall(String name, Map<String, Object> args, String id) {
  public ToolCall {
    Objects.requireNonNull(name, "name");
    args = BaseMessage.Content.map(args);
  }
}
