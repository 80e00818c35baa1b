package io.tracewire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.core.Document;
import io.tracewire.core.SinkStats;
import io.tracewire.core.StreamEvent;
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
    events.forEach(e -> System.out.println("EVENT " + e));

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
}
