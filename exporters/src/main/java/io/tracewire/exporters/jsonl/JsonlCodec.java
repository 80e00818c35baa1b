package io.tracewire.exporters.jsonl;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.model.Generation;
import io.tracewire.core.model.GenerationChunk;
import io.tracewire.core.model.LLMResult;
import io.tracewire.core.prompt.PromptValue;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ChunkPosition;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.OutputTokenDetails;
import io.tracewire.core.message.SystemMessage;
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.ToolCallChunk;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON form of a {@link StreamEvent}: one event per line, as specified in
 * {@code docs/jsonl-format.md} and {@code jsonl-schema.json} (on the classpath next to this
 * class). Writing uses Jackson's streaming generator with pre-encoded field names; reading
 * returns an event equal to the one written, with these documented conversions: a
 * {@code Throwable} under {@code data.error} becomes an {@link ErrorValue}; sets and arrays
 * become lists; integral numbers come back as {@code Integer}, {@code Long} or
 * {@code BigInteger} by size, other numbers as {@code Double} (or {@code BigDecimal} beyond
 * double range); objects of types the format does not know are written as their Jackson
 * databind tree (or their {@code toString()} when that fails) and come back as maps or strings.
 *
 * <p>Messages ({@code SystemMessage}, {@code HumanMessage}, {@code AIMessage},
 * {@code AIMessageChunk}, {@code ToolMessage}), {@code Document}, {@code ChatPromptValue},
 * {@code StringPromptValue}, {@code LLMResult}, {@code Generation} and {@code GenerationChunk} are
 * JSON objects with a {@code "type"} discriminator holding LangChain's class name; on reading,
 * any JSON object whose {@code "type"} is one of those names is decoded as that type.
 *
 * <p>Thread-safe: a codec may be shared. An {@link Encoder} is not: use one per thread.
 */
public final class JsonlCodec {
  /** The schema version written in every line ({@code "v"}). */
  public static final int SCHEMA_VERSION = 1;

  static final SerializedString V = new SerializedString("v");
  static final SerializedString SEQ = new SerializedString("seq");
  static final SerializedString TS = new SerializedString("ts");
  static final SerializedString EVENT = new SerializedString("event");
  static final SerializedString NAME = new SerializedString("name");
  static final SerializedString RUN_ID = new SerializedString("run_id");
  static final SerializedString TRACE_ID = new SerializedString("trace_id");
  static final SerializedString SPAN_ID = new SerializedString("span_id");
  static final SerializedString PARENT_IDS = new SerializedString("parent_ids");
  static final SerializedString TAGS = new SerializedString("tags");
  static final SerializedString METADATA = new SerializedString("metadata");
  static final SerializedString DATA = new SerializedString("data");
  static final SerializedString TYPE = new SerializedString("type");
  static final SerializedString MESSAGE = new SerializedString("message");
  static final SerializedString CONTENT = new SerializedString("content");
  static final SerializedString ID = new SerializedString("id");
  static final SerializedString ADDITIONAL_KWARGS = new SerializedString("additional_kwargs");
  static final SerializedString RESPONSE_METADATA = new SerializedString("response_metadata");
  static final SerializedString TOOL_CALLS = new SerializedString("tool_calls");
  static final SerializedString TOOL_CALL_CHUNKS = new SerializedString("tool_call_chunks");
  static final SerializedString USAGE_METADATA = new SerializedString("usage_metadata");
  static final SerializedString CHUNK_POSITION = new SerializedString("chunk_position");
  static final SerializedString TOOL_CALL_ID = new SerializedString("tool_call_id");
  static final SerializedString STATUS = new SerializedString("status");
  static final SerializedString ARGS = new SerializedString("args");
  static final SerializedString INDEX = new SerializedString("index");
  static final SerializedString INPUT_TOKENS = new SerializedString("input_tokens");
  static final SerializedString OUTPUT_TOKENS = new SerializedString("output_tokens");
  static final SerializedString TOTAL_TOKENS = new SerializedString("total_tokens");
  static final SerializedString INPUT_TOKEN_DETAILS = new SerializedString("input_token_details");
  static final SerializedString OUTPUT_TOKEN_DETAILS = new SerializedString("output_token_details");
  static final SerializedString CACHE_CREATION = new SerializedString("cache_creation");
  static final SerializedString CACHE_READ = new SerializedString("cache_read");
  static final SerializedString AUDIO = new SerializedString("audio");
  static final SerializedString REASONING = new SerializedString("reasoning");
  static final SerializedString PAGE_CONTENT = new SerializedString("page_content");
  static final SerializedString MESSAGES = new SerializedString("messages");
  static final SerializedString TEXT = new SerializedString("text");
  static final SerializedString GENERATIONS = new SerializedString("generations");
  static final SerializedString LLM_OUTPUT = new SerializedString("llm_output");
  static final SerializedString GENERATION_INFO = new SerializedString("generation_info");

