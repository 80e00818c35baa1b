package io.tracewire.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.tracewire.core.event.StreamEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile {@code _meta} values sent by a client that does not trace (so nothing overwrites them)
 * to the traced server in a forked JVM over stdio: each request is answered as usual, each value
 * is ignored and counted, and each kind is warned about once.
 */
class HostileMetaTest {
  private static final String VALID_PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  @Test
  void hostileMetaValuesAreIgnoredCountedAndWarnedAboutOnceWhileEveryCallIsAnswered(@TempDir Path dir) throws Exception {
    List<Map<String, Object>> metas = List.of(
        // wrong JSON types
        Map.of("traceparent", 12345, "tracestate", Map.of("a", 1), "baggage", List.of("tracewire.run_path=x")),
        Map.of("traceparent", true),
        // oversized and malformed strings
        Map.of("traceparent", "0".repeat(100_000)),
        Map.of("traceparent", "00-zzzz-not-a-trace-01"),
        Map.of("traceparent", VALID_PARENT, "tracestate", "x".repeat(10_000)),
        Map.of("baggage", "k=" + "v".repeat(9_000)),
        Map.of("baggage", "tracewire.run_path=not-a-uuid.either"),
        Map.of("baggage", "tracewire.run_path=" + "0190c2e4-7b1a-7c3e-9a1b-5d2f0a000001.".repeat(200) + "x"));
    McpProcesses.Server server = McpProcesses.start("stdio", dir, null);
    McpSyncClient client = McpClient.sync(server.transport()).requestTimeout(Duration.ofSeconds(60)).build();
    client.initialize();
    for (Map<String, Object> meta : metas) {
      McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder("get_weather")
          .arguments(Map.of("city", "Oslo")).meta(meta).build());
      assertThat(McpTracing.text(r)).as(meta.keySet().toString()).isEqualTo("Sunny and mild.");
    }
    client.closeGracefully();

    String stats = McpProcesses.stats(dir, "stdio");
    assertThat(stats).contains("serverRuns=" + metas.size()).contains("rejectedMetaValues=4").contains("failures=0")
        .contains("rejectedTraceparent=2").contains("rejectedTracestate=1").contains("rejectedBaggage=1")
        .contains("rejectedRunPath=2").contains("remoteParents=0");
    // every request ran, as a root (no caller could be read)
    List<StreamEvent> events = McpProcesses.read(dir.resolve("server-stdio.jsonl"));
    assertThat(events).filteredOn(e -> e.event().equals("on_tool_end") && e.name().equals("get_weather"))
        .hasSize(metas.size()).allSatisfy(e -> assertThat(e.parentIds()).isEmpty());
    String err = Files.readString(dir.resolve("server-stdio.err"));
    assertThat(count(err, "ignored the _meta entry")).isEqualTo(1);
    assertThat(count(err, "ignored the traceparent")).isEqualTo(1);
    assertThat(count(err, "ignored the baggage")).isEqualTo(1);
    assertThat(count(err, "ignored the tracewire.run_path")).isEqualTo(1);
    assertThat(err).doesNotContain("vvvvvvvvvv").doesNotContain("not-a-uuid").doesNotContain("zzzz");
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
