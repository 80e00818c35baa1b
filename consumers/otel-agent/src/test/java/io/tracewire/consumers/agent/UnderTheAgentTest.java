package io.tracewire.consumers.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.cli.Main;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link WeatherApp} in its own JVM with {@code -javaagent:opentelemetry-javaagent.jar} (the
 * agent from Maven Central): 24 users at once against replayed OpenAI streams over real HTTP (a
 * tool-call round, then the answer with usage). Then {@code tracewire validate} on the JSONL, the
 * exact tree per request, and one trace per request shared with the agent: the {@code traceparent}
 * the agent's OkHttp instrumentation sends to the provider carries the trace id Tracewire logged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnderTheAgentTest {
  static final int USERS = 24;
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern USER = Pattern.compile("user-\\d\\d");

  final Map<String, Set<String>> traceparentTraceIdsByUser = new ConcurrentHashMap<>();
  final Map<String, String> answers = new ConcurrentHashMap<>();
  final List<JsonNode> events = new ArrayList<>();
  String openTelemetry;
  Path jsonl;

  @BeforeAll
  void runTheAppUnderTheAgent() throws Exception {
    Path agent = Path.of(System.getProperty("consumer.javaagent", "target/agent/opentelemetry-javaagent.jar"));
    assertThat(agent).as("the agent jar the build copies from Maven Central").isRegularFile();
    Path dir = Files.createTempDirectory("consumer-otel-agent");
    jsonl = dir.resolve("events.jsonl");
    Path log = dir.resolve("app.err");
    try (MockWebServer provider = new MockWebServer()) {
      provider.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          String body = request.getBody() == null ? "{}" : request.getBody().utf8();
          boolean afterTools = false;
          try {
            for (JsonNode m : JSON.readTree(body).path("messages")) {
              afterTools |= m.path("role").asText().equals("tool");
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          Matcher user = USER.matcher(body);
          String traceparent = request.getHeaders().get("traceparent");
          if (user.find()) {
            traceparentTraceIdsByUser.computeIfAbsent(user.group(), u -> ConcurrentHashMap.newKeySet())
                .add(traceparent == null ? "none" : traceparent.split("-")[1]);
          }
          return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream; charset=utf-8")
              .body(resource(afterTools ? "openai-after-tools.sse" : "openai-tools.sse")).build();
        }
      });
      provider.start();
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-javaagent:" + agent, "-Dotel.javaagent.logging=simple", "-cp", System.getProperty("java.class.path"),
          WeatherApp.class.getName(), provider.url("/v1").toString(), jsonl.toString(), String.valueOf(USERS))
          .redirectError(log.toFile());
      pb.environment().put("OTEL_SERVICE_NAME", "consumer-otel-agent");
      pb.environment().put("OTEL_TRACES_EXPORTER", "none");
      pb.environment().put("OTEL_METRICS_EXPORTER", "none");
      pb.environment().put("OTEL_LOGS_EXPORTER", "none");
      Process app = pb.start();
      String out = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(app.waitFor(120, TimeUnit.SECONDS)).as("the app ends").isTrue();
      assertThat(app.exitValue()).as("exit code; stdout:\n%s\nstderr: %s", out, log).isZero();
      for (String line : out.split("\n")) {
        if (line.startsWith("ANSWER ")) {
          String[] p = line.split(" ", 3);
          answers.put(p[1], p[2]);
        } else if (line.startsWith("OPENTELEMETRY ")) {
          openTelemetry = line.substring("OPENTELEMETRY ".length());
        }
      }
    }
    for (String line : Files.readAllLines(jsonl)) {
      events.add(JSON.readTree(line));
    }
    System.out.printf("consumer otel-agent: %d concurrent requests under the agent (%s), %d JSONL events%n",
        answers.size(), openTelemetry, events.size());
  }

  @Test
  void theJsonlLogPassesTracewireValidate() {
    assertThat(Main.run("validate", jsonl.toString())).isZero();
  }

  @Test
  void everyRequestIsOneTreeWithItsTokensToolCallIdsAndUsage() {
    assertThat(answers).hasSize(USERS);
    assertThat(answers.values()).containsOnly("Paris is sunny, Rome is cloudy.");
    List<JsonNode> roots = events.stream().filter(e -> e.get("parent_ids").isEmpty()
        && e.get("event").asText().equals("on_chain_start")).toList();
    assertThat(roots).extracting(e -> e.get("name").asText()).hasSize(USERS).allMatch(n -> n.startsWith("request user-"));
    for (JsonNode root : roots) {
      String user = root.get("name").asText().substring("request ".length());
      List<JsonNode> tree = treeOf(root);
      assertThat(named(tree, "on_chat_model_start")).as(user).hasSize(2);
      assertThat(named(tree, "on_tool_start")).extracting(e -> e.get("name").asText())
          .containsExactly("get_weather", "get_weather");
      assertThat(named(tree, "on_tool_end")).extracting(e -> e.at("/data/output/tool_call_id").asText())
          .containsExactly("call_Ab12", "call_Cd34");
      List<JsonNode> modelEnds = named(tree, "on_chat_model_end");
      assertThat(modelEnds).hasSize(2);
      assertThat(modelEnds.get(0).at("/data/output/tool_calls")).extracting(c -> c.get("id").asText())
          .containsExactly("call_Ab12", "call_Cd34");
      JsonNode u = modelEnds.get(1).at("/data/output/usage_metadata");
      assertThat(List.of(u.path("input_tokens").asInt(), u.path("output_tokens").asInt(), u.path("total_tokens").asInt()))
          .as("usage of %s", user).containsExactly(88, 9, 97);
      StringBuilder tokens = new StringBuilder();
      for (JsonNode e : named(tree, "on_chat_model_stream")) {
        if (e.get("run_id").equals(modelEnds.get(1).get("run_id"))) {
          tokens.append(e.at("/data/chunk/content").asText());
        }
      }
      assertThat(tokens).as(user).hasToString("Paris is sunny, Rome is cloudy.");
      for (JsonNode e : tree) {
        USER.matcher(e.toString()).results().forEach(m -> assertThat(m.group()).as("event of %s: %s", user, e.get("event"))
            .isEqualTo(user));
      }
    }
  }

  @Test
  void everyRequestIsOneTraceSharedWithTheAgentsOkHttpSpans() {
    assertThat(openTelemetry).as("GlobalOpenTelemetry in the app is the agent's").startsWith("io.opentelemetry.javaagent.");
    List<JsonNode> roots = events.stream().filter(e -> e.get("parent_ids").isEmpty()
        && e.get("event").asText().equals("on_chain_start")).toList();
    Set<String> traces = roots.stream().map(r -> r.path("trace_id").asText()).collect(Collectors.toSet());
    assertThat(traces).as("one trace per request").hasSize(USERS).noneMatch(String::isEmpty);
    for (JsonNode root : roots) {
      String user = root.get("name").asText().substring("request ".length());
      String trace = root.get("trace_id").asText();
      assertThat(treeOf(root)).extracting(e -> e.path("trace_id").asText()).as(user).containsOnly(trace);
      assertThat(traceparentTraceIdsByUser.get(user)).as("traceparent trace ids the provider got for " + user)
          .containsExactly(trace);
    }
  }

  private List<JsonNode> treeOf(JsonNode root) {
    String id = root.get("run_id").asText();
    return events.stream().filter(x -> x.get("run_id").asText().equals(id)
        || x.get("parent_ids").toString().contains("\"" + id + "\"")).toList();
  }

  private static List<JsonNode> named(List<JsonNode> tree, String event) {
    return tree.stream().filter(e -> e.get("event").asText().equals(event)).toList();
  }

  private static String resource(String name) {
    try (InputStream in = UnderTheAgentTest.class.getResourceAsStream("/replay/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
