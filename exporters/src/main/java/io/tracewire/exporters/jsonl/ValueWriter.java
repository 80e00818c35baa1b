package io.tracewire.exporters.jsonl;

import static io.tracewire.exporters.jsonl.JsonlFields.ADDITIONAL_KWARGS;
import static io.tracewire.exporters.jsonl.JsonlFields.ARGS;
import static io.tracewire.exporters.jsonl.JsonlFields.AUDIO;
import static io.tracewire.exporters.jsonl.JsonlFields.CACHE_CREATION;
import static io.tracewire.exporters.jsonl.JsonlFields.CACHE_READ;
import static io.tracewire.exporters.jsonl.JsonlFields.CHUNK_POSITION;
import static io.tracewire.exporters.jsonl.JsonlFields.CONTENT;
import static io.tracewire.exporters.jsonl.JsonlFields.GENERATIONS;
import static io.tracewire.exporters.jsonl.JsonlFields.GENERATION_INFO;
import static io.tracewire.exporters.jsonl.JsonlFields.ID;
import static io.tracewire.exporters.jsonl.JsonlFields.INDEX;
import static io.tracewire.exporters.jsonl.JsonlFields.INPUT_TOKENS;
import static io.tracewire.exporters.jsonl.JsonlFields.INPUT_TOKEN_DETAILS;
import static io.tracewire.exporters.jsonl.JsonlFields.LLM_OUTPUT;
import static io.tracewire.exporters.jsonl.JsonlFields.MESSAGE;
import static io.tracewire.exporters.jsonl.JsonlFields.MESSAGES;
import static io.tracewire.exporters.jsonl.JsonlFields.METADATA;
import static io.tracewire.exporters.jsonl.JsonlFields.NAME;
import static io.tracewire.exporters.jsonl.JsonlFields.OUTPUT_TOKENS;
import static io.tracewire.exporters.jsonl.JsonlFields.OUTPUT_TOKEN_DETAILS;
import static io.tracewire.exporters.jsonl.JsonlFields.PAGE_CONTENT;
import static io.tracewire.exporters.jsonl.JsonlFields.REASONING;
import static io.tracewire.exporters.jsonl.JsonlFields.RESPONSE_METADATA;
import static io.tracewire.exporters.jsonl.JsonlFields.STATUS;
import static io.tracewire.exporters.jsonl.JsonlFields.TEXT;
import static io.tracewire.exporters.jsonl.JsonlFields.TOOL_CALLS;
import static io.tracewire.exporters.jsonl.JsonlFields.TOOL_CALL_CHUNKS;
import static io.tracewire.exporters.jsonl.JsonlFields.TOOL_CALL_ID;
import static io.tracewire.exporters.jsonl.JsonlFields.TOTAL_TOKENS;
import static io.tracewire.exporters.jsonl.JsonlFields.TYPE;
import static io.tracewire.exporters.jsonl.JsonlFields.USAGE_METADATA;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.OutputTokenDetails;
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.ToolCallChunk;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import io.tracewire.core.model.Generation;
import io.tracewire.core.model.GenerationChunk;
import io.tracewire.core.model.LLMResult;
import io.tracewire.core.prompt.PromptValue;
import io.tracewire.core.retriever.Document;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * How values inside an event ({@code metadata}, {@code data}) are written: plain JSON for
 * strings, numbers, booleans, maps and collections; objects with a {@code "type"} discriminator
 * for messages, documents, prompt values, LLM results, generations and tool calls; usage
 * metadata without absent details; a throwable or {@link ErrorValue} as {@code {type, message}};
 * other objects as their Jackson tree, or their {@code toString()} when Jackson cannot serialize
 * them (their class name when even that throws).
 *
 * <p>Optionally bounded: text longer than {@code maxStringChars} is cut and marked
 * ({@value #TRUNCATED_MARK}{@code N chars]}) and containers (maps, lists, typed objects) nested
 * deeper than {@code maxDepth} are replaced by {@value #TOO_DEEP}. Identifiers (ids, names of messages and tool calls, type
 * names) and map keys are never cut. Unbounded, the output is the lossless JSONL form.
 *
 * <p>Writes to one generator; not thread-safe. Errors of the generator propagate as
 * {@link IOException}.
 */
final class ValueWriter {
  static final String TRUNCATED_MARK = "\u2026[truncated ";
  static final String TOO_DEEP = "\u2026[nested too deep]";

  private final JsonGenerator g;
  private final ObjectMapper fallback;
  private final int maxStringChars;
  private final int maxDepth;

  /** A lossless writer. */
  ValueWriter(JsonGenerator g, ObjectMapper fallback) {
    this(g, fallback, Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  ValueWriter(JsonGenerator g, ObjectMapper fallback, int maxStringChars, int maxDepth) {
    this.g = g;
    this.fallback = fallback;
    this.maxStringChars = maxStringChars;
    this.maxDepth = maxDepth;
  }

  private boolean bounded() {
    return maxStringChars != Integer.MAX_VALUE || maxDepth != Integer.MAX_VALUE;
  }

  /** Any value, at the top of a tree. */
  void value(Object v) throws IOException {
    value(v, 0);
  }

  /** A map as a JSON object, at the top of a tree. */
  void map(Map<?, ?> m) throws IOException {
    map(m, 0);
  }

  /** Identifiers (such as parent run ids) as an array of strings, never cut. */
  void ids(List<String> l) throws IOException {
    g.writeStartArray();
    for (String s : l) {
      g.writeString(s);
    }
    g.writeEndArray();
  }

  /** Text (such as tags) as an array of strings, cut when bounded. */
  void texts(List<String> l) throws IOException {
    g.writeStartArray();
    for (String s : l) {
      text(s);
    }
    g.writeEndArray();
  }

  private void text(String s) throws IOException {
    if (s != null && s.length() > maxStringChars) {
      g.writeString(s.substring(0, maxStringChars) + TRUNCATED_MARK + (s.length() - maxStringChars) + " chars]");
    } else {
      g.writeString(s);
    }
  }

  private void map(Map<?, ?> m, int depth) throws IOException {
    if (depth > maxDepth) {
      g.writeString(TOO_DEEP);
      return;
    }
    g.writeStartObject();
    for (Map.Entry<?, ?> en : m.entrySet()) {
      g.writeFieldName(String.valueOf(en.getKey()));
      value(en.getValue(), depth + 1);
    }
    g.writeEndObject();
  }

  private void value(Object v, int depth) throws IOException {
    int d = depth + 1;
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      text(s);
    } else if (v instanceof Map<?, ?> m) {
      map(m, depth);
    } else if (depth > maxDepth && !scalar(v)) {
      g.writeString(TOO_DEEP);
    } else if (v instanceof BaseMessage msg) {
      message(msg, d);
    } else if (v instanceof Collection<?> c) {
      g.writeStartArray();
      for (Object o : c) {
        value(o, d);
      }
      g.writeEndArray();
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      g.writeNumber(((Number) v).doubleValue());
    } else if (v instanceof BigInteger bi) {
      g.writeNumber(bi);
    } else if (v instanceof BigDecimal bd) {
      g.writeNumber(bd);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof UsageMetadata u) {
      usage(u);
    } else if (v instanceof Document doc) {
      g.writeStartObject();
      typeField(JsonlFields.T_DOCUMENT);
      g.writeFieldName(PAGE_CONTENT);
      text(doc.pageContent());
      g.writeFieldName(METADATA);
      map(doc.metadata(), d);
      g.writeFieldName(ID);
      g.writeString(doc.id());
      g.writeEndObject();
    } else if (v instanceof Throwable t) {
      error(t.getClass().getName(), t.getMessage());
    } else if (v instanceof ErrorValue ev) {
      error(ev.type(), ev.message());
    } else if (v instanceof PromptValue.Chat c) {
      g.writeStartObject();
      typeField(JsonlFields.T_CHAT_PROMPT);
      g.writeFieldName(MESSAGES);
      value(c.messages(), d);
      g.writeEndObject();
    } else if (v instanceof PromptValue.Text t) {
      g.writeStartObject();
      typeField(JsonlFields.T_STRING_PROMPT);
      g.writeFieldName(TEXT);
      text(t.text());
      g.writeEndObject();
    } else if (v instanceof LLMResult r) {
      g.writeStartObject();
      typeField(JsonlFields.T_LLM_RESULT);
      g.writeFieldName(GENERATIONS);
      value(r.generations(), d);
      g.writeFieldName(LLM_OUTPUT);
      value(r.llmOutput(), d);
      g.writeEndObject();
    } else if (v instanceof Generation gen) {
      generation(JsonlFields.T_GENERATION, gen.text(), gen.generationInfo(), d);
    } else if (v instanceof GenerationChunk gen) {
      generation(JsonlFields.T_GENERATION_CHUNK, gen.text(), gen.generationInfo(), d);
    } else if (v instanceof ToolCall tc) {
      toolCall(tc, d);
    } else if (v instanceof ToolCallChunk tc) {
      toolCallChunk(tc);
    } else if (v instanceof Object[] arr) {
      value(Arrays.asList(arr), depth);
    } else if (v instanceof Enum<?> en) {
      g.writeString(en.name());
    } else if (v instanceof CharSequence cs) {
      text(cs.toString());
    } else {
      unknown(v, depth);
    }
  }

  private static boolean scalar(Object v) {
    return v instanceof Number || v instanceof Boolean || v instanceof Enum<?> || v instanceof CharSequence;
  }

  /** An object of a type the format does not know: its Jackson tree, else its text. */
  private void unknown(Object v, int depth) throws IOException {
    JsonNode tree;
    try {
      tree = fallback.valueToTree(v);
    } catch (RuntimeException e) {
      text(describe(v));
      return;
    }
    if (bounded()) {
      tree(tree, depth);
    } else {
      fallback.writeTree(g, tree);
    }
  }

  private static String describe(Object v) {
    try {
      return String.valueOf(v);
    } catch (RuntimeException e) {
      return v.getClass().getName();
    }
  }

  /** A Jackson tree with the bounds applied to its text and nesting. */
  private void tree(JsonNode n, int depth) throws IOException {
    if (n.isTextual()) {
      text(n.textValue());
    } else if (!n.isContainerNode()) {
      fallback.writeTree(g, n);
    } else if (depth > maxDepth) {
      g.writeString(TOO_DEEP);
    } else if (n.isObject()) {
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> f : n.properties()) {
        g.writeFieldName(f.getKey());
        tree(f.getValue(), depth + 1);
      }
      g.writeEndObject();
    } else {
      g.writeStartArray();
      for (JsonNode e : n) {
        tree(e, depth + 1);
      }
      g.writeEndArray();
    }
  }

  private void typeField(String type) throws IOException {
    g.writeFieldName(TYPE);
    g.writeString(type);
  }

  private void error(String type, String message) throws IOException {
    g.writeStartObject();
    g.writeFieldName(TYPE);
    g.writeString(type);
    g.writeFieldName(MESSAGE);
    text(message);
    g.writeEndObject();
  }

  private void generation(String type, String text, Map<String, Object> info, int d) throws IOException {
    g.writeStartObject();
    typeField(type);
    g.writeFieldName(TEXT);
    text(text);
    g.writeFieldName(GENERATION_INFO);
    value(info, d);
    g.writeEndObject();
  }

  private void toolCall(ToolCall tc, int d) throws IOException {
    g.writeStartObject();
    g.writeFieldName(NAME);
    g.writeString(tc.name());
    g.writeFieldName(ARGS);
    map(tc.args(), d);
    g.writeFieldName(ID);
    g.writeString(tc.id());
    typeField(JsonlFields.T_TOOL_CALL);
    g.writeEndObject();
  }

  private void toolCallChunk(ToolCallChunk tc) throws IOException {
    g.writeStartObject();
    g.writeFieldName(NAME);
    g.writeString(tc.name());
    g.writeFieldName(ARGS);
    text(tc.args());
    g.writeFieldName(ID);
    g.writeString(tc.id());
    g.writeFieldName(INDEX);
    if (tc.index() == null) {
      g.writeNull();
    } else {
      g.writeNumber(tc.index().longValue());
    }
    typeField(JsonlFields.T_TOOL_CALL_CHUNK);
    g.writeEndObject();
  }

  private void message(BaseMessage m, int d) throws IOException {
    g.writeStartObject();
    g.writeFieldName(CONTENT);
    value(m.content(), d);
    if (m instanceof AIMessageChunk c) {
      kwargsAndMetadata(c.additionalKwargs(), c.responseMetadata(), d);
    } else if (m instanceof AIMessage a) {
      kwargsAndMetadata(a.additionalKwargs(), a.responseMetadata(), d);
    }
    typeField(m.type());
    g.writeFieldName(NAME);
    g.writeString(m.name());
    g.writeFieldName(ID);
    g.writeString(m.id());
    if (m instanceof AIMessageChunk c) {
      g.writeFieldName(TOOL_CALL_CHUNKS);
      g.writeStartArray();
      for (ToolCallChunk tc : c.toolCallChunks()) {
        toolCallChunk(tc);
      }
      g.writeEndArray();
      g.writeFieldName(USAGE_METADATA);
      usage(c.usageMetadata());
      g.writeFieldName(CHUNK_POSITION);
      g.writeString(c.chunkPosition() == null ? null : c.chunkPosition().wireValue());
    } else if (m instanceof AIMessage a) {
      g.writeFieldName(TOOL_CALLS);
      g.writeStartArray();
      for (ToolCall tc : a.toolCalls()) {
        toolCall(tc, d);
      }
      g.writeEndArray();
      g.writeFieldName(USAGE_METADATA);
      usage(a.usageMetadata());
    } else if (m instanceof ToolMessage t) {
      g.writeFieldName(TOOL_CALL_ID);
      g.writeString(t.toolCallId());
      g.writeFieldName(STATUS);
      g.writeString(t.status());
    }
    g.writeEndObject();
  }

  private void kwargsAndMetadata(Map<String, Object> kwargs, Map<String, Object> metadata, int d) throws IOException {
    g.writeFieldName(ADDITIONAL_KWARGS);
    map(kwargs, d);
    g.writeFieldName(RESPONSE_METADATA);
    map(metadata, d);
  }

  private void usage(UsageMetadata u) throws IOException {
    if (u == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    number(INPUT_TOKENS, u.inputTokens());
    number(OUTPUT_TOKENS, u.outputTokens());
    number(TOTAL_TOKENS, u.totalTokens());
    InputTokenDetails in = u.inputTokenDetails();
    if (in != null) {
      startObject(INPUT_TOKEN_DETAILS);
      optional(CACHE_CREATION, in.cacheCreation());
      optional(CACHE_READ, in.cacheRead());
      optional(AUDIO, in.audio());
      g.writeEndObject();
    }
    OutputTokenDetails out = u.outputTokenDetails();
    if (out != null) {
      startObject(OUTPUT_TOKEN_DETAILS);
      optional(REASONING, out.reasoning());
      optional(AUDIO, out.audio());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private void startObject(SerializedString name) throws IOException {
    g.writeFieldName(name);
    g.writeStartObject();
  }

  private void number(SerializedString name, long v) throws IOException {
    g.writeFieldName(name);
    g.writeNumber(v);
  }

  private void optional(SerializedString name, Long v) throws IOException {
    if (v != null) {
      number(name, v);
    }
  }
}
