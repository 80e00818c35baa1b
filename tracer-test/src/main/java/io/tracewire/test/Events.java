package io.tracewire.test;

import io.tracewire.core.model.GenerationChunk;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.UsageMetadata;
import java.util.List;
import java.util.Map;

/** Event-name parsing and payload helpers shared by the kit. Stateless. */
final class Events {
  static final String START = "start";
  static final String STREAM = "stream";
  static final String END = "end";
  static final String ERROR = "error";
  static final String CANCEL = "cancel";

  private Events() {}

  /** {@code start}, {@code stream}, {@code end}, {@code error}, {@code cancel}, or {@code null} for custom and unknown events. */
  static String phase(StreamEvent e) {
    return phase(e.event());
  }

  static String phase(String event) {
    if (!event.startsWith("on_") || event.equals(StreamEvent.CUSTOM_EVENT)) {
      return null;
    }
    int last = event.lastIndexOf('_');
    if (last <= 3) {
      return null;
    }
    String p = event.substring(last + 1);
    return switch (p) {
      case START, STREAM, END, ERROR, CANCEL -> p;
      default -> null;
    };
  }

  /** The run type named in a lifecycle event ({@code chat_model} for {@code on_chat_model_end}), or {@code null}. */
  static String type(StreamEvent e) {
    if (phase(e) == null) {
      return null;
    }
    return e.event().substring(3, e.event().lastIndexOf('_'));
  }

  static boolean isTerminal(String phase) {
    return END.equals(phase) || ERROR.equals(phase) || CANCEL.equals(phase);
  }

  /** The immediate parent run id, or {@code null} for a root. */
  static String parentId(StreamEvent e) {
    List<String> p = e.parentIds();
    return p.isEmpty() ? null : p.get(p.size() - 1);
  }

  /** The text of one streamed chunk: message-chunk content, generation text, or a string chunk; else {@code null}. */
  static String chunkText(Object chunk) {
    if (chunk instanceof AIMessageChunk m) {
      return contentText(m.content());
    }
    if (chunk instanceof GenerationChunk g) {
      return g.text();
    }
    if (chunk instanceof CharSequence s) {
      return s.toString();
    }
    return null;
  }

  /** String content, or the {@code text} of each text block of list content, concatenated. */
  static String contentText(Object content) {
    if (content instanceof String s) {
      return s;
    }
    if (content instanceof List<?> blocks) {
      StringBuilder sb = new StringBuilder();
      for (Object b : blocks) {
        if (b instanceof String s) {
          sb.append(s);
        } else if (b instanceof Map<?, ?> m && m.get("text") instanceof String t) {
          sb.append(t);
        }
      }
      return sb.toString();
    }
    return null;
  }

  /** The usage a message carries, or {@code null}. */
  static UsageMetadata usageOf(Object message) {
    if (message instanceof AIMessage m) {
      return m.usageMetadata();
    }
    if (message instanceof AIMessageChunk c) {
      return c.usageMetadata();
    }
    return null;
  }

  /** A short one-line rendering of a value for failure messages. */
  static String abbreviate(Object value, int max) {
    String s = String.valueOf(value).replace("\n", "\\n");
    return s.length() <= max ? s : s.substring(0, Math.max(0, max - 3)) + "...";
  }
}
