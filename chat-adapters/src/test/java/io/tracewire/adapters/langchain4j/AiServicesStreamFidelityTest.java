package io.tracewire.adapters.langchain4j;

import static io.tracewire.adapters.langchain4j.AiServiceFixtures.ANSWER;
import static io.tracewire.adapters.langchain4j.AiServiceFixtures.QUESTION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.tracewire.adapters.Replay;
import io.tracewire.adapters.langchain4j.AiServiceFixtures.Assistant;
import io.tracewire.adapters.langchain4j.AiServiceFixtures.WeatherTools;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.ToolCallChunk;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.test.EventRecorder;
import io.tracewire.test.RecordedRun;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * The streamed model runs of a LangChain4j AI Service, event by event, in LangChain's shape
 * (spec §15.3, providers §6.1-6.2): every chunk and the end output share one message id
 * ({@code lc_run--<run id>}); a tool round streams its {@code tool_call_chunks} (name and id on
 * the first fragment); the end output is the {@link AIMessageChunk} the chunks add up to; a tool
 * round's finish reason is {@code tool_calls}. Real LangChain4j clients against MockWebServer
 * replaying the providers' exact stream bytes.
 */
class AiServicesStreamFidelityTest {
  @StartStop
  final MockWebServer server = new MockWebServer();

  private void enqueue(String... resources) {
    for (String r : resources) {
      server.enqueue(Replay.stream(Replay.resource("lc4j/" + r), "text/event-stream", 97).build());
    }
  }

  private static EventRecorder ask(StreamingChatModel model) {
    Assistant assistant = LangChain4jTracing.aiServices(Assistant.class).streamingChatModel(model)
        .tools(new WeatherTools()).contentRetriever(AiServiceFixtures.retriever())
        .chatMemory(MessageWindowChatMemory.withMaxMessages(20)).build();
    EventRecorder recorder = EventRecorder.create();
    RunnableLambda<String, String> app = RunnableLambda.of("app", q -> {
      CompletableFuture<ChatResponse> done = new CompletableFuture<>();
      assistant.chat(q).onPartialResponse(t -> { }).onCompleteResponse(done::complete)
          .onError(done::completeExceptionally).start();
      return done.join().aiMessage().text();
    });
    assertThat(app.invoke(QUESTION, recorder.config())).isEqualTo(ANSWER);
    return recorder;
  }

  /** One model run's stream and end events, with the message id written as {@code ID} when it is the run's. */
  private static List<String> modelEvents(RecordedRun run) {
    String own = "lc_run--" + run.runId();
    List<String> out = new ArrayList<>();
    for (StreamEvent e : run.events()) {
      Object m = e.hasData("chunk") ? e.dataValue("chunk") : e.hasData("output") ? e.dataValue("output") : null;
      if (m == null) {
        continue;
      }
      StringBuilder sb = new StringBuilder(e.event()).append(' ').append(m.getClass().getSimpleName());
      if (m instanceof io.tracewire.core.message.BaseMessage b && !(m instanceof AIMessageChunk)) {
        sb.append(" id=").append(own.equals(b.id()) ? "ID" : b.id()).append(" text=").append(b.text());
      }
      if (m instanceof AIMessageChunk c) {
        sb.append(" id=").append(own.equals(c.id()) ? "ID" : c.id()).append(" text=").append(c.text());
        for (ToolCallChunk t : c.toolCallChunks()) {
          sb.append(" tcc=").append(t.index()).append('|').append(t.name()).append('|').append(t.id()).append('|')
              .append(t.args());
        }
        if (c.responseMetadata().containsKey("finish_reason")) {
          sb.append(" finish=").append(c.responseMetadata().get("finish_reason"));
        }
        if (c.responseMetadata().containsKey("id")) {
          sb.append(" response_id=").append(c.responseMetadata().get("id"));
        }
        if (c.usageMetadata() != null) {
          sb.append(" usage=").append(c.usageMetadata().totalTokens());
        }
      }
      out.add(sb.toString());
    }
    return out;
  }

