package io.tracewire.adapters.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.adapters.ChatModelContractTest;
import io.tracewire.adapters.ChatProviderException;
import io.tracewire.adapters.Replay;
import io.tracewire.adapters.Retries;
import io.tracewire.adapters.Timeouts;
import io.tracewire.core.model.BaseChatModel;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ChunkPosition;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.OutputTokenDetails;
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.ToolCallChunk;
import io.tracewire.core.message.UsageMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class ChatOpenAITest extends ChatModelContractTest {

  @Override
  protected BaseChatModel model(String baseUrl, String apiKey, Timeouts timeouts, Retries retries) {
    return ChatOpenAI.builder().baseUrl(baseUrl + "v1").apiKey(apiKey).model("gpt-4o-mini")
        .timeouts(timeouts).retries(retries).build();
  }

  @Override
  protected String provider() {
    return "openai";
  }

  @Override
  protected String modelName() {
    return "gpt-4o-mini";
  }

  @Override
  protected String helloStream() {
    return Replay.resource("openai-text.sse");
  }

  @Override
  protected String helloText() {
    return "Hello!";
  }

  @Override
  protected String midStreamError() {
    return Replay.resource("openai-error-midstream.sse");
  }

  @Override
  protected String authErrorBody(String echoedKey) {
    return "{\"error\":{\"message\":\"Incorrect API key provided: " + echoedKey
        + ".\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}";
  }

  @Override
  protected String keyHeader() {
    return "Authorization";
  }

  @Override
  protected String keyHeaderValue(String key) {
    return "Bearer " + key;
  }

  @Override
  protected String requestIdHeader() {
    return "x-request-id";
  }

  @Override
  protected boolean sse() {
    return true;
  }

  private static Map<String, Object> meta(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void textStreamMapsToLangChainChunks() throws Exception {
    server.enqueue(Replay.stream(helloStream(), contentType(), 64).build());
    List<BaseMessage> chunks = model().stream("Say hello").toList();

    assertThat(chunks).hasSize(6);
    AIMessageChunk c1 = (AIMessageChunk) chunks.get(0);
    String id = c1.id();
    assertThat(id).startsWith("lc_run--");
    assertThat(c1.content()).isEqualTo("");
    assertThat(c1.responseMetadata()).isEqualTo(Map.of("model_provider", "openai"));
    assertThat(chunks.get(1).content()).isEqualTo("Hel");
    assertThat(chunks.get(2).content()).isEqualTo("lo!");
    AIMessageChunk c4 = (AIMessageChunk) chunks.get(3);
    assertThat(c4.responseMetadata()).containsExactlyEntriesOf(meta("finish_reason", "stop",
        "model_name", "gpt-4o-mini-2024-07-18", "system_fingerprint", "fp_0aa8d3e20b", "service_tier", "default",
        "model_provider", "openai"));
    AIMessageChunk c5 = (AIMessageChunk) chunks.get(4);
    assertThat(c5.usageMetadata()).isEqualTo(new UsageMetadata(12, 3, 15, new InputTokenDetails(null, 0L, 0L),
        new OutputTokenDetails(0L, 0L)));
    assertThat(c5.responseMetadata()).isEmpty();
    AIMessageChunk c6 = (AIMessageChunk) chunks.get(5);
    assertThat(c6.chunkPosition()).isEqualTo(ChunkPosition.LAST);
    assertThat(chunks).allSatisfy(c -> assertThat(c.id()).isEqualTo(id));
    assertThat(chunks.subList(0, 4)).allSatisfy(c -> assertThat(((AIMessageChunk) c).usageMetadata()).isNull());

    RecordedRequest req = server.takeRequest();
    assertThat(req.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
    JsonNode body = new ObjectMapper().readTree(req.getBody().utf8());
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("user");
  }

  @Test
  void parallelToolCallDeltasMergeIntoToolCalls() throws Exception {
    server.enqueue(Replay.stream(Replay.resource("openai-tools.sse"), contentType(), 9).build());
    Map<String, Object> tool = Map.of("type", "function", "function", Map.of("name", "get_weather",
        "description", "Weather for a city", "parameters", Map.of("type", "object")));
    List<BaseMessage> chunks = model().bind(Map.of("tools", List.of(tool))).stream("Weather?").toList();

    AIMessageChunk first = (AIMessageChunk) chunks.get(0);
    assertThat(first.toolCallChunks()).containsExactly(new ToolCallChunk("get_weather", "", "call_Ab12", 0));
    AIMessageChunk second = (AIMessageChunk) chunks.get(1);
    assertThat(second.toolCallChunks()).containsExactly(new ToolCallChunk(null, "{\"city\": \"Pa", null, 0));
    AIMessageChunk merged = chunks.stream().map(AIMessageChunk.class::cast).reduce(AIMessageChunk::add).orElseThrow();
    AIMessage msg = merged.toMessage();
    assertThat(msg.toolCalls()).containsExactly(
        new ToolCall("get_weather", Map.of("city", "Paris"), "call_Ab12"),
        new ToolCall("get_weather", Map.of("city", "Rome"), "call_Cd34"));
    assertThat(msg.responseMetadata()).containsEntry("finish_reason", "tool_calls");
    assertThat(msg.usageMetadata()).as("no usage chunk was sent").isNull();

    JsonNode body = new ObjectMapper().readTree(server.takeRequest().getBody().utf8());
    assertThat(body.path("tools").get(0).path("function").path("name").asText()).isEqualTo("get_weather");
  }

  @Test
  void disableStreamingForToolCallingMakesAToolCallOneMessageWithNoStreamEvents() {
    server.enqueue(Replay.stream(Replay.resource("openai-tools.sse"), contentType(), 9).build());
    server.enqueue(Replay.stream(helloStream(), contentType(), 64).build());
    BaseChatModel m = ChatOpenAI.builder().baseUrl(baseUrl() + "v1").apiKey(SECRET).model("gpt-4o-mini")
        .disableStreaming(io.tracewire.core.model.DisableStreaming.TOOL_CALLING).build();
    Map<String, Object> tool = Map.of("type", "function", "function", Map.of("name", "get_weather",
        "description", "Weather for a city", "parameters", Map.of("type", "object")));

    List<StreamEvent> withTools = m.bind(Map.of("tools", List.of(tool))).streamEvents("Weather?").toList();
    assertThat(withTools).extracting(StreamEvent::event).containsExactly("on_chat_model_start", "on_chat_model_end");
    AIMessage out = (AIMessage) withTools.get(1).dataValue("output");
    assertThat(out).isExactlyInstanceOf(AIMessage.class);
    assertThat(out.toolCalls()).extracting(ToolCall::id).containsExactly("call_Ab12", "call_Cd34");
    assertThat(out.id()).isEqualTo("lc_run--" + withTools.get(0).runId() + "-0");

    List<StreamEvent> plain = m.streamEvents("Say hello").toList();
    assertThat(plain).extracting(StreamEvent::event).contains("on_chat_model_stream");
    assertThat(m.disableStreaming()).isEqualTo(io.tracewire.core.model.DisableStreaming.TOOL_CALLING);
  }

  @Test
  void lsMetadataCarriesTheConfiguredParameters() {
    server.enqueue(Replay.stream(helloStream(), contentType(), 64).build());
    BaseChatModel m = ChatOpenAI.builder().baseUrl(baseUrl() + "v1").apiKey(SECRET).model("gpt-4o-mini")
        .temperature(0.2).maxTokens(64).stop(List.of("END")).build();
    StreamEvent start = m.streamEvents("Say hello").toList().get(0);
    assertThat(start.name()).isEqualTo("ChatOpenAI");
    assertThat(start.metadata()).containsEntry("ls_provider", "openai").containsEntry("ls_model_name", "gpt-4o-mini")
        .containsEntry("ls_temperature", 0.2).containsEntry("ls_max_tokens", 64)
        .containsEntry("ls_stop", List.of("END"));
  }

  @Test
  void midStreamServerErrorIsAServerError() {
    server.enqueue(Replay.stream(midStreamError(), contentType(), 64).build());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> model().stream("x").toList())
        .isInstanceOf(ChatProviderException.ServerError.class)
        .hasMessageContaining("The server had an error");
  }

  @Test
  void commentsAndUnknownFieldsAreIgnored() {
    String withComments = ": OPENROUTER PROCESSING\n\n" + helloStream().replace("data: [DONE]", "id: 7\nretry: 10\ndata: [DONE]");
    server.enqueue(Replay.stream(withComments, contentType(), 5).build());
    assertThat(model().invoke("Say hello", RunConfig.empty()).text()).isEqualTo("Hello!");
  }

  @Test
  void aMissingApiKeyFailsAtBuildTimeNamingTheParameter() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(ChatOpenAI.API_KEY_ENV) == null);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChatOpenAI.builder().model("m").build())
        .hasMessageContaining("apiKey").hasMessageContaining("OPENAI_API_KEY");
  }

  @Test
  void ollamasOpenAiCompatibleStreamGivesUsageWithoutDetails() {
    server.enqueue(Replay.stream(Replay.resource("ollama-openai-compat.sse"), contentType(), 6).build());
    AIMessage out = (AIMessage) model().invoke("Hi");
    assertThat(out.text()).isEqualTo("Hi there");
    assertThat(out.usageMetadata()).as("details not sent stay null").isEqualTo(new UsageMetadata(26, 2, 28));
    assertThat(out.responseMetadata()).containsEntry("model_name", "llama3.2").containsEntry("finish_reason", "stop")
        .containsEntry("system_fingerprint", "fp_ollama");
  }

  @Test
  void invalidJsonInTheStreamIsMalformed() {
    server.enqueue(Replay.stream("data: {\"id\":\"x\",\n\n", contentType(), 64).build());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> model().invoke("Hi"))
        .isInstanceOf(ChatProviderException.MalformedStream.class);
  }
}
