package io.tracewire.exporters.otel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.core.RunConfig;
import io.tracewire.core.retriever.BaseRetriever;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.tool.Tool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * End to end against a real Arize Phoenix (started by {@code .ci/run} through
 * {@code .ci/phoenix-lib.sh}): a prompt | chat model | parser chain, a tool and a retriever,
 * exported by a standalone bridge with {@code openInference(true)} and content capture, over
 * OTLP/HTTP and over OTLP/gRPC, each into its own project, then read back from Phoenix's REST API
 * ({@code GET /v1/projects/{project}/spans}, see docs/notes-phoenix-api.md): the span kinds Phoenix
 * derived and the OpenInference attributes it stored. Needs {@code TRACEWIRE_PHOENIX_URL},
 * {@code TRACEWIRE_PHOENIX_OTLP_HTTP_ENDPOINT} and {@code TRACEWIRE_PHOENIX_OTLP_GRPC_ENDPOINT};
 * without them it is skipped with a message, unless {@code -Dtracewire.requireExternal=true}.
 */
class PhoenixIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void phoenixShowsKindsModelsTokensAndContentOverHttpAndGrpc() throws Exception {
    Map<String, String> env = ExternalParts.require("PhoenixIT", "a running Arize Phoenix is missing; .ci/run starts "
        + "one with .ci/phoenix-lib.sh", "TRACEWIRE_PHOENIX_URL", "TRACEWIRE_PHOENIX_OTLP_HTTP_ENDPOINT",
        "TRACEWIRE_PHOENIX_OTLP_GRPC_ENDPOINT");
    String url = env.get("TRACEWIRE_PHOENIX_URL");
    Map<OtlpProtocol, String> endpoints = Map.of(OtlpProtocol.HTTP_PROTOBUF, env.get("TRACEWIRE_PHOENIX_OTLP_HTTP_ENDPOINT"),
        OtlpProtocol.GRPC, env.get("TRACEWIRE_PHOENIX_OTLP_GRPC_ENDPOINT"));
    for (OtlpProtocol protocol : OtlpProtocol.values()) {
      String project = "tracewire-oi-" + protocol.name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
      try (OtelBridge bridge = OtelBridge.builder().protocol(protocol).endpoint(endpoints.get(protocol))
          .serviceName("tracewire-phoenix-it").resourceAttribute("openinference.project.name", project)
          .openInference(true).captureContent(true).scheduleDelay(Duration.ofMillis(100)).shutdownHook(false).build()) {
        RunConfig traced = RunConfig.builder().listener(bridge).build();
        assertThat(OtlpExportTest.chain().invoke(Map.of("question", "What is a goldfish?"), traced)).isEqualTo("hi there");
        Tool.builder("get_weather").description("Weather").arg("city", "string", null)
            .function(a -> "sunny in " + a.get("city")).build()
            .invoke(Map.of("name", "get_weather", "args", Map.of("city", "Oslo"), "id", "call_1", "type", "tool_call"), traced);
        BaseRetriever.of("docs", q -> List.of(new Document("Goldfish live long.", Map.of("source", "a.md"), "doc-1")))
            .invoke("fish", traced);
        assertThat(bridge.flush(Duration.ofSeconds(10))).as("flush to Phoenix over %s", protocol).isTrue();
        assertThat(bridge.stats().spansExported()).isEqualTo(6);
      }
      Map<String, JsonNode> spans = spansOf(url, project, 6);

      assertThat(spans).as("spans of project %s", project).containsOnlyKeys("RunnableSequence", "ChatPromptTemplate",
          "chat gpt-4o", "StrOutputParser", "execute_tool get_weather", "retrieval docs");
      assertThat(kind(spans, "RunnableSequence")).isEqualTo("CHAIN");
      assertThat(kind(spans, "ChatPromptTemplate")).isEqualTo("PROMPT");
      assertThat(kind(spans, "StrOutputParser")).isEqualTo("CHAIN");
      assertThat(kind(spans, "chat gpt-4o")).isEqualTo("LLM");
      assertThat(kind(spans, "execute_tool get_weather")).isEqualTo("TOOL");
      assertThat(kind(spans, "retrieval docs")).isEqualTo("RETRIEVER");
      JsonNode root = spans.get("RunnableSequence");
      assertThat(root.path("parent_id").isNull()).isTrue();
      assertThat(spans.get("chat gpt-4o").path("parent_id").asText()).isEqualTo(root.path("context").path("span_id").asText());

      JsonNode chat = spans.get("chat gpt-4o").path("attributes");
      assertThat(chat.path("llm.model_name").asText()).isEqualTo("gpt-4o-2024-08-06");
      assertThat(chat.path("llm.provider").asText()).isEqualTo("openai");
      assertThat(chat.path("llm.token_count.prompt").asLong()).isEqualTo(12);
      assertThat(chat.path("llm.token_count.completion").asLong()).isEqualTo(5);
      assertThat(chat.path("llm.token_count.total").asLong()).isEqualTo(17);
      assertThat(chat.path("input.mime_type").asText()).isEqualTo("application/json");
      assertThat(chat.path("input.value").asText()).contains("What is a goldfish?");
      assertThat(chat.path("output.value").asText()).contains("hi there");
      assertThat(chat.path("llm.input_messages.1.message.role").asText()).isEqualTo("user");
      assertThat(chat.path("llm.input_messages.1.message.content").asText()).isEqualTo("What is a goldfish?");
      assertThat(chat.path("llm.output_messages.0.message.content").asText()).isEqualTo("hi there");
      JsonNode chain = root.path("attributes");
      assertThat(chain.path("output.value").asText()).isEqualTo("hi there");
      assertThat(chain.path("output.mime_type").asText()).isEqualTo("text/plain");
      JsonNode tool = spans.get("execute_tool get_weather").path("attributes");
      assertThat(tool.path("tool.name").asText()).isEqualTo("get_weather");
      assertThat(tool.path("output.value").asText()).isEqualTo("sunny in Oslo");
      JsonNode retriever = spans.get("retrieval docs").path("attributes");
      assertThat(retriever.path("retrieval.documents.0.document.id").asText()).isEqualTo("doc-1");
      assertThat(retriever.path("retrieval.documents.0.document.content").asText()).isEqualTo("Goldfish live long.");
      // Phoenix parses the metadata JSON string into keys of its own
      assertThat(retriever.path("retrieval.documents.0.document.metadata.source").asText()).isEqualTo("a.md");
    }
  }

  private static String kind(Map<String, JsonNode> spans, String name) {
    return spans.get(name).path("span_kind").asText();
  }

  /** Polls the project's spans until {@code expected} are there (Phoenix writes in batches); by name. */
  private static Map<String, JsonNode> spansOf(String url, String project, int expected) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI uri = URI.create(url + "/v1/projects/" + project + "/spans?limit=100&sort=start_time&order=asc");
    Map<String, JsonNode> byName = new HashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        byName.clear();
        for (JsonNode s : JSON.readTree(r.body()).path("data")) {
          byName.put(s.path("name").asText(), s);
        }
        if (byName.size() >= expected) {
          return byName;
        }
      }
      Thread.sleep(250);
    }
    return byName;
  }
}