  @Test
  void openAiStreamedRoundsCarryOneIdToolCallChunksAndEndWithTheirSum() {
    enqueue("openai-round1.sse", "openai-round2.sse", "openai-final.sse");
    List<RecordedRun> models = ask(openAi()).tree().named("OpenAiStreamingChatModel");

    assertThat(modelEvents(models.get(2))).containsExactly(
        "on_chat_model_stream AIMessageChunk id=ID text=Paris is ",
        "on_chat_model_stream AIMessageChunk id=ID text=18°C and sunny",
        "on_chat_model_stream AIMessageChunk id=ID text=, Lyon ",
        "on_chat_model_stream AIMessageChunk id=ID text=21°C and cloudy.",
        "on_chat_model_end AIMessageChunk id=ID text=" + ANSWER + " finish=stop response_id=chatcmpl-Lc4jR3 usage=194");
    assertThat(modelEvents(models.get(0))).containsExactly(
        // LangChain4j reports no fragment for the wire's first, empty arguments string
        "on_chat_model_stream AIMessageChunk id=ID text= tcc=0|get_weather|call_Paris01|{\"",
        "on_chat_model_stream AIMessageChunk id=ID text= tcc=0|null|null|city",
        "on_chat_model_stream AIMessageChunk id=ID text= tcc=0|null|null|\":\"",
        "on_chat_model_stream AIMessageChunk id=ID text= tcc=0|null|null|Par",
        "on_chat_model_stream AIMessageChunk id=ID text= tcc=0|null|null|is\"}",
        "on_chat_model_end AIMessageChunk id=ID text= tcc=0|get_weather|call_Paris01|{\"city\":\"Paris\"}"
            + " finish=tool_calls response_id=chatcmpl-Lc4jR1 usage=128");
    assertEndIsTheSumOfTheChunks(models);
  }

  @Test
  void anthropicStreamedRoundsCarryOneIdToolCallChunksAndEndWithTheirSum() {
    enqueue("anthropic-round1.sse", "anthropic-round2.sse", "anthropic-final.sse");
    List<RecordedRun> models = ask(anthropic()).tree().named("AnthropicStreamingChatModel");

    List<String> round1 = modelEvents(models.get(0));
    assertThat(round1.get(round1.size() - 1)).startsWith("on_chat_model_end AIMessageChunk id=ID text=")
        .contains("|get_weather|toolu_01Paris|{\"city\": \"Paris\"}").contains(" finish=tool_calls");
    assertThat(round1.subList(0, round1.size() - 1)).isNotEmpty()
        .allSatisfy(s -> assertThat(s).startsWith("on_chat_model_stream AIMessageChunk id=ID"));
    assertThat(round1).filteredOn(s -> s.contains("tcc=")).first().asString().contains("|get_weather|toolu_01Paris|");
    assertThat(modelEvents(models.get(2))).last().asString()
        .startsWith("on_chat_model_end AIMessageChunk id=ID text=" + ANSWER + " finish=stop");
    assertEndIsTheSumOfTheChunks(models);
  }

  @Test
  void aBlockingToolRoundReportsToolCallsAsItsFinishReason() {
    server.enqueue(Replay.error(200, Replay.resource("lc4j/openai-tool-atlantis.json")).build());
    server.enqueue(Replay.error(200, Replay.resource("lc4j/openai-sorry.json")).build());
    AiServiceFixtures.SyncAssistant assistant = LangChain4jTracing.aiServices(AiServiceFixtures.SyncAssistant.class)
        .chatModel(dev.langchain4j.model.openai.OpenAiChatModel.builder().baseUrl(server.url("/v1").toString())
            .apiKey("sk-test-not-a-key").modelName("gpt-4o-mini").build())
        .tools(new WeatherTools()).build();
    EventRecorder recorder = EventRecorder.create();
    RunnableLambda.of("app", assistant::chat).invoke("Weather in Atlantis?", recorder.config());
    List<RecordedRun> models = recorder.tree().named("OpenAiChatModel");
    assertThat(models).extracting(r -> ((io.tracewire.core.message.AIMessage) r.output()).responseMetadata().get("finish_reason"))
        .containsExactly("tool_calls", "stop");
  }

  /** The end output's text, id and tool calls are what the streamed chunks add up to. */
  private static void assertEndIsTheSumOfTheChunks(List<RecordedRun> models) {
    for (RecordedRun run : models) {
      AIMessageChunk sum = null;
      for (Object c : run.chunks()) {
        sum = sum == null ? (AIMessageChunk) c : sum.add((AIMessageChunk) c);
      }
      AIMessageChunk end = (AIMessageChunk) run.output();
      assertThat(sum).as("chunks of %s", run).isNotNull();
      assertThat(sum.id()).isEqualTo(end.id()).isEqualTo("lc_run--" + run.runId());
      assertThat(sum.text()).isEqualTo(end.text());
      assertThat(sum.toMessage().toolCalls()).isEqualTo(end.toMessage().toolCalls());
    }
  }

  private OpenAiStreamingChatModel openAi() {
    return OpenAiStreamingChatModel.builder().baseUrl(server.url("/v1").toString()).apiKey("sk-test-not-a-key")
        .modelName("gpt-4o-mini").temperature(0.0).build();
  }

  private AnthropicStreamingChatModel anthropic() {
    return AnthropicStreamingChatModel.builder().baseUrl(server.url("/v1").toString()).apiKey("sk-ant-test-not-a-key")
        .modelName("claude-sonnet-4-5-20250929").maxTokens(512).build();
  }
}
