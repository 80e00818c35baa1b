package io.tracewire.core.message;

/** A user message. Immutable. */
public record HumanMessage(Object content, String id, String name) implements BaseMessage {
  public HumanMessage {
    content = Content.check(content);
  }

  public HumanMessage(String content) {
    this(content, null, null);
  }

  @Override
  public String type() {
    return "HumanMessage";
  }

  @Override
  public String role() {
    return "Human";
  }
}
