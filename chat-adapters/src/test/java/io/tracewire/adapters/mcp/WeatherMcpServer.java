package io.tracewire.adapters.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.tracewire.core.Tracewire;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import io.tracewire.propagation.TracewirePropagation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * The MCP server of the MCP client tests, a separate JVM built on the official MCP Java SDK: one
 * tool, {@code get_weather(city)}, answering for Paris and Lyon and failing with
 * {@code isError} for any other city. Each call reads the caller's context from the request's
 * {@code params._meta} with {@link TracewirePropagation} and runs chain {@code weather_station}
 * (child {@code lookup}) under it, logged to {@code DIR/mcp-server.jsonl} and flushed before the
 * answer goes out, so the test can read the server's events as soon as its tool call returns.
 *
 * <p>{@code stdio DIR}: serves on stdin/stdout until killed. {@code http DIR}: serves Streamable
 * HTTP at {@code /mcp} on a free port, prints {@code port=N}, and stops when stdin closes.
 */
public final class WeatherMcpServer {
  /** The server's event log in DIR. */
  public static final String LOG = "mcp-server.jsonl";

  private WeatherMcpServer() {}

  private static final TextMapGetter<Map<String, Object>> META = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, Object> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, Object> carrier, String key) {
      return carrier != null && carrier.get(key) instanceof String s ? s : null;
    }
  };

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    Files.createDirectories(dir);
    Tracewire tw = Tracewire.builder().sink(JsonlFileSink.builder(dir.resolve(LOG)).build()).closeOnShutdown(true).install();
    TracewirePropagation propagation = TracewirePropagation.create();
    Runnable<String, String> lookup = RunnableLambda.of("lookup", (String city) -> switch (city) {
      case "Paris" -> "18°C, sunny";
      case "Lyon" -> "21°C, cloudy";
      default -> throw new IllegalArgumentException("no weather station in " + city);
    });
    Runnable<String, String> station = RunnableLambda.of("weather_station", lookup::invoke);
    SyncToolSpecification weather = SyncToolSpecification.builder()
        .tool(Tool.builder().name("get_weather").description("The current weather in a city")
            .inputSchema(Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string", "description", "the city")),
                "required", List.of("city")))
            .build())
        .callHandler((exchange, request) -> call(request, station, propagation, tw))
        .build();

    if (args[0].equals("stdio")) {
      McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper()))
          .serverInfo("weather", "1.0.0").capabilities(ServerCapabilities.builder().tools(false).build())
          .tools(weather).build();
      new CountDownLatch(1).await(); // the client ends the process
      server.close();
      return;
    }
    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
        .jsonMapper(McpJsonDefaults.getMapper()).mcpEndpoint("/mcp").build();
    McpSyncServer server = McpServer.sync(transport).serverInfo("weather", "1.0.0")
        .capabilities(ServerCapabilities.builder().tools(false).build()).tools(weather).build();
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(dir.resolve("tomcat").toString());
    tomcat.setPort(0);
    tomcat.setHostname("127.0.0.1");
    Context ctx = tomcat.addContext("", null);
    Tomcat.addServlet(ctx, "mcp", transport).setAsyncSupported(true);
    ctx.addServletMappingDecoded("/*", "mcp");
    tomcat.getConnector();
    tomcat.start();
    System.out.println("port=" + tomcat.getConnector().getLocalPort());
    System.out.flush();
    drain(System.in);
    server.close();
    tomcat.stop();
    tomcat.destroy();
    tw.close();
  }

  private static CallToolResult call(CallToolRequest request, Runnable<String, String> station,
      TracewirePropagation propagation, Tracewire tw) {
    String city = String.valueOf(request.arguments().get("city"));
    Map<String, Object> meta = request.meta() == null ? Map.of() : request.meta();
    try (Scope ignored = propagation.extract(meta, META).attach()) {
      return CallToolResult.builder().addTextContent(station.invoke(city)).isError(false).build();
    } catch (RuntimeException e) {
      return CallToolResult.builder().addTextContent(e.getMessage()).isError(true).build();
    } finally {
      tw.flush(Duration.ofSeconds(10));
    }
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buf = new byte[256];
    while (in.read(buf) >= 0) {
      // until the test closes our stdin
    }
  }
}
