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
import dev.langchain4j.rag.DefaultRetrievalAugmentor;
import io.tracewire.adapters.Replay;
import io.tracewire.adapters.langchain4j.AiServiceFixtures.Assistant;
import io.tracewire.adapters.langchain4j.AiServiceFixtures.SyncAssistant;
import io.tracewire.adapters.langchain4j.AiServiceFixtures.WeatherTools;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.test.EventRecorder;
import io.tracewire.test.RecordedRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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

  /**
   * The model, tool and memory events of one streamed service call with a two-round tool loop, in
   * order; each tool round streams its tool-call fragments ({@code round1Chunks},
   * {@code round2Chunks}: as many as the provider's client reports).
   */
  static String[] streamedSequence(int round1Chunks, int round2Chunks) {
    List<String> s = new ArrayList<>(List.of(
        "on_chain_start:app",
        "on_chain_start:Assistant#chat",
        "on_custom_event:chat_memory_read",
        "on_retriever_start:EmbeddingStoreContentRetriever",
        "on_retriever_end:EmbeddingStoreContentRetriever",
        "on_custom_event:chat_memory_write", // the system message
        "on_custom_event:chat_memory_read",
        "on_custom_event:chat_memory_write", // the user message with the retrieved context
        "on_chat_model_start")); // round 1: get_weather(Paris)
    s.addAll(java.util.Collections.nCopies(round1Chunks, "on_chat_model_stream"));
    s.addAll(List.of("on_chat_model_end",
        "on_custom_event:chat_memory_write",
        "on_tool_start:get_weather", "on_tool_end:get_weather",
        "on_custom_event:chat_memory_write",
        "on_custom_event:chat_memory_read",
        "on_chat_model_start")); // round 2: get_weather(Lyon)
    s.addAll(java.util.Collections.nCopies(round2Chunks, "on_chat_model_stream"));
    s.addAll(List.of("on_chat_model_end",
        "on_custom_event:chat_memory_write",
        "on_tool_start:get_weather", "on_tool_end:get_weather",
        "on_custom_event:chat_memory_write",
        "on_custom_event:chat_memory_read",
        "on_chat_model_start", // the streamed answer
        "on_chat_model_stream", "on_chat_model_stream", "on_chat_model_stream", "on_chat_model_stream",
        "on_chat_model_end",
        "on_custom_event:chat_memory_write",
        "on_chain_end:Assistant#chat",
        "on_chain_end:app"));
    return s.toArray(String[]::new);
  }

  static final List<String> REPLAYED_TOKENS = List.of("Paris is ", "18°C and sunny", ", Lyon ", "21°C and cloudy.");

  /** What both providers' scenarios share: the tree, the tokens, the tools, the documents, the memory traffic. */
  private static void assertStreamedScenario(EventRecorder recorder, List<String> tokens, String model,
      List<String> toolCallIds, int round1Chunks, int round2Chunks) {
    assertThat(tokens).isEqualTo(REPLAYED_TOKENS);
    assertThat(recorder).isWellFormed().hasNoErrors().hasEventSequence(streamedSequence(round1Chunks, round2Chunks));
    assertThat(recorder.tree().render()).isEqualTo(String.join("\n",
        "  chain app (r0) ended",
        "    chain Assistant#chat (r1) ended, 11 custom",
        "      retriever EmbeddingStoreContentRetriever (r2) ended",
        "      chat_model " + model + " (r3) ended, " + round1Chunks + " chunks \"\"",
        "      tool get_weather (r4) ended",
        "      chat_model " + model + " (r5) ended, " + round2Chunks + " chunks \"\"",
        "      tool get_weather (r6) ended",
        "      chat_model " + model + " (r7) ended, 4 chunks \"Paris is 18°C and sunny, Lyon 21°C an...\""));

    RecordedRun service = recorder.tree().named("Assistant#chat").get(0);
    assertThat(service.startEvent().dataValue("input")).isEqualTo(Map.of("question", QUESTION));
    assertThat(service.output()).isEqualTo(ANSWER);
    assertThat(service).hasType("chain").isChildOf("app").hasMetadata(AiServiceRuns.LS_AGENT_NAME, "Assistant#chat")
        .hasChildren("EmbeddingStoreContentRetriever", model, "get_weather", model, "get_weather", model);

    List<RecordedRun> models = recorder.tree().named(model);
    assertThat(models.get(2)).hasStreamedChunkCount(4).hasStreamedText(ANSWER);
    assertThat(models.get(0).chunks()).hasSize(round1Chunks);
    AIMessage round1 = ((AIMessageChunk) models.get(0).output()).toMessage();
    assertThat(round1.toolCalls()).extracting(c -> c.name() + c.args() + c.id())
        .containsExactly("get_weather{city=Paris}" + toolCallIds.get(0));
    AIMessage round2 = ((AIMessageChunk) models.get(1).output()).toMessage();
    assertThat(round2.toolCalls()).extracting(c -> c.name() + c.args() + c.id())
        .containsExactly("get_weather{city=Lyon}" + toolCallIds.get(1));
    assertThat(((AIMessageChunk) models.get(2).output()).text()).isEqualTo(ANSWER);
    // the model's input is the conversation so far: system, user (with the retrieved context), then the tool loop
    @SuppressWarnings("unchecked")
    List<List<Object>> lastInput = (List<List<Object>>) ((Map<String, Object>) models.get(2).startEvent().dataValue("input")).get("messages");
    assertThat(lastInput.get(0)).extracting(m -> m.getClass().getSimpleName()).containsExactly(
        "SystemMessage", "HumanMessage", "AIMessage", "ToolMessage", "AIMessage", "ToolMessage");
    assertThat(((HumanMessage) lastInput.get(0).get(1)).text()).contains(QUESTION).contains("Lyon weather: Bron airport.");

    List<RecordedRun> toolRuns = recorder.tree().named("get_weather");
    assertThat(toolRuns.get(0).startEvent().dataValue("input")).isEqualTo(Map.of("city", "Paris"));
    assertThat(toolRuns.get(0).output()).isEqualTo(new ToolMessage("18°C, sunny", toolCallIds.get(0), "get_weather", "success", null));
    assertThat(toolRuns.get(1).startEvent().dataValue("input")).isEqualTo(Map.of("city", "Lyon"));
    assertThat(toolRuns.get(1).output()).isEqualTo(new ToolMessage("21°C, cloudy", toolCallIds.get(1), "get_weather", "success", null));

    RecordedRun retrieval = recorder.tree().named("EmbeddingStoreContentRetriever").get(0);
    assertThat(retrieval.startEvent().dataValue("input")).isEqualTo(Map.of("query", QUESTION));
    assertThat(retrieval).hasMetadata("ls_retriever_name", "embeddingstore");
    @SuppressWarnings("unchecked")
    List<Document> docs = (List<Document>) retrieval.output();
    assertThat(docs).extracting(Document::pageContent, Document::id)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Lyon weather: Bron airport.", "doc-2"),
            org.assertj.core.groups.Tuple.tuple("Paris weather station: Montsouris park.", "doc-1"));
    assertThat(docs.get(0).metadata()).containsEntry("source", "stations.txt").containsEntry("line", 2).containsKey("score");

    List<StreamEvent> memory = service.customEvents();
    assertThat(memory).extracting(StreamEvent::name).containsExactly(
        "chat_memory_read", "chat_memory_write", "chat_memory_read", "chat_memory_write",
        "chat_memory_write", "chat_memory_write", "chat_memory_read",
        "chat_memory_write", "chat_memory_write", "chat_memory_read", "chat_memory_write");
    assertThat(memory).allSatisfy(e -> assertThat(e.runId()).isEqualTo(service.runId()));
    @SuppressWarnings("unchecked")
    Map<String, Object> lastWrite = (Map<String, Object>) memory.get(memory.size() - 1).data();
    assertThat(lastWrite).containsEntry("memory_id", "default");
    assertThat(((AIMessage) lastWrite.get("message")).text()).isEqualTo(ANSWER);

    // no credential reaches the events
    assertThat(recorder.events()).allSatisfy(e -> assertThat(String.valueOf(e)).doesNotContain("not-a-key"));
  }

  @Test
  void anOpenAiStreamingServiceCallIsOneRunTreeWithToolsRetrievalMemoryAndTokens() throws Exception {
    enqueue("openai-round1.sse", "openai-round2.sse", "openai-final.sse");
    WeatherTools tools = new WeatherTools();
    EventRecorder recorder = EventRecorder.create();

    List<String> tokens = ask(assistant(openAi(), tools), recorder);

    assertStreamedScenario(recorder, tokens, "OpenAiStreamingChatModel", List.of("call_Paris01", "call_Lyon02"), 5, 3);
    assertThat(tools.calls).containsExactly("Paris", "Lyon");
    List<RecordedRun> models = recorder.tree().named("OpenAiStreamingChatModel");
    assertThat(models.get(0)).hasUsage(112, 16, 128).hasMetadata("ls_provider", "openai")
        .hasMetadata("ls_model_name", "gpt-4o-mini").hasMetadata("ls_temperature", 0.0);
    assertThat(models.get(1)).hasUsage(146, 15, 161);
    assertThat(models.get(2)).hasUsage(180, 14, 194);
    // one id per message, as LangChain's: the run's; the provider's response id is metadata
    AIMessageChunk round1 = (AIMessageChunk) models.get(0).output();
    assertThat(round1.id()).isEqualTo("lc_run--" + models.get(0).runId());
    assertThat(round1.responseMetadata()).containsEntry("id", "chatcmpl-Lc4jR1").containsEntry("finish_reason", "tool_calls");
    assertThat(((AIMessageChunk) models.get(2).output()).responseMetadata()).containsEntry("finish_reason", "stop");
    assertThat(recorder).hasUsageTotals(438, 45, 483);
    // the second request carries the first tool result back to the provider
    server.takeRequest();
    RecordedRequest second = server.takeRequest();
    assertThat(second.getBody().utf8()).contains("call_Paris01").contains("18°C, sunny");
    assertThat(AiServiceRuns.openCount()).isZero();
  }

  @Test
  void anAnthropicStreamingServiceCallIsTheSameRunTree() throws Exception {
    enqueue("anthropic-round1.sse", "anthropic-round2.sse", "anthropic-final.sse");
    WeatherTools tools = new WeatherTools();
    EventRecorder recorder = EventRecorder.create();

    List<String> tokens = ask(assistant(anthropic(), tools), recorder);

    assertStreamedScenario(recorder, tokens, "AnthropicStreamingChatModel", List.of("toolu_01Paris", "toolu_02Lyon"), 2, 2);
    List<RecordedRun> models = recorder.tree().named("AnthropicStreamingChatModel");
    assertThat(models.get(0)).hasUsage(420, 38, 458).hasMetadata("ls_provider", "anthropic")
        .hasMetadata("ls_model_name", "claude-sonnet-4-5-20250929").hasMetadata("ls_max_tokens", 512);
    assertThat(models.get(2)).hasUsage(590, 19, 609);
    assertThat(recorder).hasUsageTotals(1515, 94, 1609);
    assertThat(AiServiceRuns.openCount()).isZero();
  }

  @Test
  void aToolExceptionIsAToolErrorAndTheServiceFailsWhenTheErrorHandlerRethrows() {
    server.enqueue(Replay.error(200, Replay.resource("lc4j/openai-tool-atlantis.json")).build());
    WeatherTools tools = new WeatherTools();
    SyncAssistant assistant = LangChain4jTracing.aiServices(SyncAssistant.class)
        .chatModel(OpenAiChatModel.builder().baseUrl(server.url("/v1").toString()).apiKey("sk-test-not-a-key")
            .modelName("gpt-4o-mini").build())
        .tools(tools)
        .toolExecutionErrorHandler((error, context) -> {
          throw new IllegalStateException("tool failed: " + error.getMessage(), error);
        })
        .build();
    EventRecorder recorder = EventRecorder.create();
    RunnableLambda<String, String> app = RunnableLambda.of("app", assistant::chat);

    assertThatThrownBy(() -> app.invoke("Weather in Atlantis?", recorder.config()))
        .isInstanceOf(IllegalStateException.class).hasMessage("tool failed: no weather station in Atlantis");

    assertThat(recorder).isWellFormed().hasEventSequence(
        "on_chain_start:app",
        "on_chain_start:SyncAssistant#chat",
        "on_chat_model_start:OpenAiChatModel", "on_chat_model_end:OpenAiChatModel",
        "on_tool_start:get_weather", "on_tool_error:get_weather",
        "on_chain_error:SyncAssistant#chat",
        "on_chain_error:app");
    RecordedRun tool = recorder.tree().named("get_weather").get(0);
    assertThat(tool).hasFailedWith(IllegalArgumentException.class).isChildOf("SyncAssistant#chat");
    assertThat(tool.error()).hasMessage("no weather station in Atlantis");
    assertThat(tool.terminalEvent().dataValue("tool_call_id")).isEqualTo("call_Atl01");
    assertThat(tool.terminalEvent().dataValue("input")).isEqualTo(Map.of("city", "Atlantis"));
    assertThat(recorder.tree().named("SyncAssistant#chat").get(0)).hasFailedWith(IllegalStateException.class);
    assertThat(recorder.tree().named("OpenAiChatModel").get(0)).hasUsage(98, 17, 115);
    assertThat(AiServiceRuns.openCount()).isZero();
  }

  @Test
  void byDefaultAToolExceptionIsAToolErrorAndTheModelGetsTheMessage() {
    server.enqueue(Replay.error(200, Replay.resource("lc4j/openai-tool-atlantis.json")).build());
    server.enqueue(Replay.error(200, Replay.resource("lc4j/openai-sorry.json")).build());
    SyncAssistant assistant = LangChain4jTracing.aiServices(SyncAssistant.class)
        // a model already wrapped with traced(...) is fine too
        .chatModel(LangChain4jTracing.traced(OpenAiChatModel.builder().baseUrl(server.url("/v1").toString())
            .apiKey("sk-test-not-a-key").modelName("gpt-4o-mini").build()))
        .tools(new WeatherTools())
        .build();
    EventRecorder recorder = EventRecorder.create();

    String answer = RunnableLambda.of("app", assistant::chat).invoke("Weather in Atlantis?", recorder.config());

    assertThat(answer).isEqualTo("There is no weather station in Atlantis.");
    assertThat(recorder).isWellFormed().hasEventSequence(
        "on_chain_start:app",
        "on_chain_start:SyncAssistant#chat",
        "on_chat_model_start:OpenAiChatModel", "on_chat_model_end:OpenAiChatModel",
        "on_tool_start:get_weather", "on_tool_error:get_weather",
        "on_chat_model_start:OpenAiChatModel", "on_chat_model_end:OpenAiChatModel",
        "on_chain_end:SyncAssistant#chat",
        "on_chain_end:app");
    assertThat(recorder.tree().named("get_weather").get(0)).hasFailedWith(IllegalArgumentException.class);
    assertThat(recorder.tree().named("SyncAssistant#chat").get(0)).hasOutput("There is no weather station in Atlantis.");
  }

  @Test
  void aRetrieverInsideACustomAugmentorIsARetrieverRunWhenWrapped() {
    server.enqueue(Replay.error(200, Replay.resource("lc4j/openai-sorry.json")).build());
    SyncAssistant assistant = LangChain4jTracing.aiServices(SyncAssistant.class)
        .chatModel(OpenAiChatModel.builder().baseUrl(server.url("/v1").toString()).apiKey("sk-test-not-a-key")
            .modelName("gpt-4o-mini").build())
        .retrievalAugmentor(DefaultRetrievalAugmentor.builder()
            .contentRetriever(LangChain4jTracing.traced(AiServiceFixtures.retriever())).build())
        .build();
    EventRecorder recorder = EventRecorder.create();

    RunnableLambda.of("app", assistant::chat).invoke("Weather in Atlantis?", recorder.config());

    assertThat(recorder).isWellFormed().hasNoErrors().hasEventSequence(
        "on_chain_start:app", "on_chain_start:SyncAssistant#chat",
        "on_retriever_start:EmbeddingStoreContentRetriever", "on_retriever_end:EmbeddingStoreContentRetriever",
        "on_chat_model_start:OpenAiChatModel", "on_chat_model_end:OpenAiChatModel",
        "on_chain_end:SyncAssistant#chat", "on_chain_end:app");
    assertThat(recorder.tree().named("EmbeddingStoreContentRetriever").get(0)).isChildOf("SyncAssistant#chat");
  }

  @Test
  void toolsExecutedConcurrentlyOnOtherThreadsStillNestUnderTheirServiceCall() {
    server.enqueue(Replay.error(200, Replay.resource("lc4j/openai-parallel-tools.json")).build());
    server.enqueue(Replay.error(200, Replay.resource("lc4j/openai-answer.json")).build());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      WeatherTools tools = new WeatherTools();
      SyncAssistant assistant = LangChain4jTracing.aiServices(SyncAssistant.class)
          .chatModel(OpenAiChatModel.builder().baseUrl(server.url("/v1").toString()).apiKey("sk-test-not-a-key")
              .modelName("gpt-4o-mini").build())
          .tools(tools)
          .executeToolsConcurrently(pool) // a plain pool: Tracewire's context is not carried to it
          .build();
      EventRecorder recorder = EventRecorder.create();

      String answer = RunnableLambda.of("app", assistant::chat).invoke(QUESTION, recorder.config());

      assertThat(answer).isEqualTo(ANSWER);
      assertThat(tools.calls).containsExactlyInAnyOrder("Paris", "Lyon");
      assertThat(tools.threads).doesNotContain(Thread.currentThread());
      assertThat(recorder).isWellFormed().hasNoErrors().hasUsageTotals(271, 60, 331);
      RecordedRun service = recorder.tree().named("SyncAssistant#chat").get(0);
      assertThat(service.children()).extracting(RecordedRun::name).containsExactlyInAnyOrder(
          "OpenAiChatModel", "get_weather", "get_weather", "OpenAiChatModel");
      assertThat(recorder.tree().named("get_weather")).extracting(r -> r.startEvent().dataValue("input"))
          .containsExactlyInAnyOrder(Map.of("city", "Paris"), Map.of("city", "Lyon"));
      assertThat(recorder.tree().named("get_weather")).allSatisfy(r -> assertThat(r.parentId()).isEqualTo(service.runId()));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theWrappedModelsStillWorkOutsideAiServices() {
    assertThat(LangChain4jTracing.traced(openAi())).isInstanceOf(TracedStreamingChatModel.class);
    assertThat(AiServiceRuns.serviceName("com.example.Outer$Assistant", "chat")).isEqualTo("Assistant#chat");
  }
}
