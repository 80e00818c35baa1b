package io.tracewire.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.api.trace.SpanContext;
import io.tracewire.core.RunConfig;
import io.tracewire.core.Tracewire;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.exporters.otel.OtelBridge;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Jaeger trace across an MCP client (this JVM) and the SDK's server in a forked JVM over
 * stdio, each exporting through its own OtelBridge as its own service: the client span
 * {@code tools/call get_weather} (kind client) is the parent of the server span of the same name
 * (kind server), which is the parent of the server's chain. Needs
 * {@code TRACEWIRE_JAEGER_OTLP_ENDPOINT} and {@code TRACEWIRE_JAEGER_QUERY_URL} (set by
 * {@code .ci/run} after starting Jaeger); without them it is skipped with a message, unless
 * {@code -Dtracewire.requireExternal=true} or {@code -Dtracewire.jaeger.required=true}.
 */
class McpJaegerIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anMcpToolCallAcrossTwoProcessesIsOneTraceInJaeger(@TempDir Path dir) throws Exception {
    String otlp = System.getenv("TRACEWIRE_JAEGER_OTLP_ENDPOINT");
    String query = System.getenv("TRACEWIRE_JAEGER_QUERY_URL");
    if (otlp == null || query == null) {
      String msg = "McpJaegerIT skipped: TRACEWIRE_JAEGER_OTLP_ENDPOINT and TRACEWIRE_JAEGER_QUERY_URL are not set "
          + "(a running Jaeger is missing); .ci/run starts one (see .ci/jaeger-lib.sh)";
      System.out.println(msg);
      if (Boolean.getBoolean("tracewire.requireExternal") || Boolean.getBoolean("tracewire.jaeger.required")) {
        throw new AssertionError(msg);
      }
      Assumptions.abort(msg);
    }
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String clientService = "tracewire-mcp-client-" + suffix;
    String serverService = "tracewire-mcp-server-" + suffix;
    UUID rootRun = UUID.randomUUID();
    SpanContext root = McpProcesses.onFreshThread(() -> {
      McpProcesses.Server server = McpProcesses.start("stdio", dir, otlp, "--service=" + serverService);
      try (OtelBridge bridge = OtelBridge.builder().endpoint(otlp).serviceName(clientService).crossLinks(true)
          .scheduleDelay(Duration.ofMillis(100)).shutdownHook(false).build();
          Tracewire tw = Tracewire.builder().closeOnShutdown(false).listener(bridge).install()) {
        McpSyncClient client = McpClient.sync(McpTracing.create().traced(server.transport()))
            .requestTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
        String answer = RunnableLambda.of("mcp_agent", (String city) -> McpTracing.text(client.callTool(
                McpSchema.CallToolRequest.builder("get_weather").arguments(Map.of("city", city)).build())))
            .invoke("Porto", RunConfig.builder().runId(rootRun).build());
        assertThat(answer).isEqualTo("Sunny and mild.");
        SpanContext sc = bridge.spanContextOf(rootRun.toString());
        client.closeGracefully();
        assertThat(bridge.flush(Duration.ofSeconds(10))).as("flush the client's spans to Jaeger").isTrue();
        return sc;
      }
    });
    assertThat(McpProcesses.stats(dir, "stdio")).contains("remoteParents=1");

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI uri = URI.create(query + "/api/traces/" + root.getTraceId());
    JsonNode trace = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        JsonNode data = JSON.readTree(r.body()).path("data");
        // client: mcp_agent, tools/call; server: tools/call, forecast_chain, lookup, sequence, prompt, model, parser
        if (data.size() == 1 && data.get(0).path("spans").size() == 9) {
          trace = data.get(0);
          break;
        }
      }
      Thread.sleep(250);
    }
    assertThat(trace).as("trace %s with 9 spans in Jaeger at %s", root.getTraceId(), uri).isNotNull();
    List<JsonNode> calls = new ArrayList<>();
    JsonNode chain = null;
    for (JsonNode span : trace.path("spans")) {
      if (span.path("operationName").asText().equals("tools/call get_weather")) {
        calls.add(span);
      } else if (span.path("operationName").asText().equals("forecast_chain")) {
        chain = span;
      }
    }
    assertThat(calls).hasSize(2);
    JsonNode client = tag(calls.get(0), "span.kind").equals("client") ? calls.get(0) : calls.get(1);
    JsonNode server = client == calls.get(0) ? calls.get(1) : calls.get(0);
    assertThat(tag(client, "span.kind")).isEqualTo("client");
    assertThat(tag(server, "span.kind")).isEqualTo("server");
    assertThat(service(trace, client)).isEqualTo(clientService);
    assertThat(service(trace, server)).isEqualTo(serverService);
    assertThat(parentOf(server)).as("the server span is a child of the client span").isEqualTo(client.path("spanID").asText());
    assertThat(chain).isNotNull();
    assertThat(parentOf(chain)).isEqualTo(server.path("spanID").asText());
    for (JsonNode span : calls) {
      assertThat(tag(span, "mcp.method.name")).isEqualTo("tools/call");
      assertThat(tag(span, "gen_ai.tool.name")).isEqualTo("get_weather");
    }
    Set<String> services = new HashSet<>();
    trace.path("processes").forEach(p -> services.add(p.path("serviceName").asText()));
    assertThat(services).containsExactlyInAnyOrder(clientService, serverService);
    System.out.println("McpJaegerIT: trace " + root.getTraceId() + " spans " + clientService + " and " + serverService);
  }

  private static String tag(JsonNode span, String key) {
    for (JsonNode t : span.path("tags")) {
      if (t.path("key").asText().equals(key)) {
        return t.path("value").asText();
      }
    }
    return "";
  }

  private static String parentOf(JsonNode span) {
    JsonNode refs = span.path("references");
    assertThat(refs.size()).as(span.path("operationName").asText() + " references").isEqualTo(1);
    return refs.get(0).path("spanID").asText();
  }

  private static String service(JsonNode trace, JsonNode span) {
    return trace.path("processes").path(span.path("processID").asText()).path("serviceName").asText();
  }
}
