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
    for (String a : extra) {
      String key = a.substring(0, a.indexOf('=') + 1);
      args.removeIf(x -> x.startsWith("--" + key));
      args.add("--" + a);
    }
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

  /** The spans of one blocking ChatClient prompt with a @Tool in an application started with {@code extra}. */
  private static List<SpanData> spansOfOnePrompt(String... extra) {
    try (ConfigurableApplicationContext ctx = app(extra)) {
      assertThat(askWithTool(ctx)).isEqualTo("Paris is sunny at 24C.");
      events(ctx);
      List<SpanData> spans = spans(ctx);
      return spans;
    }
  }

  private static List<String> names(List<SpanData> spans) {
    return spans.stream().map(SpanData::getName).sorted().toList();
  }

  @Test
  void byDefaultSpringAiObservationSpansStandAndTracewireAddsOnlyTheRunsTheyDoNotCover() {
    List<SpanData> springAlone = spansOfOnePrompt("tracewire.otel.enabled=false");
    List<SpanData> both = spansOfOnePrompt();

    List<SpanData> ours = both.stream().filter(SpringObservabilityTest::tracewire).toList();
    List<SpanData> theirs = both.stream().filter(s -> !tracewire(s)).toList();
    assertThat(ours).as(describe(both)).extracting(SpanData::getName).containsExactly("lookup");
    assertThat(names(theirs)).as("Spring's spans, none repeated").isEqualTo(names(springAlone));
    assertThat(both).hasSize(springAlone.size() + 1);
    SpanData tool = theirs.stream().filter(s -> s.getName().contains("get_weather")).findFirst().orElseThrow();
    assertThat(ours.get(0).getParentSpanId()).as("the run traced inside the tool nests under Spring's tool span")
        .isEqualTo(tool.getSpanId());
    assertThat(both).extracting(SpanData::getTraceId).containsOnly(both.get(0).getTraceId());
    assertThat(both).filteredOn(s -> !s.getParentSpanContext().isValid()).hasSize(1);
  }

  @Test
  void withGenAiSpansTracewireSpringAiObservationsAreOffAndTracewireSpansAreOneTree() {
    List<SpanData> spans = spansOfOnePrompt("tracewire.otel.gen-ai-spans=tracewire");

    // Spring's HTTP client observations are not Spring AI's: they stay (a trace of their own here,
    // as Tracewire's spans are not made current by default)
    List<SpanData> http = spans.stream().filter(s -> s.getName().equals("POST")).toList();
    assertThat(http).hasSize(2).noneMatch(SpringObservabilityTest::tracewire);
    spans = spans.stream().filter(s -> !http.contains(s)).toList();
    assertThat(spans).as(describe(spans)).allMatch(SpringObservabilityTest::tracewire);
    assertThat(names(spans)).containsExactly("ChatClient", "chat gpt-4o-mini", "chat gpt-4o-mini",
        "execute_tool get_weather", "lookup");
    Map<String, SpanData> byName = spans.stream().collect(Collectors.toMap(SpanData::getName, s -> s, (a, b) -> a));
    String root = byName.get("ChatClient").getSpanId();
    assertThat(spans).filteredOn(s -> !s.getName().equals("ChatClient") && !s.getName().equals("lookup"))
        .allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(root));
    assertThat(byName.get("lookup").getParentSpanId()).isEqualTo(byName.get("execute_tool get_weather").getSpanId());
    assertThat(byName.get("ChatClient").getParentSpanContext().isValid()).isFalse();
  }

  @Test
  void withGenAiSpansBothEveryCallIsRecordedByBothSides() {
    List<SpanData> springAlone = spansOfOnePrompt("tracewire.otel.enabled=false");
    List<SpanData> both = spansOfOnePrompt("tracewire.otel.gen-ai-spans=both");

    assertThat(both.stream().filter(SpringObservabilityTest::tracewire)).hasSize(5);
    assertThat(both).hasSize(springAlone.size() + 5);
    assertThat(both).extracting(SpanData::getTraceId).containsOnly(both.get(0).getTraceId());
  }
}
