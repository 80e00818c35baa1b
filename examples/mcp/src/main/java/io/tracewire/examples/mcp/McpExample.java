package io.tracewire.examples.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.tracewire.core.Tracewire;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import io.tracewire.mcp.McpTracing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A traced MCP client: starts {@link ForecastServer} in its own JVM over stdio, calls its tool
 * inside a chain, and logs to {@code DIR/client.jsonl}. Then
 * {@code tracewire tail DIR --tree --no-follow} shows one tree across both processes:
 * <pre>
 * trip_planner [chain] ok
 * └─ forecast [tool] ok
 *    └─ forecast [tool] ok (remote parent)
 *       └─ forecast_chain [chain] ok
 *          └─ lookup [chain] ok
 * </pre>
 */
public final class McpExample {
  private McpExample() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "mcp-example"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder(java)
        .args("-cp", System.getProperty("java.class.path"), ForecastServer.class.getName(), dir.toString()).build(),
        new JacksonMcpJsonMapper(new ObjectMapper()));

    McpTracing tracing = McpTracing.create();
    try (Tracewire tracewire = Tracewire.builder().sink(JsonlFileSink.builder(dir.resolve("client.jsonl")).build()).install()) {
      McpSyncClient client = McpClient.sync(tracing.traced(transport)).build();   // the one line on the client
      client.initialize();
      String answer = Tracewire.trace("trip_planner", () -> {
        McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder("forecast")
            .arguments(Map.of("city", "Lisbon")).build());
        return ((McpSchema.TextContent) r.content().get(0)).text();
      });
      System.out.println(answer);
      client.closeGracefully();
    }
    System.out.println("logs in " + dir + ": tracewire tail " + dir + " --tree --no-follow");
  }
}
