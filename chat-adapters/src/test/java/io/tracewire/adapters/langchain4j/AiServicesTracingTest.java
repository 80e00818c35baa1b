package io.tracewire.adapters.langchain4j;

import static io.tracewire.adapters.langchain4j.AiServiceFixtures.ANSWER;
import static io.tracewire.adapters.langchain4j.AiServiceFixtures.QUESTION;
import static io.tracewire.test.TracewireAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import io.tracewire.adapters.Replay;
import io.tracewire.adapters.langchain4j.AiServiceFixtures.Assistant;
import io.tracewire.adapters.langchain4j.AiServiceFixtures.SyncAssistant;
import io.tracewire.adapters.langchain4j.AiServiceFixtures.WeatherTools;
import io.tracewire.core.Document;
import io.tracewire.core.RunnableLambda;
import io.tracewire.core.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import io.tracewire.test.EventRecorder;
import io.tracewire.test.RecordedRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * Real LangChain4j AI Services (tools, chat memory, RAG over a real in-memory embedding store)
 * with the real OpenAI and Anthropic LangChain4j clients, against MockWebServer replaying the
 * providers' exact stream bytes: a tool loop of two rounds, then a streamed answer.
 */
class AiServicesTracingTest {
  @StartStop
  final MockWebServer server = new MockWebServer();

  private static final String SSE = "text/event-stream";

  private void enqueue(String... resources) {
    for (String r : resources) {
      server.enqueue(Replay.stream(Replay.resource("lc4j/" + r), SSE, 97).build());
    }
  }

  private Assistant assistant(StreamingChatModel model, WeatherTools tools) {
    return LangChain4jTracing.aiServices(Assistant.class)
        .streamingChatModel(model)
        .tools(tools)
        .contentRetriever(AiServiceFixtures.retriever())
        .chatMemory(MessageWindowChatMemory.withMaxMessages(20))
        .build();
  }

  /** Calls the streaming assistant inside an "app" run and waits for the answer; returns the tokens the caller saw. */
  private static List<String> ask(Assistant assistant, EventRecorder recorder) throws Exception {
    List<String> tokens = new ArrayList<>();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    RunnableLambda<String, String> app = RunnableLambda.of("app", q -> {
      assistant.chat(q).onPartialResponse(tokens::add).onCompleteResponse(done::complete).onError(done::completeExceptionally).start();
      return done.join().aiMessage().text();
    });
    String answer = app.invoke(QUESTION, recorder.config());
    assertThat(answer).isEqualTo(ANSWER);
    return tokens;
  }

  private OpenAiStreamingChatModel openAi() {
    return OpenAiStreamingChatModel.builder().baseUrl(server.url("/v1").toString()).apiKey("sk-test-not-a-key")
        .modelName("gpt-4o-mini").temperature(0.0).build();
  }

  private AnthropicStreamingChatModel anthropic() {
    return AnthropicStreamingChatModel.builder().baseUrl(server.url("/v1").toString()).apiKey("sk-ant-test-not-a-key")
        .modelName("claude-sonnet-4-5-20250929").maxTokens(512).build();
  }

  static String dump(EventRecorder recorder) {
    return recorder.events().stream().map(e -> e.event() + ":" + e.name()).collect(Collectors.joining("\n"));
  }

  @Test
  void anOpenAiStreamingServiceCallIsOneRunTree() throws Exception {
    enqueue("openai-round1.sse", "openai-round2.sse", "openai-final.sse");
    WeatherTools tools = new WeatherTools();
    EventRecorder recorder = EventRecorder.create();
    List<String> tokens = ask(assistant(openAi(), tools), recorder);
    System.out.println(recorder.tree().render());
    System.out.println(dump(recorder));
  }
}
