package io.tracewire.it.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.tracewire.core.Tracewire;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import io.tracewire.mcp.McpTracing;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A stdio MCP server traced with {@code tracewire-mcp}'s server side, for the framework-client
 * tests: {@code get_weather(city)} is a wrapped tool (a {@code tool} run continuing the caller's
 * run from {@code _meta}) whose handler runs chain {@code forecast}; Paris answers, any other
 * city gets a result with {@code isError}. Events go to {@code DIR/mcp-server.jsonl}, closed
 * (drained) when the process is stopped.
 */
public final class TracedWeatherServer {
  static final String LOG = "mcp-server.jsonl";

  private TracedWeatherServer() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Tracewire tw = Tracewire.builder().closeOnShutdown(true)
        .sink(JsonlFileSink.builder(dir.resolve(LOG)).build(), SinkConfig.named("jsonl").withPolicy(OverflowPolicy.BLOCK))
        .install();
    McpTracing tracing = McpTracing.create();
    Runnable<String, String> forecast = RunnableLambda.of("forecast", (String city) -> city.equals("Paris") ? "18°C, sunny" : null);
    SyncToolSpecification weather = SyncToolSpecification.builder()
        .tool(Tool.builder().name("get_weather").description("The current weather in a city")
            .inputSchema(Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city")))
            .build())
        .callHandler((exchange, request) -> {
          String city = String.valueOf(request.arguments().get("city"));
          String text = forecast.invoke(city);
          return text != null ? CallToolResult.builder().addTextContent(text).isError(false).build()
              : CallToolResult.builder().addTextContent("no weather station in " + city).isError(true).build();
        })
        .build();
    McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper())).serverInfo("weather", "1.0.0")
        .capabilities(ServerCapabilities.builder().tools(false).build()).tools(tracing.traced(weather)).build();
    new CountDownLatch(1).await();
    tw.close();
  }
}
