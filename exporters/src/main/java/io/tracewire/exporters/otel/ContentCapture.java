package io.tracewire.exporters.otel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.model.Generation;
import io.tracewire.core.model.LLMResult;
import io.tracewire.core.prompt.PromptValue;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.ToolMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Opt-in content: turns inputs, outputs and messages into JSON strings (GenAI message schema for
 * model messages: a role plus typed {@code parts}), runs the redaction hook and applies the size
 * limit. Thread-safe (the ObjectMapper is shared and never reconfigured).
 */
final class ContentCapture {
  private static final Logger LOG = Logger.getLogger(ContentCapture.class.getName());
  private static final String TRUNCATED = "...[truncated]";
  /** The shortest content limit a builder accepts: room for the truncation marker and some text. */
  static final int MIN_MAX_LENGTH = 32;

  private final ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
  private final int maxLength;
  private final ContentRedactor redactor;

  /** The builders' check of a content limit (one rule for spans and log records); returns it. */
  static int checkMaxLength(int chars) {
    if (chars < MIN_MAX_LENGTH) {
      throw new IllegalArgumentException("maxContentLength must be >= " + MIN_MAX_LENGTH + ", got " + chars);
    }
    return chars;
  }

  ContentCapture(int maxLength, ContentRedactor redactor) {
    this.maxLength = maxLength;
    this.redactor = redactor;
  }

  /** The attribute value for {@code value}, or {@code null} when redacted away. */
  String render(String key, Object value) {
    String s;
    if (value instanceof String str) {
      s = str;
    } else {
      s = toJson(plain(value));
    }
    return limit(key, s);
  }

  /** Redacts and truncates an already rendered string. */
  String limit(String key, String s) {
    if (s == null) {
      return null;
    }
    try {
      s = redactor.redact(key, s);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "content redactor threw; value dropped", e);
      return null;
    }
    if (s == null) {
      return null;
    }
    if (s.length() > maxLength) {
      int cut = Math.max(0, maxLength - TRUNCATED.length());
      if (cut > 0 && Character.isHighSurrogate(s.charAt(cut - 1))) {
        cut--;
      }
      s = s.substring(0, cut) + TRUNCATED;
    }
    return s;
  }

  /** GenAI input messages JSON for a chat model's start input ({@code {"messages": [[...]]}}) or an LLM's prompts. */
  String inputMessages(Object input) {
    List<Object> out = new ArrayList<>();
    if (input instanceof Map<?, ?> m) {
      if (m.get("messages") instanceof List<?> batches && !batches.isEmpty() && batches.get(0) instanceof List<?> msgs) {
        for (Object o : msgs) {
          out.add(o instanceof BaseMessage bm ? message(bm, null) : textMessage("user", String.valueOf(o)));
        }
      } else if (m.get("prompts") instanceof List<?> prompts) {
        for (Object p : prompts) {
          out.add(textMessage("user", String.valueOf(p)));
        }
      }
    }
    return limit(GenAiMapping.INPUT_MESSAGES.getKey(), toJson(out));
  }

  /** GenAI output messages JSON for a model's end output. */
  String outputMessages(Object output, String finishReason) {
    List<Object> out = new ArrayList<>();
    if (output instanceof BaseMessage bm) {
      out.add(message(bm, finishReason));
    } else if (output instanceof LLMResult r) {
      for (List<Generation> gens : r.generations()) {
        for (Generation g : gens) {
          Map<String, Object> msg = textMessage("assistant", g.text());
          if (finishReason != null) {
            msg.put("finish_reason", finishReason);
          }
          out.add(msg);
        }
      }
    } else if (output != null) {
      out.add(textMessage("assistant", String.valueOf(output)));
    }
    return limit(GenAiMapping.OUTPUT_MESSAGES.getKey(), toJson(out));
  }

  private static Map<String, Object> textMessage(String role, String text) {
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("role", role);
    msg.put("parts", List.of(textPart(text)));
    return msg;
  }

  private static Map<String, Object> textPart(String text) {
    Map<String, Object> part = new LinkedHashMap<>();
    part.put("type", "text");
    part.put("content", text);
    return part;
  }

  private static Map<String, Object> message(BaseMessage m, String finishReason) {
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("role", GenAiMapping.role(m.type()));
    List<Object> parts = new ArrayList<>();
    if (m instanceof ToolMessage tm) {
      Map<String, Object> part = new LinkedHashMap<>();
      part.put("type", "tool_call_response");
      part.put("id", tm.toolCallId());
      part.put("response", tm.text());
      parts.add(part);
    } else {
      String text = m.text();
      if (!text.isEmpty()) {
        parts.add(textPart(text));
      }
    }
    List<ToolCall> calls = m instanceof AIMessage ai ? ai.toolCalls() : List.of();
    for (ToolCall tc : calls) {
      Map<String, Object> part = new LinkedHashMap<>();
      part.put("type", "tool_call");
      part.put("id", tc.id());
      part.put("name", tc.name());
      part.put("arguments", tc.args());
      parts.add(part);
    }
    if (m instanceof AIMessageChunk chunk) {
      for (var tcc : chunk.toolCallChunks()) {
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("type", "tool_call");
        part.put("id", tcc.id());
        part.put("name", tcc.name());
        part.put("arguments", tcc.args());
        parts.add(part);
      }
    }
    msg.put("parts", parts);
    if (finishReason != null) {
      msg.put("finish_reason", finishReason);
    }
    return msg;
  }

  /** A JSON-friendly view of Tracewire values (messages by role and text, documents, prompt values). */
  private static Object plain(Object v) {
    if (v instanceof BaseMessage m) {
      return message(m, null);
    }
    if (v instanceof PromptValue.Chat chat) {
      return plain(chat.messages());
    }
    if (v instanceof PromptValue.Text text) {
      return text.text();
    }
    if (v instanceof Document d) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("page_content", d.pageContent());
      doc.put("metadata", d.metadata());
      return doc;
    }
    if (v instanceof Throwable t) {
      return t.getClass().getName();
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, val) -> out.put(String.valueOf(k), plain(val)));
      return out;
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(plain(o));
      }
      return out;
    }
    return v;
  }

  private String toJson(Object v) {
    try {
      return json.writeValueAsString(v);
    } catch (Exception | StackOverflowError e) {
      return String.valueOf(v);
    }
  }
}
