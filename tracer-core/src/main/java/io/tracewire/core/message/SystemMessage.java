package io.tracewire.core.message;

/** A system instruction. Immutable. */
public record SystemMessage(Object content, String id, String name) implements BaseMessage {
  public SystemMessage {
    content = Content.check(content);
  }

  public SystemMessage(String content) {
    this(content, null, null);
  }

  @Override
  public String type() {
    return "SystemMessage";
  }

  @Override
  public String role() {
    return "System";
  }
}
