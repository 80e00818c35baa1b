package io.tracewire.core.message;

import java.util.Objects;

/**
 * The result of a tool call, sent back to the model. Immutable.
 *
 * @param status {@code "success"} or {@code "error"}
 */
public record ToolMessage(Object content, String toolCallId, String name, String status, String id)
    implements BaseMessage {
  public ToolMessage {
    content = Content.check(content);
    Objects.requireNonNull(toolCallId, "toolCallId");
    status = status == null ? "success" : status;
  }

  public ToolMessage(Object content, String toolCallId) {
    this(content, toolCallId, null, "success", null);
  }

  @Override
  public String type() {
    return "ToolMessage";
  }

  @Override
  public String role() {
    return "Tool";
  }
}
