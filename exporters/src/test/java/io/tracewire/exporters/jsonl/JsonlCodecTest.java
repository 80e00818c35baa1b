package io.tracewire.exporters.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.event.CustomEvent;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.event.EventFilter;
import io.tracewire.core.model.Generation;
import io.tracewire.core.model.GenerationChunk;
import io.tracewire.core.model.LLMResult;
import io.tracewire.core.prompt.PromptValue;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.fake.FakeListChatModel;
import io.tracewire.core.fake.FakeStreamingListLLM;
import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.ChunkPosition;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.OutputTokenDetails;
import io.tracewire.core.message.SystemMessage;
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.ToolCallChunk;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class JsonlCodecTest {
  private final JsonlCodec codec = new JsonlCodec();

  private StreamEvent ev(String event, Object data) {
    return new StreamEvent(event, "n", Events.RUN_ID, List.of("p1", "p2"), List.of("t"), Map.of("k", 1), data, 7, 99);
  }

  private void assertRoundTrip(StreamEvent e) {
    String line = codec.encodeToString(e);
    assertThat(line).doesNotContain("\n");
    StreamEvent back = codec.decode(line);
    assertThat(back).isEqualTo(expected(e));
    assertThat(codec.encodeToString(back)).isEqualTo(line);
  }

  /** The event with throwables under data.error replaced by their ErrorValue. */
  private static StreamEvent expected(StreamEvent e) {
    if (e.dataValue("error") instanceof Throwable t && !e.isCustom()) {
      Map<String, Object> d = new LinkedHashMap<>((Map<String, Object>) e.data());
      d.put("error", ErrorValue.of(t));
      return e.withData(d);
    }
    return e;
  }

  @Test
  void theSeedShapedEventRoundTripsAndMatchesTheDocumentedLayout() throws Exception {
    StreamEvent e = Events.seed(42, "Here's");
    String line = codec.encodeToString(e);
    assertThat(line).startsWith("{\"v\":2,\"seq\":42,\"ts\":1764000000000000042,\"event\":\"on_chat_model_stream\"");
    assertThat(line).contains("\"usage_metadata\":{\"input_tokens\":21,\"output_tokens\":2,\"total_tokens\":23,"
        + "\"input_token_details\":{\"cache_creation\":0,\"cache_read\":0}}");
    assertThat(line).contains("\"type\":\"AIMessageChunk\"");
    assertThat(line.length()).isBetween(400, 700);
    assertRoundTrip(e);
  }

  @Test
  void everyMessageKindRoundTrips() {
    AIMessageChunk full = AIMessageChunk.builder()
        .content(List.of(Map.of("type", "text", "text", "hi", "index", 0)))
        .id("c1").name("bot")
        .additionalKwargs(Map.of("a", List.of(1, 2.5, true)))
        .responseMetadata("stop_reason", "end_turn")
        .toolCallChunks(List.of(new ToolCallChunk("search", "{\"q\":", "call_1", 0), new ToolCallChunk(null, null, null, null)))
        .usage(new UsageMetadata(10, 5, 15, new InputTokenDetails(null, 3L, null), new OutputTokenDetails(2L, null)))
        .chunkPosition(ChunkPosition.LAST)
        .build();
    AIMessage ai = new AIMessage("done", "m1", null, Map.of(), Map.of("model", "x"),
        List.of(new ToolCall("search", Map.of("q", "moon"), "call_1")), new UsageMetadata(1, 2, 3));
    List<Object> messages = List.of(new SystemMessage("be brief"), new HumanMessage("hi"), ai, full,
        new ToolMessage("42", "call_1", "calc", "error", "t1"), new AIMessageChunk("", null));
    assertRoundTrip(ev("on_chat_model_end", Map.of("output", full, "input", Map.of("messages", List.of(messages)))));
  }

  @Test
  void usageDetailsKeepTheDifferenceBetweenAbsentAndEmpty() {
    UsageMetadata none = new UsageMetadata(1, 2, 3, null, null);
    UsageMetadata empty = new UsageMetadata(1, 2, 3, new InputTokenDetails(null, null, null), new OutputTokenDetails(null, null));
    AIMessageChunk a = AIMessageChunk.builder().content("x").usage(none).build();
    AIMessageChunk b = AIMessageChunk.builder().content("x").usage(empty).build();
    StreamEvent ea = codec.decode(codec.encodeToString(ev("on_chat_model_stream", Map.of("chunk", a))));
    StreamEvent eb = codec.decode(codec.encodeToString(ev("on_chat_model_stream", Map.of("chunk", b))));
    assertThat(((AIMessageChunk) ea.dataValue("chunk")).usageMetadata().inputTokenDetails()).isNull();
    assertThat(((AIMessageChunk) eb.dataValue("chunk")).usageMetadata().inputTokenDetails()).isEqualTo(new InputTokenDetails(null, null, null));
    assertThat(((AIMessageChunk) eb.dataValue("chunk")).usageMetadata().outputTokenDetails()).isEqualTo(new OutputTokenDetails(null, null));
  }

  @Test
  void documentsPromptValuesAndLlmResultsRoundTrip() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("finish_reason", "stop");
    info.put("logprobs", null);
    assertRoundTrip(ev("on_retriever_end", Map.of("output", List.of(new Document("moon", Map.of("src", "a"), "d1"),
        new Document("fish")), "input", "q")));
    assertRoundTrip(ev("on_prompt_end", Map.of("output", new PromptValue.Chat(List.of(new HumanMessage("x"))))));
    assertRoundTrip(ev("on_prompt_end", Map.of("output", new PromptValue.Text("hello"))));
    assertRoundTrip(ev("on_llm_end", Map.of("output", new LLMResult(List.of(List.of(new Generation("a", info),
        new Generation("b"))), null))));
    assertRoundTrip(ev("on_llm_end", Map.of("output", new LLMResult(List.of(), Map.of("token_usage", Map.of("n", 3L << 40))))));
    assertRoundTrip(ev("on_llm_stream", Map.of("chunk", new GenerationChunk("pi", null))));
  }

  @Test
  void nullValuedKeysStayDistinctFromMissingKeys() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("input", null);
    d.put("output", "x");
    assertRoundTrip(ev("on_chain_end", d));
    assertRoundTrip(ev("on_chain_end", Map.of("output", "x")));
  }

  @Test
  void errorsBecomeAnErrorValueWithTypeAndMessage() {
    StreamEvent e = ev("on_tool_error", Map.of("error", new IllegalStateException("bad \"input\""), "input", "x"));
    String line = codec.encodeToString(e);
    assertThat(line).contains("\"error\":{\"type\":\"java.lang.IllegalStateException\",\"message\":\"bad \\\"input\\\"\"}");
    assertThat(codec.decode(line).dataValue("error")).isEqualTo(new ErrorValue("java.lang.IllegalStateException", "bad \"input\""));
    assertRoundTrip(ev("on_chain_error", Map.of("error", new RuntimeException((String) null))));
  }

  @Test
  void customPayloadsOfAnyJsonShapeRoundTrip() {
    assertRoundTrip(ev(StreamEvent.CUSTOM_EVENT, "just a string"));
    assertRoundTrip(ev(StreamEvent.CUSTOM_EVENT, List.of(1, "two", Map.of("three", 3.0))));
    assertRoundTrip(ev(StreamEvent.CUSTOM_EVENT, null));
    assertRoundTrip(ev(StreamEvent.CUSTOM_EVENT, Map.of("progress", 0.5, "big", new java.math.BigInteger("123456789012345678901234567890"))));
  }

  @Test
  void valuesOfUnknownTypesAreWrittenAsTheirJsonTree() {
    record Point(int x, int y) {}
    StreamEvent back = codec.decode(codec.encodeToString(ev(StreamEvent.CUSTOM_EVENT, new Point(1, 2))));
    assertThat(back.data()).isEqualTo(Map.of("x", 1, "y", 2));
    StreamEvent set = codec.decode(codec.encodeToString(ev(StreamEvent.CUSTOM_EVENT, Set.of("a"))));
    assertThat(set.data()).isEqualTo(List.of("a"));
  }

  @Test
  void everyEventOfRealRunsRoundTrips() {
    List<StreamEvent> all = new ArrayList<>();
    EventFilter withExtensions = new EventFilter(null, null, null, null, null, null, true);
    var chat = GenericFakeChatModel.cycling(List.of(new AIMessage("Here is a verse about goldfish on the moon")));
    try (CloseableIterator<StreamEvent> it = chat.streamEvents("Write me a song", null, withExtensions)) {
      it.forEachRemaining(all::add);
    }
    var llm = new FakeStreamingListLLM(List.of("abc"));
    try (CloseableIterator<StreamEvent> it = llm.streamEvents("q", null, withExtensions)) {
      it.forEachRemaining(all::add);
    }
    var custom = RunnableLambda.<String, String>of("emit", x -> {
      CustomEvent.dispatch("progress", Map.of("pct", 50));
      return x;
    });
    try (CloseableIterator<StreamEvent> it = custom.streamEvents("in", null, withExtensions)) {
      it.forEachRemaining(all::add);
    }
    var failing = new FakeListChatModel(List.of("hello world"), Duration.ZERO, 2);
    CloseableIterator<StreamEvent> it = failing.streamEvents("x", null, withExtensions);
    try {
      it.forEachRemaining(all::add);
    } catch (RuntimeException expected) {
      // the stream raises after the error event
    } finally {
      it.close();
    }
    assertThat(all).extracting(StreamEvent::event).contains("on_chat_model_stream", "on_llm_end", "on_custom_event",
        "on_chat_model_error");
    for (StreamEvent e : all) {
      assertRoundTrip(e);
    }
  }

  @Test
  void linePartsWithoutBoundsJoinToTheEncodedLine() {
    JsonlCodec.LineParts parts = codec.lineParts(Integer.MAX_VALUE, Integer.MAX_VALUE);
    record Point(int x, int y) {}
    List<StreamEvent> events = List.of(Events.seed(5, "Here's"),
        ev("on_chain_start", Map.of("input", List.of(new HumanMessage("hi"), new Point(1, 2)))),
        ev("on_chain_error", Map.of("error", new IllegalStateException("nope"))),
        ev(StreamEvent.CUSTOM_EVENT, "just a string"));
    for (StreamEvent e : events) {
      byte[] line = parts.line(e.event(), e.name(), e.seq(), e.timestampNanos(), parts.runFields(e), parts.data(e.data()));
      assertThat(new String(line, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(codec.encodeToString(e));
    }
  }

  @Test
  void boundedLinePartsCutLongTextAndDeepNestingButNotIdentifiers() throws Exception {
    JsonlCodec.LineParts parts = codec.lineParts(5, 3);
    ObjectMapper json = new ObjectMapper();
    String id = "run-0123456789";
    StreamEvent e = new StreamEvent("on_chain_start", "a-long-run-name", id, List.of(id), List.of("tag-too-long"),
        Map.of("k", "value-too-long"), Map.of("input", "0123456789"), 1, 2);
    Map<String, Object> run = json.readValue("{" + new String(parts.runFields(e), java.nio.charset.StandardCharsets.UTF_8) + "}", Map.class);
    assertThat(run.get("run_id")).isEqualTo(id);
    assertThat(run.get("parent_ids")).isEqualTo(List.of(id));
    assertThat(run.get("tags")).isEqualTo(List.of("tag-t\u2026[truncated 7 chars]"));
    assertThat(run.get("metadata")).isEqualTo(Map.of("k", "value\u2026[truncated 9 chars]"));
    Map<String, Object> line = json.readValue(parts.line(e.event(), e.name(), e.seq(), e.timestampNanos(),
        parts.runFields(e), parts.data(e.data())), Map.class);
    assertThat(line.get("name")).isEqualTo("a-long-run-name");
    assertThat(line.get("data")).isEqualTo(Map.of("input", "01234\u2026[truncated 5 chars]"));
    assertThat(new ArrayList<>(line.keySet())).containsExactly("v", "seq", "ts", "event", "name", "run_id",
        "parent_ids", "tags", "metadata", "data");

    Map<String, Object> msg = json.readValue(parts.data(new HumanMessage("hello world", id, null)), Map.class);
    assertThat(msg.get("content")).isEqualTo("hello\u2026[truncated 6 chars]");
    assertThat(msg.get("id")).isEqualTo(id);
    record Note(String text) {}
    assertThat(json.readValue(parts.data(new Note("0123456789")), Map.class)).isEqualTo(Map.of("text", "01234\u2026[truncated 5 chars]"));
    assertThat(new String(parts.data(List.of(List.of(List.of(List.of(List.of(1)))))), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("[[[[\"\u2026[nested too deep]\"]]]]");
    assertThat(new String(parts.data(List.of(List.of(List.of(List.of(1))))), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("[[[[1]]]]");
  }

  @Test
  void oddValuesAreWrittenWithoutThrowing() {
    Object badToString = new Object() {
      @Override
      public String toString() {
        throw new IllegalStateException("no text");
      }
    };
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("nan", Double.NaN);
    data.put("inf", Float.POSITIVE_INFINITY);
    data.put("array", new Object[] {"a", null});
    data.put("odd", badToString);
    String line = codec.encodeToString(ev(StreamEvent.CUSTOM_EVENT, data));
    assertThat(line).contains("\"nan\":\"NaN\",\"inf\":\"Infinity\",\"array\":[\"a\",null],\"odd\":\""
        + badToString.getClass().getName() + "\"");
    assertThat(new String(codec.lineParts(200, 10).data(data), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(line.substring(line.indexOf("\"data\":") + 7, line.length() - 1));
  }

  @Test
  void wrongShapesAreRejectedWithAReason() {
    assertThatThrownBy(() -> codec.decode("not json")).isInstanceOf(JsonlFormatException.class);
    assertThatThrownBy(() -> codec.decode("[1,2]")).isInstanceOf(JsonlFormatException.class).hasMessageContaining("object");
    assertThatThrownBy(() -> codec.decode("{\"a\":1}")).isInstanceOf(JsonlFormatException.class).hasMessageContaining("schema version");
    String good = codec.encodeToString(Events.seed(1, "x"));
    assertThatThrownBy(() -> codec.decode(good.substring(0, good.length() - 7))).isInstanceOf(JsonlFormatException.class);
    assertThatThrownBy(() -> codec.decode(good.replace("\"v\":2", "\"v\":99"))).hasMessageContaining("unsupported schema version 99");
    assertThatThrownBy(() -> codec.decode(good.replace("\"input_tokens\":21,", ""))).hasMessageContaining("input_tokens");
    assertThatThrownBy(() -> codec.decode(good + " {}")).isInstanceOf(JsonlFormatException.class);
    byte[] bad = good.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int at = good.indexOf("Here") > 0 ? good.indexOf("Here") : good.indexOf("\"x\"") + 1;
    bad[at] = (byte) 0xC3;
    bad[at + 1] = (byte) 0x28;
    assertThatThrownBy(() -> codec.decode(bad, 0, bad.length)).isInstanceOf(JsonlFormatException.class);
  }

  @Test
  void encodedLinesValidateAgainstTheShippedSchemaShape() throws Exception {
    try (InputStream in = JsonlCodec.class.getResourceAsStream("jsonl-schema.json")) {
      assertThat(in).as("jsonl-schema.json on the classpath").isNotNull();
      Map<String, Object> schema = new ObjectMapper().readValue(in, Map.class);
      assertThat((List<Object>) schema.get("required")).containsExactly("v", "seq", "ts", "event", "name", "run_id",
          "parent_ids", "tags", "metadata", "data");
      Map<String, Object> line = new ObjectMapper().readValue(codec.encodeToString(Events.seed(3, "x")), Map.class);
      assertThat(new ArrayList<Object>(line.keySet())).isEqualTo(schema.get("required"));
    }
  }
}