  // LangChain class names used as "type" discriminators.
  static final String T_SYSTEM = "SystemMessage";
  static final String T_HUMAN = "HumanMessage";
  static final String T_AI = "AIMessage";
  static final String T_AI_CHUNK = "AIMessageChunk";
  static final String T_TOOL = "ToolMessage";
  static final String T_DOCUMENT = "Document";
  static final String T_CHAT_PROMPT = "ChatPromptValue";
  static final String T_STRING_PROMPT = "StringPromptValue";
  static final String T_LLM_RESULT = "LLMResult";
  static final String T_GENERATION = "Generation";
  static final String T_GENERATION_CHUNK = "GenerationChunk";
  static final String T_TOOL_CALL = "tool_call";
  static final String T_TOOL_CALL_CHUNK = "tool_call_chunk";

  private final JsonFactory factory;
  private final ObjectMapper fallback;

  /** A codec; cheap to share, somewhat costly to create. */
  public JsonlCodec() {
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(Integer.MAX_VALUE).maxNestingDepth(1000).build())
        .build();
    this.fallback = new ObjectMapper(factory);
  }

  JsonFactory factory() {
    return factory;
  }

  /** An encoder writing lines to {@code out}; not thread-safe. */
  public Encoder newEncoder(OutputStream out) {
    Objects.requireNonNull(out, "out");
    try {
      return new Encoder(factory.createGenerator(out, JsonEncoding.UTF8), fallback);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One event as a JSON line (without the trailing newline). */
  public String encodeToString(StreamEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (Encoder enc = newEncoder(out)) {
      enc.writeObject(event);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Decodes one line (with or without its newline). */
  public StreamEvent decode(String line) {
    return decode(line.getBytes(StandardCharsets.UTF_8), 0, line.getBytes(StandardCharsets.UTF_8).length);
  }

  /**
   * Decodes one line held in {@code buf[off, off+len)}, which must be UTF-8.
   *
   * @throws JsonlFormatException when the bytes are not JSON (or not UTF-8), are truncated, or
   *     are JSON of another shape
   */
  public StreamEvent decode(byte[] buf, int off, int len) {
    try (JsonParser p = factory.createParser(buf, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new JsonlFormatException("not a JSON object");
      }
      Object v = readValue(p, p.currentToken());
      if (p.nextToken() != null) {
        throw new JsonlFormatException("more than one JSON value on the line");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) v;
      return toEvent(m);
    } catch (JsonlFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new JsonlFormatException("not valid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  // ---------------------------------------------------------------- encoding

  /**
   * Writes events as JSON lines to one output stream, reusing one generator. Not thread-safe.
   * {@link #write} buffers; {@link #flush} pushes the buffer to the stream.
   */
  public static final class Encoder implements Flushable, Closeable {
    private final JsonGenerator g;
    private final ObjectMapper fallback;
    private TraceLinks traceLinks;

    Encoder(JsonGenerator g, ObjectMapper fallback) {
      this.g = g;
      this.fallback = fallback;
    }

    /**
     * Adds {@code trace_id} and {@code span_id} to every line whose run {@code links} knows
     * ({@code null} to stop). Readers ignore the two fields.
     */
    public Encoder traceLinks(TraceLinks links) {
      this.traceLinks = links;
      return this;
    }

    /** Writes one event followed by {@code '\n'}. */
    public void write(StreamEvent e) throws IOException {
      writeObject(e);
      g.writeRaw('\n');
    }

    void writeObject(StreamEvent e) throws IOException {
      g.writeStartObject();
      g.writeFieldName(V);
      g.writeNumber(SCHEMA_VERSION);
      g.writeFieldName(SEQ);
      g.writeNumber(e.seq());
      g.writeFieldName(TS);
      g.writeNumber(e.timestampNanos());
      g.writeFieldName(EVENT);
      g.writeString(e.event());
      g.writeFieldName(NAME);
      g.writeString(e.name());
      g.writeFieldName(RUN_ID);
      g.writeString(e.runId());
      if (traceLinks != null) {
        TraceLinks.Link link = null;
        try {
          link = traceLinks.find(e.runId());
        } catch (RuntimeException ignored) {
          // a failing lookup only costs the cross-link
        }
        if (link != null) {
          g.writeFieldName(TRACE_ID);
          g.writeString(link.traceId());
          g.writeFieldName(SPAN_ID);
          g.writeString(link.spanId());
        }
      }
      g.writeFieldName(PARENT_IDS);
      strings(e.parentIds());
      g.writeFieldName(TAGS);
      strings(e.tags());
      g.writeFieldName(METADATA);
      map(e.metadata());
      g.writeFieldName(DATA);
      value(e.data());
      g.writeEndObject();
    }

    @Override
    public void flush() throws IOException {
      g.flush();
    }

    @Override
    public void close() throws IOException {
      g.close();
    }

    private void strings(List<String> l) throws IOException {
      g.writeStartArray();
      for (String s : l) {
        g.writeString(s);
      }
      g.writeEndArray();
    }

    private void map(Map<?, ?> m) throws IOException {
      g.writeStartObject();
      for (Map.Entry<?, ?> en : m.entrySet()) {
        g.writeFieldName(String.valueOf(en.getKey()));
        value(en.getValue());
      }
      g.writeEndObject();
    }

    private void value(Object v) throws IOException {
      if (v == null) {
        g.writeNull();
      } else if (v instanceof String s) {
        g.writeString(s);
      } else if (v instanceof Map<?, ?> m) {
        map(m);
      } else if (v instanceof BaseMessage msg) {
        message(msg);
      } else if (v instanceof Collection<?> c) {
        g.writeStartArray();
        for (Object o : c) {
          value(o);
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
      } else if (v instanceof Document d) {
        g.writeStartObject();
        typeField(T_DOCUMENT);
        g.writeFieldName(PAGE_CONTENT);
        g.writeString(d.pageContent());
        g.writeFieldName(METADATA);
        map(d.metadata());
        g.writeFieldName(ID);
        value(d.id());
        g.writeEndObject();
      } else if (v instanceof Throwable t) {
        error(t.getClass().getName(), t.getMessage());
      } else if (v instanceof ErrorValue ev) {
        error(ev.type(), ev.message());
      } else if (v instanceof PromptValue.Chat c) {
        g.writeStartObject();
        typeField(T_CHAT_PROMPT);
        g.writeFieldName(MESSAGES);
        value(c.messages());
        g.writeEndObject();
      } else if (v instanceof PromptValue.Text t) {
        g.writeStartObject();
        typeField(T_STRING_PROMPT);
        g.writeFieldName(TEXT);
        g.writeString(t.text());
        g.writeEndObject();
      } else if (v instanceof LLMResult r) {
        g.writeStartObject();
        typeField(T_LLM_RESULT);
        g.writeFieldName(GENERATIONS);
        value(r.generations());
        g.writeFieldName(LLM_OUTPUT);
        value(r.llmOutput());
        g.writeEndObject();
      } else if (v instanceof Generation gen) {
        generation(T_GENERATION, gen.text(), gen.generationInfo());
      } else if (v instanceof GenerationChunk gen) {
        generation(T_GENERATION_CHUNK, gen.text(), gen.generationInfo());
      } else if (v instanceof ToolCall tc) {
        toolCall(tc);
      } else if (v instanceof ToolCallChunk tc) {
        toolCallChunk(tc);
      } else if (v instanceof Object[] arr) {
        value(List.of(arr));
      } else if (v instanceof Enum<?> en) {
        g.writeString(en.name());
      } else if (v instanceof CharSequence cs) {
        g.writeString(cs.toString());
      } else {
        unknown(v);
      }
    }

    private void unknown(Object v) throws IOException {
      JsonNode tree;
      try {
        tree = fallback.valueToTree(v);
      } catch (RuntimeException e) {
        g.writeString(String.valueOf(v));
        return;
      }
      fallback.writeTree(g, tree);
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
      value(message);
      g.writeEndObject();
    }

    private void generation(String type, String text, Map<String, Object> info) throws IOException {
      g.writeStartObject();
      typeField(type);
      g.writeFieldName(TEXT);
      g.writeString(text);
      g.writeFieldName(GENERATION_INFO);
      value(info);
      g.writeEndObject();
    }

    private void toolCall(ToolCall tc) throws IOException {
      g.writeStartObject();
      g.writeFieldName(NAME);
      g.writeString(tc.name());
      g.writeFieldName(ARGS);
      map(tc.args());
      g.writeFieldName(ID);
      value(tc.id());
      typeField(T_TOOL_CALL);
      g.writeEndObject();
    }

    private void toolCallChunk(ToolCallChunk tc) throws IOException {
      g.writeStartObject();
      g.writeFieldName(NAME);
      value(tc.name());
      g.writeFieldName(ARGS);
      value(tc.args());
      g.writeFieldName(ID);
      value(tc.id());
      g.writeFieldName(INDEX);
      value(tc.index());
      typeField(T_TOOL_CALL_CHUNK);
      g.writeEndObject();
    }

    private void message(BaseMessage m) throws IOException {
      g.writeStartObject();
      g.writeFieldName(CONTENT);
      value(m.content());
      if (m instanceof AIMessageChunk c) {
        g.writeFieldName(ADDITIONAL_KWARGS);
        map(c.additionalKwargs());
        g.writeFieldName(RESPONSE_METADATA);
        map(c.responseMetadata());
      } else if (m instanceof AIMessage a) {
        g.writeFieldName(ADDITIONAL_KWARGS);
        map(a.additionalKwargs());
        g.writeFieldName(RESPONSE_METADATA);
        map(a.responseMetadata());
      }
      typeField(m.type());
      g.writeFieldName(NAME);
      value(m.name());
      g.writeFieldName(ID);
      value(m.id());
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
        value(c.chunkPosition() == null ? null : c.chunkPosition().wireValue());
      } else if (m instanceof AIMessage a) {
        g.writeFieldName(TOOL_CALLS);
        g.writeStartArray();
        for (ToolCall tc : a.toolCalls()) {
          toolCall(tc);
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

    private void usage(UsageMetadata u) throws IOException {
      if (u == null) {
        g.writeNull();
        return;
      }
      g.writeStartObject();
      g.writeFieldName(INPUT_TOKENS);
      g.writeNumber(u.inputTokens());
      g.writeFieldName(OUTPUT_TOKENS);
      g.writeNumber(u.outputTokens());
      g.writeFieldName(TOTAL_TOKENS);
      g.writeNumber(u.totalTokens());
      InputTokenDetails in = u.inputTokenDetails();
      if (in != null) {
        g.writeFieldName(INPUT_TOKEN_DETAILS);
        g.writeStartObject();
        optional(CACHE_CREATION, in.cacheCreation());
        optional(CACHE_READ, in.cacheRead());
        optional(AUDIO, in.audio());
        g.writeEndObject();
      }
      OutputTokenDetails out = u.outputTokenDetails();
      if (out != null) {
        g.writeFieldName(OUTPUT_TOKEN_DETAILS);
        g.writeStartObject();
        optional(REASONING, out.reasoning());
        optional(AUDIO, out.audio());
        g.writeEndObject();
      }
      g.writeEndObject();
    }

    private void optional(SerializedString name, Long v) throws IOException {
      if (v != null) {
        g.writeFieldName(name);
        g.writeNumber(v);
      }
    }
  }

  // ---------------------------------------------------------------- decoding

  private static Object readValue(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String k = p.currentName();
          JsonToken vt = p.nextToken();
          if (vt == null) {
            throw new JsonlFormatException("truncated JSON");
          }
          m.put(k, readValue(p, vt));
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
          throw new JsonlFormatException("truncated JSON");
        }
        return typed(m);
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        JsonToken vt;
        while ((vt = p.nextToken()) != JsonToken.END_ARRAY) {
          if (vt == null) {
            throw new JsonlFormatException("truncated JSON");
          }
          l.add(readValue(p, vt));
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return p.getIntValue();
          case LONG:
            return p.getLongValue();
          default:
            return p.getBigIntegerValue();
        }
      case VALUE_NUMBER_FLOAT: {
        double d = p.getDoubleValue();
        return Double.isInfinite(d) ? p.getDecimalValue() : (Object) d;
      }
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new JsonlFormatException("unexpected JSON token " + t);
    }
  }

  /** Turns an object with a known "type" discriminator into its record. */
  private static Object typed(Map<String, Object> m) {
    if (!(m.get("type") instanceof String type)) {
      return m;
    }
    switch (type) {
      case T_SYSTEM:
        return new SystemMessage(content(m), optString(m, "id"), optString(m, "name"));
      case T_HUMAN:
        return new HumanMessage(content(m), optString(m, "id"), optString(m, "name"));
      case T_AI:
        return new AIMessage(content(m), optString(m, "id"), optString(m, "name"), optMap(m, "additional_kwargs"),
            optMap(m, "response_metadata"), toolCalls(m.get("tool_calls")), usage(m.get("usage_metadata")));
      case T_AI_CHUNK: {
        Object pos = m.get("chunk_position");
        ChunkPosition cp;
        if (pos == null) {
          cp = null;
        } else if (ChunkPosition.LAST.wireValue().equals(pos)) {
          cp = ChunkPosition.LAST;
        } else {
          throw new JsonlFormatException("unknown chunk_position " + pos);
        }
        return new AIMessageChunk(content(m), optString(m, "id"), optString(m, "name"), optMap(m, "additional_kwargs"),
            optMap(m, "response_metadata"), toolCallChunks(m.get("tool_call_chunks")), usage(m.get("usage_metadata")), cp);
      }
      case T_TOOL:
        return new ToolMessage(content(m), reqString(m, "tool_call_id"), optString(m, "name"),
            optString(m, "status"), optString(m, "id"));
      case T_DOCUMENT:
        return new Document(reqString(m, "page_content"), optMap(m, "metadata"), optString(m, "id"));
      case T_CHAT_PROMPT: {
        List<BaseMessage> msgs = new ArrayList<>();
        for (Object o : list(m.get("messages"), "messages")) {
          if (!(o instanceof BaseMessage bm)) {
            throw new JsonlFormatException("ChatPromptValue.messages must hold messages");
          }
          msgs.add(bm);
        }
        return new PromptValue.Chat(msgs);
      }
      case T_STRING_PROMPT:
        return new PromptValue.Text(reqString(m, "text"));
      case T_LLM_RESULT: {
        List<List<Generation>> gens = new ArrayList<>();
        for (Object row : list(m.get("generations"), "generations")) {
          List<Generation> r = new ArrayList<>();
          for (Object o : list(row, "generations[]")) {
            if (!(o instanceof Generation gen)) {
              throw new JsonlFormatException("LLMResult.generations must hold Generation objects");
            }
            r.add(gen);
          }
          gens.add(r);
        }
        return new LLMResult(gens, nullableMap(m, "llm_output"));
      }
      case T_GENERATION:
        return new Generation(reqString(m, "text"), nullableMap(m, "generation_info"));
      case T_GENERATION_CHUNK:
        return new GenerationChunk(reqString(m, "text"), nullableMap(m, "generation_info"));
      default:
        return m;
    }
  }

  private static Object content(Map<String, Object> m) {
    Object c = m.get("content");
    if (c instanceof String || c instanceof List<?>) {
      return c;
    }
    throw new JsonlFormatException(m.get("type") + ".content must be a string or a list");
  }

  private static String optString(Map<String, Object> m, String k) {
    Object v = m.get(k);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new JsonlFormatException(k + " must be a string");
  }

  private static String reqString(Map<String, Object> m, String k) {
    String s = optString(m, k);
    if (s == null) {
      throw new JsonlFormatException(m.get("type") + "." + k + " is required");
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> optMap(Map<String, Object> m, String k) {
    Object v = m.get(k);
    if (v == null) {
      return Map.of();
    }
    if (v instanceof Map<?, ?> mm) {
      return (Map<String, Object>) mm;
    }
    throw new JsonlFormatException(k + " must be an object");
  }

  private static Map<String, Object> nullableMap(Map<String, Object> m, String k) {
    return m.get(k) == null ? null : optMap(m, k);
  }

  private static List<?> list(Object v, String what) {
    if (v instanceof List<?> l) {
      return l;
    }
    throw new JsonlFormatException(what + " must be an array");
  }

  private static List<ToolCall> toolCalls(Object v) {
    if (v == null) {
      return List.of();
    }
    List<ToolCall> out = new ArrayList<>();
    for (Object o : list(v, "tool_calls")) {
      if (!(o instanceof Map<?, ?> raw)) {
        throw new JsonlFormatException("tool_calls must hold objects");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) raw;
      out.add(new ToolCall(reqString(m, "name"), optMap(m, "args"), optString(m, "id")));
    }
    return out;
  }

  private static List<ToolCallChunk> toolCallChunks(Object v) {
    if (v == null) {
      return List.of();
    }
    List<ToolCallChunk> out = new ArrayList<>();
    for (Object o : list(v, "tool_call_chunks")) {
      if (!(o instanceof Map<?, ?> raw)) {
        throw new JsonlFormatException("tool_call_chunks must hold objects");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) raw;
      Object idx = m.get("index");
      if (idx != null && !(idx instanceof Integer)) {
        throw new JsonlFormatException("tool_call_chunks[].index must be an integer");
      }
      out.add(new ToolCallChunk(optString(m, "name"), optString(m, "args"), optString(m, "id"), (Integer) idx));
    }
    return out;
  }

  private static UsageMetadata usage(Object v) {
    if (v == null) {
      return null;
    }
    if (!(v instanceof Map<?, ?> raw)) {
      throw new JsonlFormatException("usage_metadata must be an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) raw;
    InputTokenDetails in = null;
    if (m.get("input_token_details") != null) {
      Map<String, Object> d = optMap(m, "input_token_details");
      in = new InputTokenDetails(optLong(d, "cache_creation"), optLong(d, "cache_read"), optLong(d, "audio"));
    }
    OutputTokenDetails out = null;
    if (m.get("output_token_details") != null) {
      Map<String, Object> d = optMap(m, "output_token_details");
      out = new OutputTokenDetails(optLong(d, "reasoning"), optLong(d, "audio"));
    }
    return new UsageMetadata(reqLong(m, "input_tokens"), reqLong(m, "output_tokens"), reqLong(m, "total_tokens"), in, out);
  }

  private static Long optLong(Map<String, Object> m, String k) {
    Object v = m.get(k);
    if (v == null) {
      return null;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    throw new JsonlFormatException(k + " must be an integer");
  }

  private static long reqLong(Map<String, Object> m, String k) {
    Long v = optLong(m, k);
    if (v == null) {
      throw new JsonlFormatException(k + " is required");
    }
    return v;
  }

  private static List<String> stringList(Object v, String k) {
    List<String> out = new ArrayList<>();
    for (Object o : list(v, k)) {
      if (!(o instanceof String s)) {
        throw new JsonlFormatException(k + " must hold strings");
      }
      out.add(s);
    }
    return out;
  }

  private static StreamEvent toEvent(Map<String, Object> m) {
    Long v = optLong(m, "v");
    if (v == null) {
      throw new JsonlFormatException("not a Tracewire event: no schema version \"v\"");
    }
    if (v < 1 || v > SCHEMA_VERSION) {
      throw new JsonlFormatException("unsupported schema version " + v + " (this reader knows 1.." + SCHEMA_VERSION + ")");
    }
    String event = reqField(m, "event");
    Object data = m.get("data");
    if (!StreamEvent.CUSTOM_EVENT.equals(event)) {
      if (!(data instanceof Map<?, ?> dm)) {
        throw new JsonlFormatException("data of " + event + " must be an object");
      }
      if (dm.get("error") instanceof Map<?, ?> err && err.get("type") instanceof String type) {
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) dm);
        Object msg = err.get("message");
        copy.put("error", new ErrorValue(type, msg == null ? null : String.valueOf(msg)));
        data = copy;
      }
    }
    return new StreamEvent(event, reqField(m, "name"), reqField(m, "run_id"), stringList(m.get("parent_ids"), "parent_ids"),
        stringList(m.get("tags"), "tags"), metadata(m.get("metadata")), data, reqLong(m, "seq"), reqLong(m, "ts"));
  }

  private static String reqField(Map<String, Object> m, String k) {
    Object v = m.get(k);
    if (!(v instanceof String s)) {
      throw new JsonlFormatException("field \"" + k + "\" must be a string");
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Object v) {
    if (v instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new JsonlFormatException("field \"metadata\" must be an object");
  }
}
