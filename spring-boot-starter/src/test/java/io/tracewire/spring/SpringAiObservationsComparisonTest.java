package io.tracewire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracewire.core.Tracewire;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.otel.OtelBridge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Where Spring AI's own observations fall short and what Tracewire gives instead, for the
 * evidence in docs/spring.md: one application (Micrometer tracing over the OpenTelemetry bridge,
 * Boot's SDK with an in-memory exporter, the real Spring AI OpenAI client against recorded OpenAI
 * streams), {@value #REQUESTS} streamed ChatClient prompts with a {@code @Tool} each (a streamed
 * tool-call round, then the streamed answer with usage), in two setups:
 *
 * <ul>
 *   <li>Spring: Spring AI's observations with {@code spring.ai.chat.observations.log-prompt} and
 *       {@code log-completion} on, Tracewire off;
 *   <li>Tracewire: {@code tracewire.otel.enabled=true}, {@code tracewire.otel.gen-ai-spans=tracewire}
 *       (Spring AI's observations off, Spring's HTTP client observations stay) and
 *       {@code tracewire.otel.content-capture=true}.
 * </ul>
 *
 * <p>Spring's behaviour is recorded on standard output (the {@code SPRING-AI-EVIDENCE} lines),
 * not asserted: it is Spring AI's to change. Tracewire's guarantees are asserted: one run tree
 * per prompt, its spans one trace in which every child ends no later than its parent, the prompt
 * and the completion on the model spans, and the time to the first chunk.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringAiObservationsComparisonTest {
  static final int REQUESTS = 12;
  static final String PROMPT = "Weather in Paris and Rome?";
  static final String ANSWER = "Paris is sunny, Rome is cloudy.";
  static final ProviderReplay REPLAY = new ProviderReplay();
  static final AttributeKey<Double> TTFC = AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk");
  static final AttributeKey<String> INPUT = AttributeKey.stringKey("gen_ai.input.messages");
  static final AttributeKey<String> OUTPUT = AttributeKey.stringKey("gen_ai.output.messages");

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
        "--spring.ai.openai.base-url=" + REPLAY.url("/v1")));
    for (String a : extra) {
      args.add("--" + a);
    }
    return new SpringApplicationBuilder(App.class).run(args.toArray(String[]::new));
  }

  /** {@value #REQUESTS} streamed prompts, one after the other; the spans of each, by trace of its first span. */
  private static List<SpanData> streamPrompts(ConfigurableApplicationContext ctx) {
    ChatClient client = ctx.getBean(ChatClient.Builder.class).build();
    for (int i = 0; i < REQUESTS; i++) {
      REPLAY.sse("openai-tools.sse").sse("openai-after-tools.sse");
      String answer = String.join("", client.prompt().user(PROMPT).tools(new WeatherTools()).stream().content()
          .collectList().block(Duration.ofSeconds(30)));
      assertThat(answer).isEqualTo(ANSWER);
    }
    if (ctx.getBeanNamesForType(Tracewire.class).length > 0) {
      assertThat(ctx.getBean(Tracewire.class).flush(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(ctx.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    return List.copyOf(ctx.getBean(InMemorySpanExporter.class).getFinishedSpanItems());
  }

  private static boolean tracewire(SpanData s) {
    return s.getInstrumentationScopeInfo().getName().equals(OtelBridge.INSTRUMENTATION_SCOPE);
  }

  /** Spring's HTTP client span of a provider call (Boot's RestClient/WebClient observation: {@code POST}). */
  private static boolean http(SpanData s) {
    return !tracewire(s) && (s.getName().equals("POST") || s.getName().startsWith("http ")
        || s.getAttributes().asMap().keySet().stream().anyMatch(k -> k.getKey().startsWith("http.")));
  }

  /** How far each span that has its parent among {@code spans} ends after that parent, in ms (negative: before). */
  private static List<Double> endsAfterParentMs(List<SpanData> spans) {
    Map<String, SpanData> byId = spans.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
    List<Double> d = new ArrayList<>();
    for (SpanData s : spans) {
      SpanData p = byId.get(s.getParentSpanId());
      if (p != null) {
        d.add((s.getEndEpochNanos() - p.getEndEpochNanos()) / 1e6);
      }
    }
    return d;
  }

  private static boolean mentions(SpanData s, String text) {
    if (s.getAttributes().asMap().values().stream().anyMatch(v -> String.valueOf(v).contains(text))) {
      return true;
    }
    for (EventData e : s.getEvents()) {
      if (e.getAttributes().asMap().values().stream().anyMatch(v -> String.valueOf(v).contains(text))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasTimeToFirstToken(SpanData s) {
    return s.getAttributes().asMap().keySet().stream().anyMatch(k -> k.getKey().contains("first"));
  }

  private static void evidence(String line, Object... args) {
    System.out.println("SPRING-AI-EVIDENCE " + String.format(Locale.ROOT, line, args));
  }

  private static String describe(List<SpanData> spans) {
    return spans.stream().map(s -> s.getName() + "#" + s.getSpanId() + "<" + s.getParentSpanId())
        .collect(Collectors.joining(", "));
  }

  @Test
  void springAiObservationsOfAStreamedPromptWithATool(CapturedOutput output) {
    List<SpanData> spans;
    try (ConfigurableApplicationContext ctx = app("tracewire.enabled=false",
        "spring.ai.chat.observations.log-prompt=true", "spring.ai.chat.observations.log-completion=true")) {
      spans = streamPrompts(ctx);
    }
    assertThat(spans).as("Spring AI's observations became spans").isNotEmpty().noneMatch(s -> tracewire(s));
    Set<String> ids = spans.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
    List<SpanData> httpSpans = spans.stream().filter(SpringAiObservationsComparisonTest::http).toList();
    long orphans = httpSpans.stream().filter(s -> !ids.contains(s.getParentSpanId())).count();
    long traces = spans.stream().map(SpanData::getTraceId).distinct().count();
    List<Double> late = endsAfterParentMs(spans);
    long lateCount = late.stream().filter(d -> d > 0).count();
    double maxLate = late.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    Map<String, SpanData> byId = spans.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
    Map<String, Double> latePairs = new java.util.TreeMap<>();
    for (SpanData c : spans) {
      SpanData p = byId.get(c.getParentSpanId());
      if (p != null && c.getEndEpochNanos() > p.getEndEpochNanos()) {
        latePairs.merge(c.getName() + " after " + p.getName(), (c.getEndEpochNanos() - p.getEndEpochNanos()) / 1e6,
            Math::max);
      }
    }
    String logs = output.getAll();
    evidence("setup=spring requests=%d spans=%d traces=%d", REQUESTS, spans.size(), traces);
    evidence("span names: %s", spans.stream().map(SpanData::getName).distinct().sorted().toList());
    evidence("http client spans=%d without their parent in the trace=%d (roots of traces of their own=%d)",
        httpSpans.size(), orphans, httpSpans.stream().filter(h -> !h.getParentSpanContext().isValid()).count());
    if (!httpSpans.isEmpty()) {
      evidence("an http client span: %s %s", httpSpans.get(0).getName(), httpSpans.get(0).getAttributes());
    }
    evidence("spans ending after their parent=%d of %d with a parent, by up to %.2f ms", lateCount, late.size(), maxLate);
    evidence("late child after parent, max ms: %s", latePairs);
    evidence("log-prompt: prompt in a span=%s, in the log=%s; log-completion: completion in a span=%s, in the log=%s",
        spans.stream().anyMatch(s -> mentions(s, "Paris and Rome")), logs.contains(PROMPT),
        spans.stream().anyMatch(s -> mentions(s, "sunny")), logs.contains(ANSWER) || logs.contains("Paris is sunny"));
    evidence("log lines of Spring AI's chat observation configuration: %s",
        logs.lines().filter(l -> l.contains("ChatObservationAutoConfiguration")).map(l -> l.length() > 240
            ? l.substring(l.length() - 240) : l).toList());
    evidence("time to first token on a span=%s", spans.stream().anyMatch(SpringAiObservationsComparisonTest::hasTimeToFirstToken));
    System.out.println("SPRING-AI-EVIDENCE spans of the last prompt: " + describe(
        spans.stream().filter(s -> s.getTraceId().equals(spans.get(spans.size() - 1).getTraceId())).toList()));
  }

  @Test
  void tracewireOfTheSameStreamedPromptsWithATool() {
    List<SpanData> spans;
    List<StreamEvent> events;
    try (ConfigurableApplicationContext ctx = app("tracewire.otel.enabled=true", "tracewire.otel.gen-ai-spans=tracewire",
        "tracewire.otel.content-capture=true")) {
      spans = streamPrompts(ctx);
      events = List.copyOf(ctx.getBean(Collector.class).events);
    }
    List<SpanData> ours = spans.stream().filter(SpringAiObservationsComparisonTest::tracewire).toList();
    List<SpanData> httpSpans = spans.stream().filter(SpringAiObservationsComparisonTest::http).toList();

    // one run tree per prompt: ChatClient > chat model, tool (> lookup), chat model
    List<StreamEvent> roots = events.stream().filter(e -> e.event().endsWith("_start") && e.parentIds().isEmpty()).toList();
    assertThat(roots).hasSize(REQUESTS).extracting(StreamEvent::name).containsOnly("ChatClient");
    Set<String> rootIds = roots.stream().map(StreamEvent::runId).collect(Collectors.toSet());
    assertThat(events).allSatisfy(e -> assertThat(rootIds.contains(e.runId())
        || (!e.parentIds().isEmpty() && rootIds.contains(e.parentIds().get(0)))).as(e.toString()).isTrue());

    // Tracewire's spans: one trace per prompt, every parent present, no child ending after its parent
    Map<String, List<SpanData>> byTrace = ours.stream().collect(Collectors.groupingBy(SpanData::getTraceId));
    assertThat(byTrace).hasSize(REQUESTS);
    for (List<SpanData> trace : byTrace.values()) {
      assertThat(trace).as(describe(trace)).extracting(SpanData::getName).containsExactlyInAnyOrder("ChatClient",
          "chat gpt-4o-mini", "chat gpt-4o-mini", "execute_tool get_weather", "execute_tool get_weather", "lookup",
          "lookup");
      Set<String> ids = trace.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
      assertThat(trace).filteredOn(s -> !s.getName().equals("ChatClient"))
          .allSatisfy(s -> assertThat(ids).contains(s.getParentSpanId()));
    }
    List<Double> late = endsAfterParentMs(ours);
    assertThat(late).hasSize(ours.size() - REQUESTS).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(0.0));

    // the content on the model spans, and the time to the first chunk of each streamed round
    List<SpanData> models = ours.stream().filter(s -> s.getName().startsWith("chat ")).toList();
    assertThat(models).hasSize(2 * REQUESTS).allSatisfy(s -> {
      assertThat(s.getAttributes().get(INPUT)).contains(PROMPT);
      assertThat(s.getAttributes().get(TTFC)).isPositive()
          .isLessThanOrEqualTo((s.getEndEpochNanos() - s.getStartEpochNanos()) / 1e9);
    });
    assertThat(models).anySatisfy(s -> assertThat(s.getAttributes().get(OUTPUT)).contains(ANSWER));
    double[] ttfc = models.stream().mapToDouble(s -> s.getAttributes().get(TTFC) * 1e3).sorted().toArray();

    long orphans = httpSpans.stream().filter(s -> ours.stream().noneMatch(o -> o.getSpanId().equals(s.getParentSpanId())))
        .count();
    evidence("setup=tracewire requests=%d tracewire spans=%d traces=%d", REQUESTS, ours.size(), byTrace.size());
    evidence("tracewire: run trees=%d (one root each), spans ending after their parent=0 of %d", roots.size(), late.size());
    evidence("tracewire: prompt and completion on the chat spans (content capture), time to first chunk %.2f..%.2f ms",
        ttfc[0], ttfc[ttfc.length - 1]);
    evidence("tracewire setup: Spring's http client spans=%d, outside Tracewire's trace=%d (not made current by"
        + " default; Tracewire's model run carries the request instead)", httpSpans.size(), orphans);
  }
}
