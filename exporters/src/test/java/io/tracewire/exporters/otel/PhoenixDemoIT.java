package io.tracewire.exporters.otel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.SpanContext;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.Tracewire;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.runnable.Runnable;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * End to end against a real Arize Phoenix (started by {@code .ci/phoenix-lib.sh}, see
 * {@code docs/notes-phoenix-api.md}): chains exported by a standalone {@link OtelBridge} with
 * OpenInference attributes and content capture on, over OTLP/HTTP to Phoenix's trace endpoint, into
 * a project of the test's own (resource attribute {@code openinference.project.name}); then
 * Phoenix's REST API is polled until the trace is stored and the spans, their kinds, token counts,
 * content and the exact parent tree are compared with what was sent. (The attribute mapping per
 * transport, HTTP and gRPC, is {@link PhoenixIT}'s; this test is the issue-17 acceptance run of the
 * streamed demo chain and of the tool and retriever chain.)
 *
 * <p>Needs {@code TRACEWIRE_PHOENIX_URL} and {@code TRACEWIRE_PHOENIX_OTLP_HTTP_ENDPOINT}; skipped
 * with a message without them, failed instead under {@code -Dtracewire.requireExternal=true}.
 */
class PhoenixDemoIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final List<StreamEvent> seen = new CopyOnWriteArrayList<>();

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Runnable<Map<String, Object>, String> demoChain() {
    return ChatPromptTemplate.of(ChatPromptTemplate.system("You are a cat"), ChatPromptTemplate.human("{question}"))
        .pipe((Runnable) new ChatOpenAI(true, () -> { }, "hi", " there")).pipe((Runnable) new StrOutputParser());
  }

  @Test
  void demoChainShowsUpInPhoenixWithSpanKindsTokenCountsAndTheExactTree() throws Exception {
    Externals.Phoenix phoenix = Externals.phoenix();
    String project = "tracewire-e2e-demo-" + CollectorIT.shortId();
    Exported run = export(phoenix, project, () -> {
      StringBuilder out = new StringBuilder();
      try (CloseableIterator<String> it = demoChain().stream(Map.of("question", DemoChain.QUESTION),
          RunConfig.builder().runName("demo_chain").build())) {
        it.forEachRemaining(out::append);
      }
      return out.toString();
    });
    assertThat(run.output()).isEqualTo("hi there");

    Map<String, JsonNode> byRun = assertTree(phoenix, project, run, 4);
    Map<String, String> kinds = kindsByName(byRun);
    assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of("demo_chain", "CHAIN", "ChatPromptTemplate", "PROMPT",
        "chat gpt-4o", "LLM", "StrOutputParser", "CHAIN"));

    JsonNode llm = spanNamed(byRun, "chat gpt-4o");
    JsonNode a = llm.path("attributes");
    assertThat(a.path("llm.token_count.prompt").asLong()).isEqualTo(12);
    assertThat(a.path("llm.token_count.completion").asLong()).isEqualTo(5);
    assertThat(a.path("llm.token_count.total").asLong()).isEqualTo(17);
    assertThat(a.path("llm.model_name").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(a.path("llm.provider").asText()).isEqualTo("openai");
    assertThat(a.path("input.value").asText()).contains(DemoChain.QUESTION);
    assertThat(a.path("output.value").asText()).contains("hi there");
    assertThat(llm.path("status_code").asText()).isNotEqualTo("ERROR");
    JsonNode root = spanNamed(byRun, "demo_chain");
    assertThat(root.path("attributes").path("output.value").asText()).isEqualTo("hi there");
    assertThat(root.path("attributes").path("input.value").asText()).contains(DemoChain.QUESTION);

    // Phoenix's own roll-up of the trace: the LLM span's tokens
    JsonNode trace = traceSummary(phoenix, project, run.traceId());
    assertThat(trace.path("token_count_prompt").asLong()).isEqualTo(12);
    assertThat(trace.path("token_count_completion").asLong()).isEqualTo(5);
    assertThat(trace.path("token_count_total").asLong()).isEqualTo(17);
    System.out.printf("PhoenixDemoIT demo: trace %s with %d spans verified in project %s at %s%n", run.traceId(), byRun.size(),
        project, phoenix.url());
  }

  @Test
  void toolAndRetrieverChainShowsUpInPhoenixWithToolAndRetrieverSpans() throws Exception {
    Externals.Phoenix phoenix = Externals.phoenix();
    String project = "tracewire-e2e-tools-" + CollectorIT.shortId();
    Exported run = export(phoenix, project, () -> DemoChain.runStreaming(RunConfig.builder().runName("demo_chain").build()));
    assertThat(run.output()).isEqualTo(DemoChain.OUTPUT);

    Map<String, JsonNode> byRun = assertTree(phoenix, project, run, DemoChain.RUNS_PER_CHAIN);
    Map<String, String> kinds = kindsByName(byRun);
    assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of("demo_chain", "CHAIN", "ChatPromptTemplate", "PROMPT",
        "chat gpt-4o", "LLM", "StrOutputParser", "CHAIN", "research", "CHAIN", "execute_tool get_weather", "TOOL",
        "retrieval fish_docs", "RETRIEVER"));

    JsonNode tool = spanNamed(byRun, "execute_tool get_weather").path("attributes");
    assertThat(tool.path("tool.name").asText()).isEqualTo("get_weather");
    assertThat(tool.path("input.value").asText()).contains("Oslo");
    assertThat(tool.path("output.value").asText()).contains("sunny in Oslo");

    JsonNode retriever = spanNamed(byRun, "retrieval fish_docs").path("attributes");
    assertThat(retriever.path("input.value").asText()).contains(DemoChain.QUESTION);
    assertThat(documentContents(retriever)).containsExactly("Goldfish are freshwater fish.", "Goldfish can live for decades.");
    // Phoenix parses the documents' JSON metadata into keys of their own
    assertThat(retriever.path("retrieval.documents.0.document.metadata.source").asText()).isEqualTo("a.md");
    assertThat(retriever.path("retrieval.documents.1.document.metadata.source").asText()).isEqualTo("b.md");

    JsonNode llm = spanNamed(byRun, "chat gpt-4o").path("attributes");
    assertThat(llm.path("llm.token_count.prompt").asLong()).isEqualTo(12);
    assertThat(llm.path("llm.token_count.completion").asLong()).isEqualTo(5);
    assertThat(spanNamed(byRun, "demo_chain").path("attributes").path("output.value").asText()).isEqualTo(DemoChain.OUTPUT);
    System.out.printf("PhoenixDemoIT tools: trace %s with %d spans verified in project %s at %s%n", run.traceId(), byRun.size(),
        project, phoenix.url());
  }

  // ---------------------------------------------------------------------------------------------

  record Exported(String output, String traceId, Map<String, String> spanIdOfRun, Map<String, String> parentRunOf) {}

  /** Runs {@code body} with a fresh bridge exporting to {@code project}, flushes, and returns what was sent. */
  private Exported export(Externals.Phoenix phoenix, String project, java.util.function.Supplier<String> body) {
    seen.clear();
    OtelBridge bridge = OtelBridge.builder().endpoint(phoenix.otlpHttpEndpoint()).protocol(OtlpProtocol.HTTP_PROTOBUF)
        .serviceName("tracewire-phoenix-it").resourceAttribute("openinference.project.name", project)
        .openInference(true).captureContent(true).crossLinks(true).scheduleDelay(Duration.ofMillis(100))
        .shutdownHook(false).build();
    String out;
    Map<String, String> spanIds = new LinkedHashMap<>();
    Map<String, String> parents = new LinkedHashMap<>();
    String traceId = null;
    try (Tracewire tw = Tracewire.builder().listener(bridge).listener(seen::add).install()) {
      out = body.get();
      for (StreamEvent e : seen) {
        if (!e.isCustom() && e.event().endsWith("_start")) {
          SpanContext sc = bridge.spanContextOf(e.runId());
          assertThat(sc).as("span of %s", e.name()).isNotNull();
          spanIds.put(e.runId(), sc.getSpanId());
          parents.put(e.runId(), e.parentIds().isEmpty() ? null : e.parentIds().get(e.parentIds().size() - 1));
          if (e.parentIds().isEmpty()) {
            traceId = sc.getTraceId();
          }
        }
      }
      assertThat(bridge.flush(WAIT)).as("export to Phoenix").isTrue();
      assertThat(bridge.stats().spansExported()).isEqualTo(spanIds.size());
    } finally {
      bridge.close();
    }
    return new Exported(out, traceId, spanIds, parents);
  }

  /** Polls Phoenix until the trace has {@code n} spans; asserts ids and the exact tree; returns the spans by run id. */
  private static Map<String, JsonNode> assertTree(Externals.Phoenix phoenix, String project, Exported run, int n)
      throws Exception {
    assertThat(run.spanIdOfRun()).hasSize(n);
    URI uri = URI.create(phoenix.url() + "/v1/projects/" + URLEncoder.encode(project, StandardCharsets.UTF_8)
        + "/spans?trace_id=" + run.traceId() + "&limit=1000&sort=start_time&order=asc");
    JsonNode data = poll(uri, d -> d.size() >= n);
    assertThat(data).as("spans of trace %s in Phoenix (%s)", run.traceId(), uri).isNotNull();
    Thread.sleep(500);
    data = get(uri).path("data");
    assertThat(data.size()).as("spans of trace %s", run.traceId()).isEqualTo(n);

    Map<String, JsonNode> byRun = new HashMap<>();
    Map<String, String> runOfSpan = new HashMap<>();
    for (JsonNode s : data) {
      String runId = s.path("attributes").path("tracewire.run.id").asText();
      assertThat(byRun.put(runId, s)).as("one span for run %s", runId).isNull();
      runOfSpan.put(s.path("context").path("span_id").asText(), runId);
      assertThat(s.path("context").path("trace_id").asText()).isEqualTo(run.traceId());
    }
    assertThat(byRun.keySet()).containsExactlyInAnyOrderElementsOf(run.spanIdOfRun().keySet());
    for (Map.Entry<String, JsonNode> e : byRun.entrySet()) {
      JsonNode s = e.getValue();
      assertThat(s.path("context").path("span_id").asText()).isEqualTo(run.spanIdOfRun().get(e.getKey()));
      String parentRun = run.parentRunOf().get(e.getKey());
      if (parentRun == null) {
        assertThat(s.path("parent_id").isNull()).as("%s is the root", s.path("name").asText()).isTrue();
      } else {
        assertThat(s.path("parent_id").asText()).as("parent of %s", s.path("name").asText())
            .isEqualTo(run.spanIdOfRun().get(parentRun));
      }
    }
    return byRun;
  }

  private static Map<String, String> kindsByName(Map<String, JsonNode> byRun) {
    Map<String, String> m = new HashMap<>();
    for (JsonNode s : byRun.values()) {
      assertThat(m.put(s.path("name").asText(), s.path("span_kind").asText())).as("span names are unique").isNull();
    }
    return m;
  }

  private static JsonNode spanNamed(Map<String, JsonNode> byRun, String name) {
    return byRun.values().stream().filter(s -> s.path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no span named " + name));
  }

  /** The documents' content, whether Phoenix keeps the flat keys or folds them into a list. */
  private static List<String> documentContents(JsonNode attributes) {
    JsonNode list = attributes.path("retrieval.documents");
    if (list.isArray()) {
      return java.util.stream.StreamSupport.stream(list.spliterator(), false)
          .map(d -> d.has("document.content") ? d.path("document.content").asText() : d.path("document").path("content").asText())
          .toList();
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; attributes.has("retrieval.documents." + i + ".document.content"); i++) {
      out.add(attributes.path("retrieval.documents." + i + ".document.content").asText());
    }
    if (out.isEmpty()) {
      throw new AssertionError("no retrieval.documents in " + attributes);
    }
    return out;
  }

  private static JsonNode traceSummary(Externals.Phoenix phoenix, String project, String traceId) throws Exception {
    URI uri = URI.create(phoenix.url() + "/v1/projects/" + URLEncoder.encode(project, StandardCharsets.UTF_8)
        + "/traces?limit=100");
    JsonNode data = poll(uri, d -> find(d, traceId) != null);
    assertThat(data).as("trace %s in %s", traceId, uri).isNotNull();
    return find(data, traceId);
  }

  private static JsonNode find(JsonNode traces, String traceId) {
    for (JsonNode t : traces) {
      if (t.path("trace_id").asText().equals(traceId)) {
        return t;
      }
    }
    return null;
  }

  private static JsonNode poll(URI uri, java.util.function.Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode body = get(uri);
      if (body != null && done.test(body.path("data"))) {
        return body.path("data");
      }
      Thread.sleep(250);
    }
    return null;
  }

  /** The JSON answer, or null while Phoenix answers anything but 200 (404 until the project exists). */
  private static JsonNode get(URI uri) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? CollectorFiles.JSON.readTree(r.body()) : null;
  }
}
