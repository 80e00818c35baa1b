package io.tracewire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracewire.core.Tracewire;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.otel.OtelBridge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Tracewire next to Spring's own observability, as most Boot apps run it: Micrometer tracing
 * over the OpenTelemetry bridge ({@code spring-boot-micrometer-tracing-opentelemetry},
 * {@code micrometer-tracing-bridge-otel}), Boot's OpenTelemetry SDK (one in-memory exporter
 * behind it) and Spring AI's observations, with the real Spring AI OpenAI client against
 * recorded OpenAI bytes. Tracewire's OpenTelemetry bridge reuses the application's SDK, and the
 * run context lives in the OpenTelemetry context (the default storage with tracewire-exporters).
 */
class SpringObservabilityTest {
  static final ProviderReplay REPLAY = new ProviderReplay();

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
    InMemorySpanExporter spanExporter() {
      return InMemorySpanExporter.create();
    }
  }

  /** A started application; command-line arguments, so they win over the test's application.properties. */
  private static ConfigurableApplicationContext app(String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "--spring.autoconfigure.exclude=",
        "--spring.main.web-application-type=none",
        "--spring.main.banner-mode=off",
        "--spring.application.name=weather-app",
        "--management.tracing.sampling.probability=1.0",
        "--spring.ai.model.chat=openai",
        "--spring.ai.model.embedding=none",
        "--spring.ai.openai.api-key=sk-test-not-a-secret",
        "--spring.ai.openai.chat.model=gpt-4o-mini",
        "--spring.ai.openai.base-url=" + REPLAY.url("/v1"),
        "--tracewire.otel.enabled=true"));
    Arrays.stream(extra).map(a -> "--" + a).forEach(args::add);
    return new SpringApplicationBuilder(App.class).run(args.toArray(String[]::new));
  }

  /** One blocking ChatClient prompt with a @Tool: model round, tool call, model round. */
  private static String askWithTool(ConfigurableApplicationContext ctx) {
    REPLAY.json("openai-tools.json").json("openai-after-tools.json");
    return ctx.getBean(ChatClient.Builder.class).build().prompt().user("Weather in Paris?").tools(new WeatherTools())
        .call().content();
  }

  private static List<StreamEvent> events(ConfigurableApplicationContext ctx) {
    assertThat(ctx.getBean(Tracewire.class).flush(Duration.ofSeconds(10))).isTrue();
    return new ArrayList<>(ctx.getBean(Collector.class).events);
  }

  private static List<SpanData> spans(ConfigurableApplicationContext ctx) {
    assertThat(ctx.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    return ctx.getBean(InMemorySpanExporter.class).getFinishedSpanItems();
  }

  private static boolean tracewire(SpanData s) {
    return s.getInstrumentationScopeInfo().getName().equals(OtelBridge.INSTRUMENTATION_SCOPE);
  }

  private static String describe(List<SpanData> spans) {
    return spans.stream().map(s -> (tracewire(s) ? "tw:" : "spring:") + s.getName() + "#" + s.getSpanId()
        + "<" + s.getParentSpanId()).collect(Collectors.joining(", "));
  }

  @Test
  void aBlockingChatClientCallWithAToolIsOneTreeUnderMicrometerTracing() {
    try (ConfigurableApplicationContext ctx = app()) {
      assertThat(askWithTool(ctx)).isEqualTo("Paris is sunny at 24C.");
      List<StreamEvent> events = events(ctx);

      List<StreamEvent> starts = events.stream().filter(e -> e.event().endsWith("_start")).toList();
      List<StreamEvent> roots = starts.stream().filter(e -> e.parentIds().isEmpty()).toList();
      assertThat(roots).as("roots").extracting(StreamEvent::name).containsExactly("ChatClient");
      String root = roots.get(0).runId();
      assertThat(starts).extracting(e -> e.event() + " " + e.name())
          .containsExactly("on_chain_start ChatClient", "on_chat_model_start OpenAiChatModel",
              "on_tool_start get_weather", "on_chain_start lookup", "on_chat_model_start OpenAiChatModel");
      assertThat(starts.get(1).parentIds()).containsExactly(root);
      assertThat(starts.get(2).parentIds()).containsExactly(root);
      assertThat(starts.get(3).parentIds()).containsExactly(root, starts.get(2).runId());
      assertThat(starts.get(4).parentIds()).containsExactly(root);
      assertThat(events).allSatisfy(e -> assertThat(e.runId().equals(root) || e.parentIds().contains(root)).isTrue());
    }
  }
}
