package io.tracewire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.sink.SinkStats;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.Tracewire;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import io.tracewire.dashboard.Dashboard;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.vectorstore.QuestionAnswerAdvisor;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real Spring AI OpenAI client (official OpenAI Java SDK over OkHttp) against recorded
 * OpenAI bytes on MockWebServer, with the starter configured from properties only: JSONL file,
 * OpenTelemetry spans (the application's SDK, in-memory exporter), dashboard, and two
 * application sinks (one that collects, one that always fails).
 */
@SpringBootTest(classes = OpenAiBridgeTest.App.class, properties = {
    "spring.main.web-application-type=none",
    "spring.ai.model.chat=openai",
    "spring.ai.openai.api-key=sk-test-not-a-secret",
    "spring.ai.openai.chat.model=gpt-4o-mini",
    "spring.ai.openai.chat.temperature=0.2",
    "spring.ai.openai.chat.max-tokens=64",
    "tracewire.otel.enabled=true",
    "tracewire.dashboard.enabled=true",
    "tracewire.tags=spring-test",
    "tracewire.metadata.app=weather-demo",
    "management.endpoints.web.exposure.include=health,tracewire"})
@DirtiesContext
class OpenAiBridgeTest {
  static final ProviderReplay REPLAY = new ProviderReplay();
  static final Path DIR;
  static final int DASHBOARD_PORT;

  static {
    try {
      DIR = Files.createTempDirectory("tracewire-spring");
      try (ServerSocket s = new ServerSocket(0)) {
        DASHBOARD_PORT = s.getLocalPort();
      }
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    r.add("spring.ai.openai.base-url", () -> REPLAY.url("/v1"));
    r.add("tracewire.jsonl.path", () -> DIR.resolve("events.jsonl").toString());
    r.add("tracewire.dashboard.port", () -> DASHBOARD_PORT);
  }

  @AfterAll
  static void stop() {
    REPLAY.close();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    Collector collector() {
      return new Collector();
    }

    @Bean
    BrokenSink broken() {
      return new BrokenSink();
    }

    @Bean
    InMemorySpanExporter spanExporter() {
      return InMemorySpanExporter.create();
    }

    @Bean
    OpenTelemetry openTelemetry(InMemorySpanExporter exporter) {
      return OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
          .build();
    }

    @Bean
    VectorStore vectorStore(EmbeddingModel embeddingModel) {
      return SimpleVectorStore.builder(embeddingModel).build();
    }
  }

  @Autowired ChatClient.Builder chatClientBuilder;
  @Autowired ChatModel chatModel;
  @Autowired VectorStore vectorStore;
  @Autowired Collector collector;
  @Autowired Tracewire tracewire;
  @Autowired InMemorySpanExporter spans;
  @Autowired Dashboard dashboard;
  @Autowired TracewireEndpoint endpoint;
  @Autowired Map<String, HealthIndicator> health;

  @BeforeEach
  void reset() {
    tracewire.flush(Duration.ofSeconds(5));
    collector.clear();
    spans.reset();
  }

  private List<StreamEvent> flushed() {
    assertThat(tracewire.flush(Duration.ofSeconds(10))).isTrue();
    return collector.events;
  }

  private static String text(Object message) {
    return ((BaseMessage) message).text();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> data(StreamEvent e) {
    return (Map<String, Object>) e.data();
  }

  @Test
  void streamedPromptIsOneTreeWithTheExactTokensUsageAndLsParams() {
    REPLAY.sse("openai-text.sse");
    List<String> pieces = chatClientBuilder.build().prompt().user("Say hello").stream().content()
        .collectList().block(Duration.ofSeconds(20));
    List<StreamEvent> events = flushed();

    assertThat(String.join("", pieces)).isEqualTo("Hello!");
    List<StreamEvent> chunks = collector.named("on_chat_model_stream");
    assertThat(chunks).extracting(e -> text(data(e).get("chunk"))).containsExactly("", "Hel", "lo!", "", "");
    StreamEvent start = collector.one("on_chat_model_start");
    assertThat(start.name()).isEqualTo("OpenAiChatModel");
    assertThat(start.metadata()).containsEntry("ls_provider", "openai").containsEntry("ls_model_type", "chat")
        .containsEntry("ls_model_name", "gpt-4o-mini").containsEntry("ls_temperature", 0.2)
        .containsEntry("ls_max_tokens", 64).containsEntry("app", "weather-demo");
    assertThat(start.tags()).contains("spring-test");
    StreamEvent end = collector.one("on_chat_model_end");
    AIMessageChunk out = (AIMessageChunk) data(end).get("output");
    assertThat(out.text()).isEqualTo("Hello!");
    assertThat(out.usageMetadata()).isEqualTo(new UsageMetadata(12, 3, 15));
    assertThat(out.id()).isEqualTo("chatcmpl-T3st01");
    assertThat(out.responseMetadata()).containsEntry("finish_reason", "stop")
        .containsEntry("model_name", "gpt-4o-mini-2024-07-18");

    StreamEvent root = collector.one("on_chain_start");
    assertThat(root.name()).isEqualTo("ChatClient");
    assertThat(root.parentIds()).isEmpty();
    assertThat(start.parentIds()).containsExactly(root.runId());
    assertThat(events).allSatisfy(e -> assertThat(e.runId().equals(root.runId())
        || e.parentIds().contains(root.runId())).isTrue());
    assertThat(text(data(collector.one("on_chain_end")).get("output") instanceof String s ? new AIMessage(s) : null))
        .isEqualTo("Hello!");
  }

  @Test
  void theStreamedUsageIsOnTheChunkThatBroughtItAsInLangChain() {
    REPLAY.sse("openai-text.sse");
    chatClientBuilder.build().prompt().user("Say hello").stream().content().collectList().block(Duration.ofSeconds(20));
    flushed();

    // LangChain's ChatOpenAI: the usage chunk (choices == []) carries usage_metadata, the others none
    assertThat(collector.named("on_chat_model_stream")).extracting(e -> ((AIMessageChunk) data(e).get("chunk")).usageMetadata())
        .containsExactly(null, null, null, null, new UsageMetadata(12, 3, 15));
    AIMessageChunk out = (AIMessageChunk) data(collector.one("on_chat_model_end")).get("output");
    assertThat(out.usageMetadata()).isEqualTo(new UsageMetadata(12, 3, 15));
  }

  @Test
  void toolCallsOfAStreamedPromptAreToolRunsWithTheirIdsUnderTheChatClientRun() {
    REPLAY.sse("openai-tools.sse").sse("openai-after-tools.sse");
    WeatherTools tools = new WeatherTools();
    String answer = String.join("", chatClientBuilder.build().prompt().user("Weather in Paris and Rome?").tools(tools)
        .stream().content().collectList().block(Duration.ofSeconds(20)));
    flushed();

    assertThat(answer).isEqualTo("Paris is sunny, Rome is cloudy.");
    assertThat(tools.calls).containsExactly("Paris", "Rome");
    StreamEvent root = collector.where(e -> e.event().equals("on_chain_start") && e.parentIds().isEmpty()).get(0);
    List<StreamEvent> modelStarts = collector.named("on_chat_model_start");
    List<StreamEvent> toolStarts = collector.named("on_tool_start");
    List<StreamEvent> toolEnds = collector.named("on_tool_end");
    assertThat(modelStarts).hasSize(2);
    assertThat(toolStarts).extracting(StreamEvent::name).containsExactly("get_weather", "get_weather");
    assertThat(toolStarts).extracting(e -> data(e).get("input"))
        .containsExactly(Map.of("city", "Paris"), Map.of("city", "Rome"));
    assertThat(toolEnds).extracting(e -> ((ToolMessage) data(e).get("output")).toolCallId())
        .containsExactly("call_Ab12", "call_Cd34");
    assertThat(toolEnds).extracting(e -> ((ToolMessage) data(e).get("output")).text())
        .containsExactly("\"sunny, 24C\"", "\"cloudy, 19C\"");
    for (StreamEvent e : List.of(modelStarts.get(0), modelStarts.get(1), toolStarts.get(0), toolStarts.get(1))) {
      assertThat(e.parentIds()).containsExactly(root.runId());
    }
    List<StreamEvent> lookups = collector.where(e -> e.event().equals("on_chain_start") && e.name().equals("lookup"));
    assertThat(lookups).extracting(e -> e.parentIds().get(e.parentIds().size() - 1))
        .containsExactly(toolStarts.get(0).runId(), toolStarts.get(1).runId());
    // order: model round 1, both tools, model round 2
    assertThat(modelStarts.get(0).seq()).isLessThan(toolStarts.get(0).seq());
    assertThat(toolEnds.get(1).seq()).isLessThan(modelStarts.get(1).seq());
    AIMessageChunk first = (AIMessageChunk) data(collector.named("on_chat_model_end").get(0)).get("output");
    assertThat(first.toolCallChunks()).extracting(c -> c.id()).containsExactly("call_Ab12", "call_Cd34");
    assertThat(first.usageMetadata()).as("the first stream carried no usage").isNull();
    AIMessageChunk second = (AIMessageChunk) data(collector.named("on_chat_model_end").get(1)).get("output");
    assertThat(second.usageMetadata()).isEqualTo(new UsageMetadata(88, 9, 97));
    // the second round's input carries the tool results as tool messages
    @SuppressWarnings("unchecked")
    List<List<BaseMessage>> in = (List<List<BaseMessage>>) ((Map<String, Object>) data(modelStarts.get(1)).get("input"))
        .get("messages");
    assertThat(in.get(0)).filteredOn(m -> m instanceof ToolMessage).extracting(m -> ((ToolMessage) m).toolCallId())
        .containsExactly("call_Ab12", "call_Cd34");
    assertThat(collector.events).allSatisfy(e -> assertThat(e.runId().equals(root.runId())
        || e.parentIds().contains(root.runId())).isTrue());
  }

  @Test
  void ragRetrievalIsARetrieverRunWithItsDocuments() {
    vectorStore.add(List.of(new org.springframework.ai.document.Document("paris-1", "Paris has the Louvre.", Map.of()),
        new org.springframework.ai.document.Document("rome-1", "Rome has the Colosseum.", Map.of())));
    collector.clear();
    REPLAY.sse("openai-text.sse");
    QuestionAnswerAdvisor rag = QuestionAnswerAdvisor.builder(vectorStore)
        .searchRequest(SearchRequest.builder().topK(1).build()).build();
    String answer = String.join("", chatClientBuilder.build().prompt().user("What is in Paris?").advisors(rag)
        .stream().content().collectList().block(Duration.ofSeconds(20)));
    flushed();

    assertThat(answer).isEqualTo("Hello!");
    StreamEvent root = collector.one("on_chain_start");
    StreamEvent start = collector.one("on_retriever_start");
    StreamEvent end = collector.one("on_retriever_end");
    assertThat(start.name()).isEqualTo("SimpleVectorStore");
    assertThat(start.parentIds()).containsExactly(root.runId());
    assertThat(start.metadata()).containsEntry("ls_retriever_name", "simplevectorstore");
    assertThat(data(start).get("input")).isEqualTo(Map.of("query", "What is in Paris?"));
    @SuppressWarnings("unchecked")
    List<Document> docs = (List<Document>) data(end).get("output");
    assertThat(docs).extracting(Document::pageContent).containsExactly("Paris has the Louvre.");
    assertThat(docs).extracting(Document::id).containsExactly("paris-1");
    assertThat(collector.one("on_chat_model_start").parentIds()).containsExactly(root.runId());
    assertThat(start.seq()).isLessThan(collector.one("on_chat_model_start").seq());
  }

  @Test
  void blockingModelCallIsAChatModelRunWithUsage() {
    REPLAY.json("openai-chat.json");
    String answer = chatModel.call("Say hello in French");
    flushed();

    assertThat(answer).isEqualTo("Bonjour!");
    assertThat(collector.named("on_chat_model_stream")).isEmpty();
    StreamEvent start = collector.one("on_chat_model_start");
    assertThat(start.parentIds()).isEmpty();
    assertThat(start.tags()).contains("spring-test");
    AIMessage out = (AIMessage) data(collector.one("on_chat_model_end")).get("output");
    assertThat(out.text()).isEqualTo("Bonjour!");
    assertThat(out.usageMetadata()).isEqualTo(new UsageMetadata(9, 2, 11));
    assertThat(out.id()).isEqualTo("chatcmpl-T3st04");
  }

  @Test
  void blockingChatClientCallNestsTheModelUnderTheChain() {
    REPLAY.json("openai-chat.json");
    String answer = chatClientBuilder.build().prompt().user("Say hello in French").call().content();
    flushed();

    assertThat(answer).isEqualTo("Bonjour!");
    StreamEvent root = collector.one("on_chain_start");
    assertThat(collector.one("on_chat_model_start").parentIds()).containsExactly(root.runId());
    assertThat(data(collector.one("on_chain_end")).get("output")).isEqualTo("Bonjour!");
  }

  @Test
  void eventsReachTheJsonlFileTheSpansAndTheDashboardAndABrokenSinkFailsNoRequest() throws Exception {
    REPLAY.sse("openai-text.sse");
    chatClientBuilder.build().prompt().user("Say hello").stream().content().collectList().block(Duration.ofSeconds(20));
    flushed();
    String runId = collector.one("on_chat_model_start").runId();

    List<String> lines = Files.readAllLines(DIR.resolve("events.jsonl"));
    assertThat(lines).anyMatch(l -> l.contains("\"on_chat_model_stream\"") && l.contains(runId)
        && l.contains("lo!"));
    assertThat(lines).anyMatch(l -> l.contains("\"on_chat_model_end\"") && l.contains(runId)
        && l.contains("\"trace_id\""));

    List<SpanData> ended = spans.getFinishedSpanItems();
    assertThat(ended).extracting(SpanData::getName).contains("chat gpt-4o-mini", "ChatClient");
    SpanData chain = ended.stream().filter(s -> s.getName().equals("ChatClient")).findFirst().orElseThrow();
    SpanData chat = ended.stream().filter(s -> s.getName().equals("chat gpt-4o-mini")).findFirst().orElseThrow();
    assertThat(chat.getParentSpanId()).isEqualTo(chain.getSpanId());
    assertThat(chat.getTraceId()).isEqualTo(chain.getTraceId());

    assertThat(dashboard.port()).isEqualTo(DASHBOARD_PORT);
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> runs = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + DASHBOARD_PORT + "/api/runs")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(runs.statusCode()).isEqualTo(200);
    assertThat(dashboard.stats().runs()).isGreaterThan(0);

    Map<String, SinkStats> sinks = tracewire.stats().stream().collect(Collectors.toMap(SinkStats::name, s -> s));
    assertThat(sinks.keySet()).contains("jsonl", "dashboard", "collector", "broken");
    assertThat(sinks.get("broken").failed()).isGreaterThan(0);
    assertThat(sinks.get("broken").delivered()).isZero();
    assertThat(sinks.get("jsonl").failed()).isZero();

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> reported = (List<Map<String, Object>>) endpoint.stats().get("sinks");
    assertThat(reported).extracting(m -> m.get("name")).contains("jsonl", "broken");
    assertThat(endpoint.stats()).containsKeys("otel", "dashboard");
    HealthIndicator h = health.get("tracewireHealthIndicator");
    assertThat(h.health().getStatus().getCode()).isEqualTo("UP");
    assertThat(h.health().getDetails()).containsKeys("jsonl", "broken");
    assertThat(Set.copyOf(lines).size()).isEqualTo(lines.size());
  }

  @Test
  void blockingToolCallingLoopIsChatModelToolChatModelUnderTheChain() {
    REPLAY.json("openai-tools.json").json("openai-after-tools.json");
    WeatherTools tools = new WeatherTools();
    String answer = chatClientBuilder.build().prompt().user("Weather in Paris?").tools(tools).call().content();
    flushed();

    assertThat(answer).isEqualTo("Paris is sunny at 24C.");
    StreamEvent root = collector.where(e -> e.event().equals("on_chain_start") && e.parentIds().isEmpty()).get(0);
    assertThat(collector.events).extracting(StreamEvent::event).containsSubsequence("on_chain_start",
        "on_chat_model_start", "on_chat_model_end", "on_tool_start", "on_chain_start", "on_chain_end", "on_tool_end",
        "on_chat_model_start",
        "on_chat_model_end", "on_chain_end");
    StreamEvent tool = collector.one("on_tool_start");
    assertThat(tool.parentIds()).containsExactly(root.runId());
    assertThat(((ToolMessage) data(collector.one("on_tool_end")).get("output")).toolCallId()).isEqualTo("call_Ef56");
    AIMessage first = (AIMessage) data(collector.named("on_chat_model_end").get(0)).get("output");
    assertThat(first.toolCalls()).extracting(tc -> tc.id()).containsExactly("call_Ef56");
    assertThat(first.toolCalls().get(0).args()).isEqualTo(Map.of("city", "Paris"));
    assertThat(first.usageMetadata()).isEqualTo(new UsageMetadata(61, 16, 77));
  }

  @Test
  void aProviderErrorEndsTheRunsWithTheErrorAndReachesTheCallerUnchanged() {
    REPLAY.error(400, "openai-400.json");
    ChatClient client = chatClientBuilder.build();
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
        () -> client.prompt().user("Say hello").call().content());
    flushed();

    assertThat(thrown).isNotNull().hasMessageContaining("temperature");
    StreamEvent modelError = collector.one("on_chat_model_error");
    StreamEvent chainError = collector.one("on_chain_error");
    assertThat(modelError.parentIds()).containsExactly(chainError.runId());
    assertThat(collector.named("on_chat_model_end")).isEmpty();
    assertThat(String.valueOf(data(modelError).get("error"))).doesNotContain("sk-test-not-a-secret");
    assertThat(collector.events.toString()).doesNotContain("sk-test-not-a-secret");
  }

  @Test
  void aStreamSubscribedOnAnotherThreadInsideATracedFunctionNestsUnderIt() {
    REPLAY.sse("openai-text.sse");
    ChatClient client = chatClientBuilder.build();
    List<String> pieces = Tracewire.trace("handler", () -> client.prompt().user("Say hello").stream().content()
        .subscribeOn(reactor.core.scheduler.Schedulers.parallel()).collectList().block(Duration.ofSeconds(20)));
    flushed();

    assertThat(String.join("", pieces)).isEqualTo("Hello!");
    StreamEvent handler = collector.where(e -> e.event().equals("on_chain_start") && e.name().equals("handler")).get(0);
    StreamEvent chat = collector.where(e -> e.event().equals("on_chain_start") && e.name().equals("ChatClient")).get(0);
    assertThat(chat.parentIds()).containsExactly(handler.runId());
    assertThat(collector.one("on_chat_model_start").parentIds()).containsExactly(handler.runId(), chat.runId());
  }

  @Test
  void retrievalAugmentationAdvisorOnItsTaskExecutorIsARetrieverRunUnderTheChain() {
    vectorStore.add(List.of(new org.springframework.ai.document.Document("rome-2", "Rome has the Pantheon.", Map.of())));
    collector.clear();
    REPLAY.json("openai-chat.json");
    var rag = org.springframework.ai.rag.advisor.RetrievalAugmentationAdvisor.builder()
        .documentRetriever(org.springframework.ai.rag.retrieval.search.VectorStoreDocumentRetriever.builder()
            .vectorStore(vectorStore).topK(1).similarityThreshold(0.0).build())
        .build();
    String answer = chatClientBuilder.build().prompt().user("What is in Rome?").advisors(rag).call().content();
    flushed();

    assertThat(answer).isEqualTo("Bonjour!");
    StreamEvent root = collector.one("on_chain_start");
    StreamEvent start = collector.one("on_retriever_start");
    assertThat(start.parentIds()).containsExactly(root.runId());
    @SuppressWarnings("unchecked")
    List<Document> docs = (List<Document>) data(collector.one("on_retriever_end")).get("output");
    assertThat(docs).extracting(Document::pageContent).containsExactly("Rome has the Pantheon.");
    assertThat(docs.get(0).metadata()).containsKey("score");
  }

  @Test
  void aCancelledStreamCancelsTheRuns() throws InterruptedException {
    REPLAY.sse("openai-text.sse");
    List<String> first = chatClientBuilder.build().prompt().user("Say hello").stream().content()
        .filter(s -> !s.isEmpty()).take(1).collectList().block(Duration.ofSeconds(20));
    // take(1) completes downstream first; the cancel may reach the runs a moment later, on another thread
    assertThat(collector.await("on_chain_cancel", Duration.ofSeconds(10))).isTrue();
    java.util.Set<String> terminal = Set.of("on_chat_model_cancel", "on_chat_model_end");
    assertThat(collector.await(e -> terminal.contains(e.event()), Duration.ofSeconds(10))).isTrue();
    flushed();

    assertThat(first).containsExactly("Hel");
    assertThat(collector.named("on_chain_cancel")).hasSize(1);
    assertThat(collector.named("on_chain_end")).isEmpty();
    // the model's stream may have completed inside Spring AI's buffers before the cancel reached it:
    // its run then ended normally; either way it has exactly one terminal event
    assertThat(collector.where(e -> terminal.contains(e.event()))).hasSize(1);
  }

  @Test
  void concurrentStreamedPromptsAreOneTreeEach() {
    int n = 4;
    for (int i = 0; i < n; i++) {
      REPLAY.sse("openai-text.sse");
    }
    ChatClient client = chatClientBuilder.build();
    List<String> answers = reactor.core.publisher.Flux.range(0, n)
        .flatMap(i -> client.prompt().user("Say hello " + i).stream().content()
            .subscribeOn(reactor.core.scheduler.Schedulers.parallel())
            .collectList().map(l -> String.join("", l)))
        .collectList().block(Duration.ofSeconds(30));
    flushed();

    assertThat(answers).hasSize(n).containsOnly("Hello!");
    List<StreamEvent> roots = collector.named("on_chain_start");
    assertThat(roots).hasSize(n).allSatisfy(r -> assertThat(r.parentIds()).isEmpty());
    for (StreamEvent root : roots) {
      List<StreamEvent> tree = collector.where(e -> e.runId().equals(root.runId())
          || e.parentIds().contains(root.runId()));
      assertThat(tree).filteredOn(e -> e.event().equals("on_chat_model_start")).hasSize(1);
      assertThat(tree).filteredOn(e -> e.event().equals("on_chat_model_stream")).hasSize(5);
      @SuppressWarnings("unchecked")
      String asked = ((List<BaseMessage>) ((Map<String, Object>) data(root).get("input")).get("messages")).get(0).text();
      StreamEvent modelStart = tree.stream().filter(e -> e.event().equals("on_chat_model_start")).findFirst().get();
      @SuppressWarnings("unchecked")
      List<List<BaseMessage>> modelIn = (List<List<BaseMessage>>) ((Map<String, Object>) data(modelStart).get("input"))
          .get("messages");
      assertThat(modelIn.get(0).get(0).text()).isEqualTo(asked);
    }
    List<String> rootIds = roots.stream().map(StreamEvent::runId).toList();
    assertThat(collector.events).filteredOn(e -> !rootIds.contains(e.runId()))
        .allSatisfy(e -> assertThat(e.parentIds()).containsExactly(e.parentIds().get(0)).first().isIn(rootIds));
  }
}
