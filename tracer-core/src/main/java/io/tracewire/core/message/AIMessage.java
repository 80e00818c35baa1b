package io.tracewire.core.message;

import java.util.List;
import java.util.Map;

/**
 * A complete model response. Immutable; maps and lists are copied.
 *
 * @param additionalKwargs provider extras (LangChain's {@code additional_kwargs})
 * @param responseMetadata model name, finish reason and other response facts
 * @param toolCalls complete tool calls
 * @param usageMetadata token usage, or {@code null} when the provider sent none
 */
public record AIMessage(
    Object content,
    String id,
    String name,
    Map<String, Object> additionalKwargs,
    Map<String, Object> responseMetadata,
    List<ToolCall> toolCalls,
    UsageMetadata usageMetadata)
    implements BaseMessage {

  public AIMessage {
    content = Content.check(content);
    additionalKwargs = Content.map(additionalKwargs);
    responseMetadata = Content.map(responseMetadata);
    toolCalls = Content.list(toolCalls);
  }

  public AIMessage(String content) {
    this(content, null, null, null, null, null, null);
  }

  public AIMessage(String content, String id) {
    this(content, id, null, null, null, null, null);
  }

  /** A copy with another id. */
  public AIMessage withId(String newId) {
    return new AIMessage(content, newId, name, additionalKwargs, responseMetadata, toolCalls, usageMetadata);
  }

  @Override
  public String type() {
    return "AIMessage";
  }

  @Override
  public String role() {
    return "AI";
  }
}
