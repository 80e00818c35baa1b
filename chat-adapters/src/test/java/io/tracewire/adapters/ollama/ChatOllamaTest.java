package io.tracewire.adapters.ollama;

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
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.UsageMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatOllamaTest extends ChatModelContractTest {

  @Override
  protected BaseChatModel model(String baseUrl, String apiKey, Timeouts timeouts, Retries retries) {
    return ChatOllama.builder().baseUrl(baseUrl).apiKey(apiKey).model("llama3.2")
        .timeouts(timeouts).retries(retries).build();
  }

  @Override
  protected String provider() {
    return "ollama";
  }

  @Override
  protected String modelName() {
    return "llama3.2";
  }

  @Override
  protected String helloStream() {
    return Replay.resource("ollama-text.ndjson");
  }

  @Override
  protected String helloText() {
    return "The sky scatters blue light.";
  }

  @Override
  protected String midStreamError() {
    return Replay.resource("ollama-error-midstream.ndjson");
  }

  @Override
  protected String authErrorBody(String echoedKey) {
    return "{\"error\":\"unauthorized: bad token " + echoedKey + "\"}";
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
    return false;
  }

  @Test
  void ndjsonLinesMapToChunksWithDoneMetadataAndUsage() throws Exception {
    server.enqueue(Replay.stream(helloStream(), contentType(), 10).build());
    List<BaseMessage> chunks = model().stream("why is the sky blue?").toList();

    assertThat(chunks).extracting(BaseMessage::content).containsExactly("The", " sky", " scatters blue light.", "", "");
    assertThat(((AIMessageChunk) chunks.get(0)).responseMetadata()).isEmpty();
    AIMessageChunk done = (AIMessageChunk) chunks.get(3);
    assertThat(done.responseMetadata()).containsEntry("done_reason", "stop").containsEntry("done", true)
        .containsEntry("model_name", "llama3.2").containsEntry("model_provider", "ollama")
        .containsEntry("prompt_eval_count", 26).containsEntry("eval_count", 7)
        .containsEntry("total_duration", 4883583458L).doesNotContainKey("message");
    assertThat(done.usageMetadata()).isEqualTo(new UsageMetadata(26, 7, 33));
    assertThat(((AIMessageChunk) chunks.get(4)).chunkPosition()).as("core adds the last chunk").isEqualTo(ChunkPosition.LAST);

    JsonNode body = new ObjectMapper().readTree(server.takeRequest().getBody().utf8());
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("why is the sky blue?");
  }

  @Test
  void thinkingAndCompleteToolCallsMapAsLangChainOllama() {
    server.enqueue(Replay.stream(Replay.resource("ollama-tools.ndjson"), contentType(), 13).build());
    List<BaseMessage> chunks = model().bind(Map.of("think", true)).stream("Weather in Tokyo?").toList();
    AIMessageChunk toolChunk = (AIMessageChunk) chunks.get(2);
    assertThat(toolChunk.toolCallChunks()).singleElement().satisfies(t -> {
      assertThat(t.name()).isEqualTo("get_weather");
      assertThat(t.args()).isEqualTo("{\"city\":\"Tokyo\"}");
      assertThat(t.index()).isNull();
      assertThat(t.id()).isNotEqualTo("call_k3x9p0qa").hasSize(36);
    });
    AIMessageChunk merged = chunks.stream().map(AIMessageChunk.class::cast).reduce(AIMessageChunk::add).orElseThrow();
    AIMessage msg = merged.toMessage();
    assertThat(msg.additionalKwargs()).containsEntry("reasoning_content", "User wants Tokyo weather; call get_weather.");
    assertThat(msg.toolCalls()).extracting(ToolCall::name, ToolCall::args)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("get_weather", Map.of("city", "Tokyo")));
    assertThat(msg.usageMetadata()).isEqualTo(new UsageMetadata(169, 15, 184));
  }

  @Test
  void aFullyCachedPromptWithoutPromptEvalCountReportsNoUsage() {
    String cached = helloStream().replace("\"prompt_eval_count\":26,", "");
    server.enqueue(Replay.stream(cached, contentType(), 64).build());
    AIMessage out = (AIMessage) model().invoke("why?");
    assertThat(out.usageMetadata()).isNull();
  }

  @Test
  void lsMetadataHasNoMaxTokensButTemperature() {
    server.enqueue(Replay.stream(helloStream(), contentType(), 64).build());
    BaseChatModel m = ChatOllama.builder().baseUrl(baseUrl()).model("llama3.2").temperature(0.5).numPredict(99).build();
    StreamEvent start = m.streamEvents("why?").toList().get(0);
    assertThat(start.metadata()).containsEntry("ls_provider", "ollama").containsEntry("ls_temperature", 0.5)
        .doesNotContainKey("ls_max_tokens");
  }

  @Test
  void unknownModelIsNotFound() {
    server.enqueue(Replay.error(404, Replay.resource("ollama-404.json")).build());
    assertThatThrownBy(() -> model().invoke("x"))
        .isInstanceOf(ChatProviderException.NotFound.class)
        .hasMessageContaining("not found, try pulling it first");
  }

  @Test
  void errorLineInsideTheStreamIsAServerError() {
    server.enqueue(Replay.stream(midStreamError(), contentType(), 64).build());
    assertThatThrownBy(() -> model().stream("x").toList())
        .isInstanceOf(ChatProviderException.ServerError.class)
        .hasMessageContaining("an error was encountered while running the model");
  }
}
