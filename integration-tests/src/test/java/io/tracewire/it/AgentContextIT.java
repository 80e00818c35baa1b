package io.tracewire.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracewire.adapters.Replay;
import io.tracewire.exporters.otel.OtlpHttpReceiver;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end under the real OpenTelemetry Java agent (fetched by this module's build into
 * {@code target/agent}): {@link AgentApp} runs in a forked JVM with {@code -javaagent}, serves
 * one request on the agent-instrumented JDK HttpServer, and inside it runs prompt | model on a
 * plain executor | parser with the real ChatOpenAI (OkHttp) against a MockWebServer replaying
 * an OpenAI SSE stream. The agent exports to a real OTLP/HTTP receiver in this JVM.
 *
 * <p>It asserts one trace: the agent's SERVER span, the chain's spans from the Tracewire bridge
 * under it, the chat span under the executor step (the parent crossed threads through the
 * agent's executor instrumentation only, without {@code RunContext.wrap}), the agent's OkHttp
 * CLIENT span under the chat span; nothing else, no orphan; the JSONL log on the same trace with
 * the exact parent chain on every event; the provider saw the trace in {@code traceparent}.
 *
 * <p>Without the agent jar (the build did not run {@code generate-test-resources}) it is skipped
 * with a message, or fails when {@code -Dtracewire.requireExternal=true}.
 */
class AgentContextIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRACEWIRE_SCOPE = "io.tracewire.exporters.otel";

  @TempDir
  Path dir;
  private OtlpHttpReceiver receiver;
  private MockWebServer provider;
  private Process app;

  @BeforeEach
  void setUp() throws Exception {
    receiver = new OtlpHttpReceiver(false);
    provider = new MockWebServer();
    provider.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (app != null && app.isAlive()) {
      app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    provider.close();
    receiver.close();
  }

  private static Path agentJar() {
    String p = System.getProperty("tracewire.otel.javaagent");
    Path jar = p == null ? null : Path.of(p);
    if (jar == null || !Files.isRegularFile(jar)) {
      String msg = "AgentContextIT skipped: the OpenTelemetry Java agent jar is missing (" + p + "); "
          + "build with `mvn -pl integration-tests -am verify`, which copies it from Maven Central into target/agent";
      System.out.println(msg);
      if (Boolean.getBoolean("tracewire.requireExternal")) {
        throw new AssertionError(msg);
      }
      Assumptions.abort(msg);
    }
    return jar;
  }

  @Test
  void oneTraceFromTheAgentsServerSpanThroughTheChainToTheAgentsOkHttpSpan() throws Exception {
    Path agent = agentJar();
    provider.enqueue(Replay.stream(Replay.resource("openai-text.sse"), "text/event-stream", 64).build());
    Path jsonl = dir.resolve("events.jsonl");
    Path log = dir.resolve("app.log");

    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + agent,
        "-Dotel.javaagent.logging=simple"));
    String storage = System.getProperty("tracewire.it.appStorage");
    if (storage != null && !storage.isBlank()) {
      cmd.add("-Dtracewire.context.storage=" + storage);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentApp.class.getName(),
        provider.url("/").toString(), jsonl.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("OTEL_SERVICE_NAME", "tracewire-agent-it");
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.baseUrl());
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    env.put("OTEL_TRACES_EXPORTER", "otlp");
    env.put("OTEL_METRICS_EXPORTER", "none");
    env.put("OTEL_LOGS_EXPORTER", "none");
    env.put("OTEL_TRACES_SAMPLER", "always_on");
    env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
    app = pb.start();

    BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
    String ready = out.readLine();
    assertThat(ready).as("the app's first line (its log: " + log + ")\n" + tail(log)).startsWith("READY ");
    String[] r = ready.split(" ");
    int port = Integer.parseInt(r[1]);
    String appStorage = r[2];

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat"))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    String[] body = res.body().split("\n");
    assertThat(body[0]).isEqualTo("Hello!");
    String serverTraceId = body[1];
    String currentAfterChain = body[2];
    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stop")).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("the app exits after /stop").isTrue();
    assertThat(app.exitValue()).as(tail(log)).isZero();

    // ---- spans, as the agent exported them over OTLP
    List<Span> spans = new ArrayList<>();
    Map<Span, String> scopeOf = new HashMap<>();
    for (ResourceSpans rs : receiver.received) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          spans.add(s);
          scopeOf.put(s, ss.getScope().getName());
        }
      }
    }
    assertThat(spans).as("spans exported (app log:\n" + tail(log) + ")").isNotEmpty();
    StringBuilder summary = new StringBuilder();
    for (Span s : spans) {
      summary.append('\n').append(hex(s.getTraceId().toByteArray())).append(' ').append(hex(s.getSpanId().toByteArray()))
          .append(" <- ").append(hex(s.getParentSpanId().toByteArray())).append(' ').append(s.getKind()).append(' ')
          .append(s.getName());
    }
    // the /stop request is a trace of its own: one SERVER span, so nothing stayed current on the server thread
    List<Span> stop = spans.stream().filter(s -> s.getName().equals("GET /stop")).toList();
    assertThat(stop).as("the /stop request's own SERVER span:" + summary).hasSize(1);
    String stopTrace = hex(stop.get(0).getTraceId().toByteArray());
    assertThat(spans).as("spans of the /stop trace:" + summary)
        .filteredOn(s -> hex(s.getTraceId().toByteArray()).equals(stopTrace)).containsExactly(stop.get(0));
    spans.remove(stop.get(0));
    String traceId = serverTraceId;
    assertThat(spans).as("one trace for /chat:" + summary)
        .allSatisfy(s -> assertThat(hex(s.getTraceId().toByteArray())).isEqualTo(traceId));
    Map<String, Span> byId = new LinkedHashMap<>();
    for (Span s : spans) {
      assertThat(byId.put(hex(s.getSpanId().toByteArray()), s)).as("duplicate span id").isNull();
    }

    List<Span> server = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).toList();
    assertThat(server).as("one SERVER span from the agent").hasSize(1);
    Span serverSpan = server.get(0);
    assertThat(serverSpan.getParentSpanId().isEmpty()).as("the SERVER span is the root").isTrue();
    assertThat(currentAfterChain).as("the current span in the handler after the chain (no scope left open)")
        .isEqualTo(hex(serverSpan.getSpanId().toByteArray()));
    List<Span> clients = spans.stream()
        .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT && !TRACEWIRE_SCOPE.equals(scopeOf.get(s))).toList();
    assertThat(clients).as("one CLIENT span from the agent's OkHttp instrumentation").hasSize(1);
    Span client = clients.get(0);
    assertThat(scopeOf.get(client)).contains("okhttp");

    // ---- the JSONL log: the run tree with its trace links
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(jsonl)) {
      lines.add(JSON.readTree(line));
    }
    Map<String, String> runName = new LinkedHashMap<>();
    for (JsonNode l : lines) {
      runName.putIfAbsent(l.get("run_id").asText(), l.get("name").asText());
    }
    assertThat(runName.values()).containsExactly("RunnableSequence", "ChatPromptTemplate", "model_on_executor",
        "ChatOpenAI", "StrOutputParser");
    Map<String, String> idOf = new HashMap<>();
    runName.forEach((id, name) -> idOf.put(name, id));
    String seq = idOf.get("RunnableSequence");
    Map<String, List<String>> expectedParents = Map.of(
        "RunnableSequence", List.of(),
        "ChatPromptTemplate", List.of(seq),
        "model_on_executor", List.of(seq),
        "ChatOpenAI", List.of(seq, idOf.get("model_on_executor")),
        "StrOutputParser", List.of(seq));
    Map<String, String> spanOfRun = new HashMap<>();
    for (JsonNode l : lines) {
      String name = l.get("name").asText();
      List<String> parents = new ArrayList<>();
      l.get("parent_ids").forEach(p -> parents.add(p.asText()));
      assertThat(parents).as("parent_ids of " + l.get("event").asText() + " " + name).isEqualTo(expectedParents.get(name));
      assertThat(l.path("trace_id").asText()).as("trace_id of " + l.get("event").asText() + " " + name).isEqualTo(traceId);
      String spanId = l.path("span_id").asText();
      String prev = spanOfRun.putIfAbsent(l.get("run_id").asText(), spanId);
      assertThat(prev == null || prev.equals(spanId)).as("one span per run").isTrue();
    }

    // ---- the span tree: exactly SERVER -> chain (bridge) -> chat -> CLIENT, nothing else
    Map<String, String> runOfSpan = new HashMap<>();
    spanOfRun.forEach((run, span) -> runOfSpan.put(span, run));
    assertThat(spans).as("SERVER + 5 Tracewire runs + CLIENT, no other span").hasSize(7);
    for (Span s : spans) {
      String id = hex(s.getSpanId().toByteArray());
      String parent = hex(s.getParentSpanId().toByteArray());
      if (s == serverSpan) {
        continue;
      }
      assertThat(byId).as("parent of " + s.getName() + " was exported (no orphan)").containsKey(parent);
      if (s == client) {
        assertThat(parent).as("the OkHttp CLIENT span's parent is the chat span").isEqualTo(spanOfRun.get(idOf.get("ChatOpenAI")));
        continue;
      }
      assertThat(scopeOf.get(s)).isEqualTo(TRACEWIRE_SCOPE);
      String run = runOfSpan.get(id);
      assertThat(run).as("span " + s.getName() + " belongs to a logged run").isNotNull();
      List<String> parents = expectedParents.get(runName.get(run));
      String expectedParentSpan = parents.isEmpty() ? hex(serverSpan.getSpanId().toByteArray())
          : spanOfRun.get(parents.get(parents.size() - 1));
      assertThat(parent).as("parent span of " + s.getName()).isEqualTo(expectedParentSpan);
    }

    // ---- the provider saw the trace: the agent injected traceparent from the CLIENT span
    RecordedRequest req = provider.takeRequest(5, TimeUnit.SECONDS);
    assertThat(req).isNotNull();
    String traceparent = req.getHeaders().get("traceparent");
    assertThat(traceparent).as("traceparent (the flags vary with the agent's W3C level)")
        .startsWith("00-" + traceId + "-" + hex(client.getSpanId().toByteArray()) + "-");
    assertThat(req.getHeaders().get("Authorization")).isEqualTo("Bearer sk-it-not-a-real-key");
    assertThat(Files.readString(jsonl)).doesNotContain("sk-it-not-a-real-key");
    assertThat(appStorage).as("run-context storage in the app").isEqualTo("otel");
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static String tail(Path log) {
    try {
      if (!Files.exists(log)) {
        return "(no log)";
      }
      List<String> l = Files.readAllLines(log);
      return String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
    } catch (Exception e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @SuppressWarnings("unused")
  private static String classpath() {
    return System.getProperty("java.class.path").replace(File.pathSeparatorChar, '\n');
  }
}
