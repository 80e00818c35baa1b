package io.tracewire.adapters.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.adapters.ChatModelContractTest;
import io.tracewire.adapters.ChatProviderException;
import io.tracewire.adapters.Replay;
import io.tracewire.adapters.Retries;
import io.tracewire.adapters.Timeouts;
import io.tracewire.core.model.BaseChatModel;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ChunkPosition;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.SystemMessage;
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.ToolCallChunk;
import io.tracewire.core.message.UsageMetadata;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class ChatAnthropicTest extends ChatModelContractTest {

  @Override
  protected BaseChatModel model(String baseUrl, String apiKey, Timeouts timeouts, Retries retries) {
    return ChatAnthropic.builder().baseUrl(baseUrl).apiKey(apiKey).model("claude-sonnet-4-5")
        .timeouts(timeouts).retries(retries).build();
  }

  @Override
  protected String provider() {
    return "anthropic";
  }

  @Override
  protected String modelName() {
    return "claude-sonnet-4-5";
  }

  @Override
  protected String helloStream() {
    return Replay.resource("anthropic-text.sse");
  }

  @Override
  protected String helloText() {
    return "Hello!";
  }

  @Override
  protected String midStreamError() {
    return Replay.resource("anthropic-error-midstream.sse");
  }

  @Override
  protected String authErrorBody(String echoedKey) {
    return "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key " + echoedKey
        + "\"},\"request_id\":\"req_body_1\"}";
  }

  @Override
  protected String keyHeader() {
    return "x-api-key";
  }

  @Override
  protected String keyHeaderValue(String key) {
    return key;
  }

  @Override
  protected String requestIdHeader() {
    return "request-id";
  }

  @Override
  protected boolean sse() {
    return true;
  }

  @Test
  void textStreamMapsToLangChainChunksWithUsageOnTheLastChunk() throws Exception {
    server.enqueue(Replay.stream(helloStream(), contentType(), 64).build());
    List<BaseMessage> chunks = model().stream("Hello").toList();

    assertThat(chunks).hasSize(4);
    AIMessageChunk c1 = (AIMessageChunk) chunks.get(0);
    assertThat(c1.content()).isEqualTo("");
    Map<String, Object> first = new java.util.LinkedHashMap<>();
    first.put("model_name", "claude-sonnet-4-5-20250929");
    first.put("model_provider", "anthropic");
    assertThat(c1.responseMetadata()).containsExactlyEntriesOf(first);
    assertThat(c1.usageMetadata()).isNull();
    assertThat(chunks.get(1).content()).isEqualTo("Hello");
    assertThat(((AIMessageChunk) chunks.get(1)).responseMetadata()).isEqualTo(Map.of("model_provider", "anthropic"));
    assertThat(chunks.get(2).content()).isEqualTo("!");
    AIMessageChunk last = (AIMessageChunk) chunks.get(3);
    assertThat(last.chunkPosition()).isEqualTo(ChunkPosition.LAST);
    assertThat(last.usageMetadata()).isEqualTo(new UsageMetadata(25, 6, 31, new InputTokenDetails(0L, 0L, null), null));
    Map<String, Object> expected = new HashMap<>();
    expected.put("stop_reason", "end_turn");
    expected.put("stop_sequence", null);
    expected.put("model_provider", "anthropic");
    assertThat(last.responseMetadata()).isEqualTo(expected);

    RecordedRequest req = server.takeRequest();
    assertThat(req.getUrl().encodedPath()).isEqualTo("/v1/messages");
    assertThat(req.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
    JsonNode body = new ObjectMapper().readTree(req.getBody().utf8());
    assertThat(body.path("max_tokens").asInt()).isEqualTo(1024);
    assertThat(body.path("stream").asBoolean()).isTrue();
  }

  @Test
  void startEventCarriesTheLsMetadataOfTheStreamingGuide() {
    server.enqueue(Replay.stream(helloStream(), contentType(), 64).build());
    StreamEvent start = model().streamEvents("Hello").toList().get(0);
    assertThat(start.name()).isEqualTo("ChatAnthropic");
    assertThat(start.metadata()).containsEntry("ls_provider", "anthropic")
        .containsEntry("ls_model_name", "claude-sonnet-4-5").containsEntry("ls_model_type", "chat")
        .containsEntry("ls_max_tokens", 1024).containsEntry("ls_temperature", null);
  }

  @Test
  void toolUseStreamsBlocksAndToolCallChunksWithCacheReadUsage() {
    server.enqueue(Replay.stream(Replay.resource("anthropic-tool.sse"), contentType(), 11).build());
    Map<String, Object> tool = Map.of("name", "get_weather", "description", "Weather",
        "parameters", Map.of("type", "object", "properties", Map.of("location", Map.of("type", "string"))));
    List<BaseMessage> chunks = model().bind(Map.of("tools", List.of(tool))).stream("Weather in SF?").toList();

    AIMessageChunk toolStart = chunks.stream().map(AIMessageChunk.class::cast)
        .filter(c -> !c.toolCallChunks().isEmpty()).findFirst().orElseThrow();
    assertThat(toolStart.toolCallChunks()).containsExactly(new ToolCallChunk("get_weather", "", "toolu_01T3stWeather", 1));
    assertThat(toolStart.content()).isEqualTo(List.of(Map.of("type", "tool_use", "id", "toolu_01T3stWeather",
        "name", "get_weather", "input", Map.of(), "index", 1)));

    AIMessageChunk merged = chunks.stream().map(AIMessageChunk.class::cast).reduce(AIMessageChunk::add).orElseThrow();
    assertThat(merged.content()).isEqualTo(List.of(
        Map.of("type", "text", "text", "Checking the weather.", "index", 0),
        Map.of("type", "tool_use", "id", "toolu_01T3stWeather", "name", "get_weather", "input", Map.of(), "index", 1,
            "partial_json", "{\"location\": \"San Francisco, CA\"}")));
    AIMessage msg = merged.toMessage();
    assertThat(msg.toolCalls()).containsExactly(
        new ToolCall("get_weather", Map.of("location", "San Francisco, CA"), "toolu_01T3stWeather"));
    assertThat(msg.usageMetadata()).isEqualTo(new UsageMetadata(1510, 57, 1567, new InputTokenDetails(0L, 1470L, null), null));
    assertThat(msg.responseMetadata()).containsEntry("stop_reason", "tool_use");
  }

  @Test
  void thinkingAndSignatureDeltasMergeIntoOneThinkingBlock() {
    server.enqueue(Replay.stream(Replay.resource("anthropic-thinking.sse"), contentType(), 7).build());
    List<BaseMessage> chunks = model().bind(Map.of("thinking", Map.of("type", "enabled", "budget_tokens", 2000)))
        .stream("27 * 453?").toList();
    AIMessageChunk merged = chunks.stream().map(AIMessageChunk.class::cast).reduce(AIMessageChunk::add).orElseThrow();
    assertThat(merged.content()).isEqualTo(List.of(
        Map.of("type", "thinking", "thinking", "27 * 453 = 27*400 + 27*53 = 10800 + 1431 = 12231.",
            "signature", "EqQBCgIYAhIMTestSignatureAAAA", "index", 0),
        Map.of("type", "text", "text", "27 × 453 = 12,231.", "index", 1)));
    assertThat(merged.usageMetadata()).isEqualTo(new UsageMetadata(18, 96, 114, new InputTokenDetails(0L, 0L, null), null));
  }

  @Test
  void usageMissingFromMessageDeltaFallsBackToMessageStart() {
    String proxy = helloStream().replace(
        "\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":6}",
        "\"usage\":{\"output_tokens\":6}");
    assertThat(proxy).isNotEqualTo(helloStream());
    server.enqueue(Replay.stream(proxy, contentType(), 64).build());
    AIMessage out = (AIMessage) model().invoke("Hello");
    assertThat(out.usageMetadata()).isEqualTo(new UsageMetadata(25, 6, 31, new InputTokenDetails(0L, 0L, null), null));
  }

  @Test
  void inStreamOverloadedErrorIsOverloaded() {
    server.enqueue(Replay.stream(midStreamError(), contentType(), 64).addHeader("request-id", "req_mid").build());
    assertThatThrownBy(() -> model().stream("x").toList())
        .isInstanceOfSatisfying(ChatProviderException.Overloaded.class, e -> {
          assertThat(e.statusCode()).isEqualTo(200);
          assertThat(e.requestId()).contains("req_mid");
        });
  }

  @Test
  void overloaded529IsRetriedThenSucceeds() {
    server.enqueue(Replay.error(529, Replay.resource("anthropic-529.json")).addHeader("retry-after-ms", "5").build());
    server.enqueue(Replay.stream(helloStream(), contentType(), 64).build());
    BaseChatModel m = model(baseUrl(), SECRET, Timeouts.DEFAULTS, Retries.DEFAULTS);
    assertThat(m.invoke("Hello").text()).isEqualTo("Hello!");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void overloaded529WithoutRetriesIsOverloadedWithTheBodyRequestId() {
    server.enqueue(Replay.error(529, Replay.resource("anthropic-529.json")).build());
    assertThatThrownBy(() -> model().invoke("Hello"))
        .isInstanceOfSatisfying(ChatProviderException.Overloaded.class,
            e -> assertThat(e.requestId()).contains("req_011CTestOverloaded"));
  }

  @Test
  void rateLimit429CarriesRetryAfter() {
    server.enqueue(Replay.error(429, Replay.resource("anthropic-429.json")).addHeader("retry-after", "7").build());
    assertThatThrownBy(() -> model().invoke("Hello"))
        .isInstanceOfSatisfying(ChatProviderException.RateLimited.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)));
  }

  @Test
  void systemMessagesGoToTheSystemFieldAndPingsAndUnknownEventsAreIgnored() throws Exception {
    String noisy = helloStream().replace("event: message_stop",
        "event: some_future_event\ndata: {\"type\":\"some_future_event\"}\n\nevent: message_stop");
    server.enqueue(Replay.stream(noisy, contentType(), 64).build());
    BaseMessage out = model().invoke(List.of(new SystemMessage("Be brief."), new HumanMessage("Hello")));
    assertThat(out.text()).isEqualTo("Hello!");
    JsonNode body = new ObjectMapper().readTree(server.takeRequest().getBody().utf8());
    assertThat(body.path("system").asText()).isEqualTo("Be brief.");
    assertThat(body.path("messages")).hasSize(1);
  }
}
