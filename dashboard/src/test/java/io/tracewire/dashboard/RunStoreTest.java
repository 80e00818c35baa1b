package io.tracewire.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.UsageMetadata;
import io.tracewire.exporters.jsonl.ErrorValue;
import io.tracewire.exporters.jsonl.JsonlCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunStoreTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final RunStore store = new RunStore(new JsonlCodec().lineParts(10_000, RunStore.MAX_DEPTH), 100, 10_000, 1L << 30);

  private JsonNode detail(String id) throws Exception {
    return MAPPER.readTree(store.detail(id));
  }

  private JsonNode run(JsonNode detail, String id) {
    for (JsonNode r : detail.get("runs")) {
      if (r.get("id").asText().equals(id)) {
        return r;
      }
    }
    throw new AssertionError("no run " + id);
  }

  @Test
  void cancelAndErrorExtensionEventsSetTheStatus() throws Exception {
    store.apply(List.of(
        Events.ev("on_chain_start", "root", "r", List.of(), List.of(), Map.of(), 0),
        Events.ev("on_tool_start", "t", "t1", List.of("r"), List.of(), Map.of("input", Map.of()), 1),
        Events.ev("on_tool_error", "t", "t1", List.of("r"), List.of(), Map.of("error", new RuntimeException("bad arg")), 2),
        Events.ev("on_chat_model_start", "m", "m1", List.of("r"), List.of(), Map.of(), 3),
        Events.ev("on_chat_model_cancel", "m", "m1", List.of("r"), List.of(), Map.of(), 4),
        Events.ev("on_chain_cancel", "root", "r", List.of(), List.of(), Map.of(), 5)));
    JsonNode d = detail("r");
    assertThat(d.get("root").get("status").asText()).isEqualTo("cancelled");
    assertThat(run(d, "t1").get("status").asText()).isEqualTo("error");
    assertThat(run(d, "t1").get("error").asText()).isEqualTo("RuntimeException: bad arg");
    assertThat(run(d, "m1").get("status").asText()).isEqualTo("cancelled");
    assertThat(d.get("root").get("errors").asInt()).isEqualTo(1);
  }

  @Test
  void aChildSeenBeforeItsRootMakesAPartialTreeThatTheRootCompletes() throws Exception {
    store.apply(List.of(
        Events.ev("on_chat_model_stream", "m", "m1", List.of("r", "mid"), List.of(), Map.of("chunk", new AIMessageChunk("x")), 5)));
    JsonNode d = detail("m1");
    assertThat(d.get("root").get("id").asText()).isEqualTo("r");
    assertThat(d.get("root").get("partial").asBoolean()).isTrue();
    store.apply(List.of(Events.ev("on_chain_start", "late root", "r", List.of(), List.of("t"), Map.of(), 0)));
    assertThat(detail("r").get("root").get("name").asText()).isEqualTo("late root");
    assertThat(detail("r").get("root").get("tags").get(0).asText()).isEqualTo("t");
  }

  @Test
  void aCalleesRunFromAnotherLogThatArrivesBeforeItsCallerMovesUnderItWhenTheCallerArrives() throws Exception {
    // process B's log read first: handler's parent "call" (in process A's log) is not known yet
    store.apply(List.of(
        Events.ev("on_chain_start", "handler", "h", List.of("r", "call"), List.of(), Map.of(), 3),
        Events.ev("on_chain_start", "step", "s", List.of("r", "call", "h"), List.of(), Map.of(), 4)));
    assertThat(run(detail("h"), "h").get("parent_id").asText()).isEqualTo("r");
    store.apply(List.of(
        Events.ev("on_chain_start", "root", "r", List.of(), List.of(), Map.of(), 0),
        Events.ev("on_chain_start", "call", "call", List.of("r"), List.of(), Map.of(), 1)));
    JsonNode d = detail("r");
    assertThat(run(d, "h").get("parent_id").asText()).isEqualTo("call");
    assertThat(run(d, "h").get("depth").asInt()).isEqualTo(2);
    assertThat(run(d, "s").get("parent_id").asText()).isEqualTo("h");
    assertThat(run(d, "s").get("depth").asInt()).isEqualTo(3);
    assertThat(d.get("root").get("name").asText()).isEqualTo("root");
  }

  @Test
  void customEventsKeepTheirOwnNameInTheirRunsLog() throws Exception {
    store.apply(List.of(
        Events.ev("on_chain_start", "root", "r", List.of(), List.of(), Map.of(), 0),
        Events.ev("on_custom_event", "progress", "r", List.of(), List.of(), "half way", 1),
        Events.ev("on_chain_end", "root", "r", List.of(), List.of(), Map.of("output", 1), 2)));
    JsonNode items = MAPPER.readTree(store.events("r", null, 0, 10)).get("items");
    assertThat(items.get(1).get("name").asText()).isEqualTo("progress");
    assertThat(MAPPER.readTree(items.get(1).get("raw").asText()).get("data").asText()).isEqualTo("half way");
    assertThat(items.get(2).get("name").asText()).isEqualTo("root");
  }

  @Test
  void usageIsTakenFromChunksWhenTheEndCarriesNone() throws Exception {
    store.apply(List.of(
        Events.ev("on_chat_model_start", "m", "m", List.of(), List.of(), Map.of(), 0),
        Events.ev("on_chat_model_stream", "m", "m", List.of(), List.of(),
            Map.of("chunk", AIMessageChunk.builder().content("a").usage(new UsageMetadata(21, 2, 23)).build()), 5),
        Events.ev("on_chat_model_stream", "m", "m", List.of(), List.of(),
            Map.of("chunk", AIMessageChunk.builder().content("b").usage(new UsageMetadata(0, 7, 7)).build()), 9),
        Events.ev("on_chat_model_end", "m", "m", List.of(), List.of(), Map.of("output", "no usage here"), 10)));
    JsonNode t = detail("m").get("root").get("tokens");
    assertThat(t.get("input").asInt()).isEqualTo(21);
    assertThat(t.get("output").asInt()).isEqualTo(9);
    assertThat(t.get("total").asInt()).isEqualTo(30);
  }

  @Test
  void decodedMapEventsAreUnderstoodLikeLiveObjects() throws Exception {
    Map<String, Object> chunk = Map.of("type", "AIMessageChunk", "content", List.of(Map.of("type", "text", "text", "hi")),
        "usage_metadata", Map.of("input_tokens", 3, "output_tokens", 4, "total_tokens", 7));
    store.apply(List.of(
        Events.ev("on_chat_model_start", "m", "m", List.of(), List.of(), Map.of(), 0),
        Events.ev("on_chat_model_stream", "m", "m", List.of(), List.of(), Map.of("chunk", chunk), 5),
        Events.ev("on_chat_model_error", "m", "m", List.of(), List.of(),
            Map.of("error", Map.of("type", "java.io.IOException", "message", "reset")), 10)));
    JsonNode tokens = MAPPER.readTree(store.tokens("m", 100));
    assertThat(tokens.get("chunks").get(0).get("text").asText()).isEqualTo("hi");
    assertThat(tokens.get("tokens").get("total").asInt()).isEqualTo(7);
    assertThat(run(detail("m"), "m").get("error").asText()).isEqualTo("IOException: reset");
  }

  @Test
  void errorsDecodedFromAJsonlLogReadAsTypeAndMessageLikeLiveErrors() throws Exception {
    JsonlCodec codec = new JsonlCodec();
    String hostile = "Failed to connect to /127.0.0.1:9 <img src=x onerror=alert(1)>";
    List<StreamEvent> logged = List.of(
        Events.ev("on_chain_start", "demo", "r", List.of(), List.of(), Map.of(), 0),
        Events.ev("on_chat_model_start", "ChatOllama", "m", List.of("r"), List.of(), Map.of(), 1),
        Events.ev("on_chat_model_error", "ChatOllama", "m", List.of("r"), List.of(),
            Map.of("error", new java.net.ConnectException(hostile)), 5),
        Events.ev("on_chain_error", "demo", "r", List.of(), List.of(), Map.of("error", new IllegalStateException()), 6));
    List<StreamEvent> decoded = logged.stream().map(e -> codec.decode(codec.encodeToString(e))).toList();
    assertThat(((Map<?, ?>) decoded.get(2).data()).get("error")).isInstanceOf(ErrorValue.class);
    store.apply(decoded);

    JsonNode d = detail("r");
    assertThat(run(d, "m").get("error").asText()).isEqualTo("ConnectException: " + hostile);
    assertThat(run(d, "r").get("error").asText()).isEqualTo("IllegalStateException");
    JsonNode row = MAPPER.readTree(store.listRoots(new RunQuery(null, null, null, null, null), 0, 10)).get("items").get(0);
    assertThat(row.get("error").asText()).isEqualTo("demo: IllegalStateException");
    assertThat(d.get("root").get("error").asText()).isEqualTo("demo: IllegalStateException");
  }

  @Test
  void eventsAreStoredAsBoundedJsonlLines() throws Exception {
    JsonlCodec codec = new JsonlCodec();
    JsonlCodec.LineParts json = codec.lineParts(100, RunStore.MAX_DEPTH);
    JsonNode chunk = MAPPER.readTree(json.data(AIMessageChunk.builder().content("x").id("run-1")
        .usage(new UsageMetadata(1, 2, 3, new InputTokenDetails(null, 5L, null), null)).build()));
    assertThat(chunk.get("type").asText()).isEqualTo("AIMessageChunk");
    assertThat(chunk.get("usage_metadata").get("input_token_details").get("cache_read").asInt()).isEqualTo(5);
    assertThat(chunk.get("usage_metadata").get("input_token_details").has("cache_creation")).isFalse();
    JsonNode doc = MAPPER.readTree(json.data(new Document("text", Map.of("k", 1))));
    assertThat(doc.get("page_content").asText()).isEqualTo("text");
    JsonNode msgs = MAPPER.readTree(json.data(List.of(new HumanMessage("hello"))));
    assertThat(msgs.get(0).get("type").asText()).isEqualTo("HumanMessage");
    JsonNode err = MAPPER.readTree(json.data(new IllegalStateException("nope")));
    assertThat(err.get("type").asText()).isEqualTo("java.lang.IllegalStateException");
    Object deep = "leaf";
    for (int i = 0; i < 100; i++) {
      deep = List.of(deep);
    }
    assertThat(new String(json.data(deep), StandardCharsets.UTF_8)).contains("nested too deep");

    StreamEvent e = Events.ev("on_chain_start", "n", "id", List.of("p"), List.of("t"), Map.of("input", "question"), 0);
    store.apply(List.of(Events.ev("on_chain_start", "p", "p", List.of(), List.of(), Map.of(), 0), e));
    String raw = MAPPER.readTree(store.events("id", "id", 0, 10)).get("items").get(0).get("raw").asText();
    assertThat(raw).isEqualTo(codec.encodeToString(e));
    assertThat(codec.decode(raw)).isEqualTo(e);
  }
}
