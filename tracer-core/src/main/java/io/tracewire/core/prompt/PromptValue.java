package io.tracewire.core.prompt;

import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.HumanMessage;
import java.util.List;

/** The output of a prompt template: messages for a chat model, or text for an LLM. Immutable. */
public sealed interface PromptValue permits PromptValue.Chat, PromptValue.Text {

  /** The prompt as chat messages. */
  List<BaseMessage> toMessages();

  /** The prompt as text (messages rendered as {@code "Role: text"} lines). */
  String toText();

  /** LangChain's {@code ChatPromptValue}. */
  record Chat(List<BaseMessage> messages) implements PromptValue {
    public Chat {
      messages = List.copyOf(messages);
    }

    @Override
    public List<BaseMessage> toMessages() {
      return messages;
    }

    @Override
    public String toText() {
      return BaseMessage.bufferString(messages);
    }
  }

  /** LangChain's {@code StringPromptValue}. */
  record Text(String text) implements PromptValue {
    public Text {
      java.util.Objects.requireNonNull(text, "text");
    }

    @Override
    public List<BaseMessage> toMessages() {
      return List.of(new HumanMessage(text));
    }

    @Override
    public String toText() {
      return text;
    }
  }
}
