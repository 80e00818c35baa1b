package io.tracewire.dashboard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.model.Generation;
import io.tracewire.core.model.GenerationChunk;
import io.tracewire.core.model.LLMResult;
import io.tracewire.core.prompt.PromptValue;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.OutputTokenDetails;
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.ToolCallChunk;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's JSON encoding of {@link StreamEvent} values: the one place that turns live event
 * objects (messages, documents, usage, exceptions, prompt values, maps, lists, records) into JSON.
 * Field names follow LangChain's serialisation ({@code usage_metadata}, {@code page_content}, ...);
 * an exception becomes {@code {"type": class name, "message": message}} without stack trace.
 *
 * <p>An event is encoded in two parts so the store can keep the per-run part once: the run
 * header ({@code run_id}, {@code parent_ids}, {@code tags}, {@code metadata}), identical for every
 * event of a run, and the per-event {@code data}. {@link #assemble} joins them with the event
 * name, {@code seq} and {@code timestamp_nanos} into the event's JSON object.
 *
 * <p>Strings longer than the configured limit are cut and marked, nesting deeper than
 * {@value #MAX_DEPTH} is cut, so one huge payload cannot exhaust the dashboard's memory. Never
 * throws on odd values: unknown objects are written as their {@code toString()}. Instances are
 * stateless apart from the limit and thread-safe.
 *
 * <p>This class is meant to be replaced by the exporters' JSONL codec once it exists; nothing
 * else in the dashboard knows how values are encoded.
 */
final class EventJson {
  static final int MAX_DEPTH = 48;
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private final int maxStringChars;

  EventJson(int maxStringChars) {
    this.maxStringChars = maxStringChars;
  }

  /** {@code "run_id":..,"parent_ids":[..],"tags":[..],"metadata":{..}} without braces. */
  byte[] header(StreamEvent e) {
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("run_id", e.runId());
      g.writeArrayFieldStart("parent_ids");
      for (String p : e.parentIds()) {
        g.writeString(p);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("tags");
      for (String t : e.tags()) {
        string(g, t);
      }
      g.writeEndArray();
      g.writeFieldName("metadata");
      value(g, e.metadata(), 0);
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    byte[] all = out.toByteArray();
    byte[] inner = new byte[all.length - 2];
    System.arraycopy(all, 1, inner, 0, inner.length);
    return inner;
  }

  /** The JSON of one value (an event's {@code data}, or any part of it). */
  byte[] value(Object v) {
    ByteArrayBuilder out = new ByteArrayBuilder(128);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      value(g, v, 0);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  /** The JSON of a list of strings, such as tags. */
  byte[] strings(List<String> values) {
    return value(values);
  }

  /** Joins an event's parts into its JSON object; {@code header} comes from {@link #header}. */
  static byte[] assemble(String event, String name, byte[] header, byte[] data, long seq, long timestampNanos) {
    ByteArrayBuilder out = new ByteArrayBuilder(header.length + data.length + 96);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("event", event);
      g.writeStringField("name", name);
      g.writeRaw(',');
      g.writeRaw(new String(header, java.nio.charset.StandardCharsets.UTF_8));
      g.writeFieldName("data");
      g.writeRawValue(new String(data, java.nio.charset.StandardCharsets.UTF_8));
      g.writeNumberField("seq", seq);
      g.writeNumberField("timestamp_nanos", timestampNanos);
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  private void string(JsonGenerator g, String s) throws IOException {
    if (s.length() > maxStringChars) {
      g.writeString(s.substring(0, maxStringChars) + "\u2026[truncated " + (s.length() - maxStringChars) + " chars]");
    } else {
      g.writeString(s);
    }
  }

  private void value(JsonGenerator g, Object v, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      g.writeString("\u2026[nested too deep]");
      return;
    }
    int d = depth + 1;
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      string(g, s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Double x) {
      if (x.isNaN() || x.isInfinite()) {
        g.writeString(x.toString());
      } else {
        g.writeNumber(x);
      }
    } else if (v instanceof Float x) {
      value(g, x.doubleValue(), depth);
    } else if (v instanceof Number n) {
      g.writeNumber(n.toString());
    } else if (v instanceof CharSequence || v instanceof Character || v instanceof Enum<?>) {
      string(g, v.toString());
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        value(g, e.getValue(), d);
      }
      g.writeEndObject();
    } else if (v instanceof Collection<?> c) {
      g.writeStartArray();
      for (Object o : c) {
        value(g, o, d);
      }
      g.writeEndArray();
    } else if (v instanceof Object[] a) {
      value(g, List.of(a), depth);
    } else if (v instanceof BaseMessage m) {
      message(g, m, d);
    } else if (v instanceof UsageMetadata u) {
      usage(g, u);
    } else if (v instanceof Document doc) {
      g.writeStartObject();
      g.writeStringField("type", "Document");
      g.writeFieldName("page_content");
      string(g, doc.pageContent());
      g.writeFieldName("metadata");
      value(g, doc.metadata(), d);
      g.writeStringField("id", doc.id());
      g.writeEndObject();
    } else if (v instanceof PromptValue.Chat p) {
      g.writeStartObject();
      g.writeStringField("type", "ChatPromptValue");
      g.writeFieldName("messages");
      value(g, p.messages(), d);
      g.writeEndObject();
    } else if (v instanceof PromptValue.Text p) {
      g.writeStartObject();
      g.writeStringField("type", "StringPromptValue");
      g.writeFieldName("text");
      string(g, p.text());
      g.writeEndObject();
    } else if (v instanceof GenerationChunk c) {
      generation(g, "GenerationChunk", c.text(), c.generationInfo(), d);
    } else if (v instanceof Generation c) {
      generation(g, "Generation", c.text(), c.generationInfo(), d);
    } else if (v instanceof LLMResult r) {
      g.writeStartObject();
      g.writeFieldName("generations");
      value(g, r.generations(), d);
      g.writeFieldName("llm_output");
      value(g, r.llmOutput(), d);
      g.writeEndObject();
    } else if (v instanceof ToolCall c) {
      g.writeStartObject();
      g.writeStringField("name", c.name());
      g.writeFieldName("args");
      value(g, c.args(), d);
      g.writeStringField("id", c.id());
      g.writeStringField("type", "tool_call");
      g.writeEndObject();
    } else if (v instanceof ToolCallChunk c) {
      g.writeStartObject();
      g.writeStringField("name", c.name());
      g.writeFieldName("args");
      value(g, c.args(), d);
      g.writeStringField("id", c.id());
      g.writeFieldName("index");
      value(g, c.index(), d);
      g.writeStringField("type", "tool_call_chunk");
      g.writeEndObject();
    } else if (v instanceof Throwable t) {
      g.writeStartObject();
      g.writeStringField("type", t.getClass().getName());
      g.writeFieldName("message");
      value(g, t.getMessage(), d);
      g.writeEndObject();
    } else if (v instanceof Record r) {
      g.writeStartObject();
      for (RecordComponent rc : r.getClass().getRecordComponents()) {
        Object x;
        try {
          x = rc.getAccessor().invoke(r);
        } catch (ReflectiveOperationException | RuntimeException ex) {
          x = "\u2026[unreadable]";
        }
        g.writeFieldName(rc.getName());
        value(g, x, d);
      }
      g.writeEndObject();
    } else {
      String s;
      try {
        s = String.valueOf(v);
      } catch (RuntimeException ex) {
        s = v.getClass().getName();
      }
      string(g, s);
    }
  }

  private void generation(JsonGenerator g, String type, String text, Map<String, Object> info, int d)
      throws IOException {
    g.writeStartObject();
    g.writeFieldName("text");
    string(g, text);
    g.writeFieldName("generation_info");
    value(g, info, d);
    g.writeStringField("type", type);
    g.writeEndObject();
  }

  private void message(JsonGenerator g, BaseMessage m, int d) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", m.type());
    g.writeFieldName("content");
    value(g, m.content(), d);
    g.writeStringField("id", m.id());
    g.writeStringField("name", m.name());
    if (m instanceof AIMessageChunk c) {
      g.writeFieldName("additional_kwargs");
      value(g, c.additionalKwargs(), d);
      g.writeFieldName("response_metadata");
      value(g, c.responseMetadata(), d);
      g.writeFieldName("tool_call_chunks");
      value(g, c.toolCallChunks(), d);
      g.writeFieldName("usage_metadata");
      usage(g, c.usageMetadata());
      if (c.chunkPosition() != null) {
        g.writeStringField("chunk_position", c.chunkPosition().name().toLowerCase(java.util.Locale.ROOT));
      }
    } else if (m instanceof AIMessage a) {
      g.writeFieldName("additional_kwargs");
      value(g, a.additionalKwargs(), d);
      g.writeFieldName("response_metadata");
      value(g, a.responseMetadata(), d);
      g.writeFieldName("tool_calls");
      value(g, a.toolCalls(), d);
      g.writeFieldName("usage_metadata");
      usage(g, a.usageMetadata());
    } else if (m instanceof ToolMessage t) {
      g.writeStringField("tool_call_id", t.toolCallId());
      g.writeStringField("status", t.status());
    }
    g.writeEndObject();
  }

  private static void usage(JsonGenerator g, UsageMetadata u) throws IOException {
    if (u == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    g.writeNumberField("input_tokens", u.inputTokens());
    g.writeNumberField("output_tokens", u.outputTokens());
    g.writeNumberField("total_tokens", u.totalTokens());
    InputTokenDetails in = u.inputTokenDetails();
    if (in != null) {
      g.writeObjectFieldStart("input_token_details");
      optional(g, "cache_creation", in.cacheCreation());
      optional(g, "cache_read", in.cacheRead());
      optional(g, "audio", in.audio());
      g.writeEndObject();
    }
    OutputTokenDetails out = u.outputTokenDetails();
    if (out != null) {
      g.writeObjectFieldStart("output_token_details");
      optional(g, "reasoning", out.reasoning());
      optional(g, "audio", out.audio());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void optional(JsonGenerator g, String name, Long v) throws IOException {
    if (v != null) {
      g.writeNumberField(name, v);
    }
  }
}
