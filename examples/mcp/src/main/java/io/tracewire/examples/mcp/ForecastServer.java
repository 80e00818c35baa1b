package io.tracewire.examples.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.tracewire.core.Tracewire;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import io.tracewire.mcp.McpTracing;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The MCP server of the example: the SDK's stdio server with one tool, {@code forecast}, whose
 * handler runs a chain. With {@code tracing.traced(...)} the chain's runs nest under the
 * client's tool run. Logs its events to {@code DIR/server.jsonl}; stops when the client stops it.
 */
public final class ForecastServer {
  private ForecastServer() {}

  public static void main(String[] args) throws Exception {
    Tracewire tracewire = Tracewire.builder().sink(JsonlFileSink.builder(Path.of(args[0], "server.jsonl")).build()).install();
    McpTracing tracing = McpTracing.create();

    Runnable<String, String> lookup = RunnableLambda.of("lookup", (String city) -> "sunny in " + city);
    Runnable<String, String> forecast = RunnableLambda.of("forecast_chain", (String city) -> "Forecast: " + lookup.invoke(city));

    McpServerFeatures.SyncToolSpecification tool = McpServerFeatures.SyncToolSpecification.builder()
        .tool(McpSchema.Tool.builder().name("forecast").description("The forecast for a city")
            .inputSchema(new McpSchema.JsonSchema("object", Map.of("city", Map.of("type", "string")), null, null, null, null))
            .build())
        .callHandler((exchange, request) -> McpSchema.CallToolResult.builder()
            .addTextContent(forecast.invoke(String.valueOf(request.arguments().get("city")))).isError(false).build())
        .build();

    McpServer.sync(new StdioServerTransportProvider(new JacksonMcpJsonMapper(new ObjectMapper())))
        .serverInfo("forecast", "1.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .tools(tracing.traced(tool))                                 // the one line on the server
        .build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      tracewire.close();
      stopped.countDown();
    }));
    stopped.await();
  }
}
