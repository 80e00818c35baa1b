package io.tracewire.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.core.model.GenerationChunk;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.UsageMetadata;
import io.tracewire.exporters.jsonl.ErrorValue;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Reads usage, text and error messages out of event payloads, whether they hold live objects
 * (in-process events) or plain maps (events decoded from JSON).
 */
final class Values {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Values() {}

  /** Input, output and total tokens added up. */
  static long[] sum(long[] a, long[] b) {
    return new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
  }

  /** The text of the {@code chunk} in an event's stored {@code data} JSON; empty when it has none. */
  static String chunkText(byte[] data) {
    try {
      JsonNode c = MAPPER.readTree(data).get("chunk");
      if (c == null) {
        return "";
      }
      if (c.isTextual()) {
        return c.asText();
      }
      Object content = c.has("content") ? MAPPER.treeToValue(c.get("content"), Object.class)
          : c.has("text") ? c.get("text").asText() : null;
      return contentText(content);
    } catch (IOException e) {
      return "";
    }
  }

  /** Token usage of a chunk or a model output, or {@code null} when it carries none. */
  static long[] usage(Object v) {
    if (v instanceof AIMessageChunk c) {
      return usage(c.usageMetadata());
    }
    if (v instanceof AIMessage m) {
      return usage(m.usageMetadata());
    }
    if (v instanceof UsageMetadata u) {
      return new long[] {u.inputTokens(), u.outputTokens(), u.totalTokens()};
    }
    if (v instanceof Map<?, ?> m) {
      Object u = m.get("usage_metadata");
      if (u instanceof Map<?, ?> um) {
        return new long[] {num(um.get("input_tokens")), num(um.get("output_tokens")), num(um.get("total_tokens"))};
      }
    }
    return null;
  }

  /** The text of a streamed chunk: message content, generation text, or a plain string. */
  static String text(Object v) {
    if (v instanceof BaseMessage m) {
      return m.text();
    }
    if (v instanceof GenerationChunk c) {
      return c.text();
    }
    if (v instanceof CharSequence s) {
      return s.toString();
    }
    if (v instanceof Map<?, ?> m) {
      Object content = m.containsKey("content") ? m.get("content") : m.get("text");
      return contentText(content);
    }
    return "";
  }

  /** Text of message content as decoded JSON: a string, or the text blocks of a list. */
  static String contentText(Object content) {
    if (content instanceof String s) {
      return s;
    }
    if (content instanceof List<?> l) {
      StringBuilder sb = new StringBuilder();
      for (Object o : l) {
        if (o instanceof String s) {
          sb.append(s);
        } else if (o instanceof Map<?, ?> b && "text".equals(b.get("type")) && b.get("text") instanceof String t) {
          sb.append(t);
        }
      }
      return sb.toString();
    }
    return "";
  }

  /**
   * A one-line description of an error value, {@code Type: message} (or {@code Type} without a
   * message) with the class's simple name, whatever shape the error arrived in: a live
   * exception, a JSONL log's {@link ErrorValue}, a decoded {@code {type, message}} map, or text.
   */
  static String error(Object v) {
    if (v instanceof Throwable t) {
      return typeAndMessage(t.getClass().getName(), t.getMessage());
    }
    if (v instanceof ErrorValue e) {
      return typeAndMessage(e.type(), e.message());
    }
    if (v instanceof Map<?, ?> m) {
      Object type = m.get("type");
      Object msg = m.get("message");
      return typeAndMessage(type == null ? "Error" : type.toString(), msg == null ? null : msg.toString());
    }
    return v == null ? "error" : v.toString();
  }

  /** {@code java.net.ConnectException} and {@code a.Outer$Inner} become {@code ConnectException}, {@code Inner}. */
  private static String typeAndMessage(String className, String message) {
    String t = className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
    if (t.isEmpty()) {
      t = className;
    }
    return message == null ? t : t + ": " + message;
  }

  private static long num(Object o) {
    return o instanceof Number n ? n.longValue() : 0L;
  }
}
