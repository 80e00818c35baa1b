package io.tracewire.core.message;

import java.util.List;
import java.util.Map;

/**
 * A chat message: system, human, AI (complete or streamed chunk) or tool result.
 *
 * <p>Implementations are immutable records. {@link #type()} is LangChain's class name
 * ({@code "HumanMessage"}, {@code "AIMessageChunk"}, ...), used as the discriminator in JSON.
 */
public sealed interface BaseMessage
    permits SystemMessage, HumanMessage, AIMessage, AIMessageChunk, ToolMessage {

  /** LangChain's class name of this message, for example {@code "AIMessageChunk"}. */
  String type();

  /** The message content: a {@code String} or an immutable list of content blocks. */
  Object content();

  /** The message id, or {@code null}. */
  String id();

  /** The optional participant name, or {@code null}. */
  String name();

  /** The role used when a conversation is rendered as text ({@code "System"}, {@code "Human"}, {@code "AI"}, {@code "Tool"}). */
  String role();

  /** The text of the content: the string itself, or the concatenated text blocks of a list. */
  default String text() {
    return Content.text(content());
  }

  /** Renders messages as LangChain's {@code get_buffer_string}: one {@code "Role: text"} line each. */
  static String bufferString(List<? extends BaseMessage> messages) {
    StringBuilder sb = new StringBuilder();
    for (BaseMessage m : messages) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(m.role()).append(": ").append(m.text());
    }
    return sb.toString();
  }

  /** Internal helpers shared by the message records. */
  final class Content {
    private Content() {}

    static Object check(Object content) {
      if (content == null) {
        return "";
      }
      if (content instanceof String) {
        return content;
      }
      if (content instanceof List<?> l) {
        return List.copyOf(l);
      }
      throw new IllegalArgumentException(
          "content must be a String or a List of content blocks, got " + content.getClass().getName());
    }

    static String text(Object content) {
      if (content instanceof String s) {
        return s;
      }
      StringBuilder sb = new StringBuilder();
      if (content instanceof List<?> l) {
        for (Object o : l) {
          if (o instanceof String s) {
            sb.append(s);
          } else if (o instanceof Map<?, ?> m && "text".equals(m.get("type")) && m.get("text") instanceof String t) {
            sb.append(t);
          }
        }
      }
      return sb.toString();
    }

    static <K, V> Map<K, V> map(Map<K, V> m) {
      return m == null || m.isEmpty() ? Map.of() : Merge.immutableCopy(m);
    }

    static <T> List<T> list(List<T> l) {
      return l == null || l.isEmpty() ? List.of() : List.copyOf(l);
    }
  }
}
