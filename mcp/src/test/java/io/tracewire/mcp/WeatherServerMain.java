package io.tracewire.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.tracewire.core.RunContext;
import io.tracewire.core.Tracewire;
import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.tool.Tool;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import io.tracewire.exporters.otel.OtelBridge;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The MCP server of the cross-process tests, a forked JVM built on the SDK's own server and
 * traced with Tracewire: {@code WeatherServerMain stdio|http DIR [OTLP_URL|-] [--no-extract] [--async] [--service=NAME]}.
 * Tools: {@code get_weather} (a chain with a nested tool and a fake chat model; sends progress
 * notifications first when the request has a progress token), {@code station_status} (a result
 * with {@code isError}), {@code broken_sensor} (throws), {@code echo} (returns its argument; for the overhead harness). Resource {@code weather://policy}; prompt
 * {@code weather_report}. With {@code --async} (stdio only) the same handlers are served through
 * the SDK's async server API ({@code McpServer.async}, async specifications). Logs events to DIR/server-MODE.jsonl, stderr to
 * DIR/server-MODE.err and, when it is stopped (SIGTERM), its {@link McpStats} to
 * DIR/server-MODE.stats. Over http it prints {@code port=N} first.
 */
public final class WeatherServerMain {
  private WeatherServerMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path dir = Path.of(args[1]);
    String otlp = args.length > 2 && !args[2].equals("-") ? args[2] : null;
    List<String> flags = List.of(args).subList(Math.min(3, args.length), args.length);
    boolean extract = !flags.contains("--no-extract");
    String service = flags.stream().filter(f -> f.startsWith("--service=")).map(f -> f.substring("--service=".length()))
        .findFirst().orElse("mcp-weather-server");
    System.setErr(new PrintStream(new FileOutputStream(dir.resolve("server-" + mode + ".err").toFile(), true), true,
        StandardCharsets.UTF_8));
    // an async server's runs end on other threads than the transport thread they start on; a span
    // the bridge kept current there would become the parent of the next request's server span
    OtelBridge otel = otlp == null ? null : OtelBridge.builder().endpoint(otlp).serviceName(service)
        .makeSpansCurrent(!flags.contains("--async")).scheduleDelay(Duration.ofMillis(50)).shutdownHook(false).build();
    Tracewire.Builder tb = Tracewire.builder().closeOnShutdown(false);
    if (otel != null) {
      tb.listener(otel);
    }
    Tracewire tw = tb.sink(JsonlFileSink.builder(dir.resolve("server-" + mode + ".jsonl")).build(),
        SinkConfig.named("jsonl").withPolicy(OverflowPolicy.BLOCK)).install();
    McpTracing tracing = McpTracing.builder().extractContext(extract).build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        Files.writeString(dir.resolve("server-" + mode + ".stats"), tracing.stats().toString());
      } catch (Exception e) {
        e.printStackTrace();
      }
      tw.close();
      if (otel != null) {
        otel.close();
      }
      stopped.countDown();
    }));

    McpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    McpSchema.ServerCapabilities caps = McpSchema.ServerCapabilities.builder().tools(false).resources(false, false)
        .prompts(false).build();
    if (mode.equals("stdio") && flags.contains("--async")) {
      // the same handlers on the async server API, each run on a bounded-elastic thread with the
      // context its run had when the handler assembled its Mono (RunContext.wrap)
      McpServer.async(new StdioServerTransportProvider(json)).serverInfo("weather", "1.0").capabilities(caps)
          .tools(handlers().stream().map(t -> tracing.traced(async(t))).toList())
          .resources(tracing.traced(async(policy()))).prompts(tracing.traced(async(prompt()))).build();
      stopped.await();
    } else if (mode.equals("stdio")) {
      McpServer.sync(new StdioServerTransportProvider(json)).serverInfo("weather", "1.0").capabilities(caps)
          .tools(tools(tracing)).resources(tracing.traced(policy())).prompts(tracing.traced(prompt())).build();
      stopped.await();
    } else {
      HttpServletStreamableServerTransportProvider provider = HttpServletStreamableServerTransportProvider.builder()
          .jsonMapper(json).mcpEndpoint("/mcp").build();
      McpServer.sync(provider).serverInfo("weather", "1.0").capabilities(caps)
          .tools(tools(tracing)).resources(tracing.traced(policy())).prompts(tracing.traced(prompt())).build();
      Tomcat tomcat = new Tomcat();
      tomcat.setBaseDir(Files.createTempDirectory("mcp-tomcat").toString());
      tomcat.setPort(0);
      tomcat.getConnector();
      Context ctx = tomcat.addContext("", null);
      Wrapper servlet = Tomcat.addServlet(ctx, "mcp", provider);
      servlet.setAsyncSupported(true);
      ctx.addServletMappingDecoded("/mcp", "mcp");
      tomcat.start();
      System.out.println("port=" + tomcat.getConnector().getLocalPort());
      System.out.flush();
      stopped.await();
    }
  }

  private static List<McpServerFeatures.SyncToolSpecification> tools(McpTracing tracing) {
    List<McpServerFeatures.SyncToolSpecification> tools = handlers();
    return Boolean.getBoolean("weather.untraced") ? tools : tools.stream().map(tracing::traced).toList();
  }

  private static McpServerFeatures.AsyncToolSpecification async(McpServerFeatures.SyncToolSpecification t) {
    return new McpServerFeatures.AsyncToolSpecification(t.tool(), (ex, req) -> Mono.fromCallable(
        RunContext.wrap(() -> t.callHandler().apply(new McpSyncServerExchange(ex), req))).subscribeOn(Schedulers.boundedElastic()));
  }

  private static McpServerFeatures.AsyncResourceSpecification async(McpServerFeatures.SyncResourceSpecification r) {
    return new McpServerFeatures.AsyncResourceSpecification(r.resource(), (ex, req) -> Mono.fromCallable(
        RunContext.wrap(() -> r.readHandler().apply(new McpSyncServerExchange(ex), req))).subscribeOn(Schedulers.boundedElastic()));
  }

  private static McpServerFeatures.AsyncPromptSpecification async(McpServerFeatures.SyncPromptSpecification p) {
    return new McpServerFeatures.AsyncPromptSpecification(p.prompt(), (ex, req) -> Mono.fromCallable(
        RunContext.wrap(() -> p.promptHandler().apply(new McpSyncServerExchange(ex), req))).subscribeOn(Schedulers.boundedElastic()));
  }

  /** The four tools, untraced. */
  private static List<McpServerFeatures.SyncToolSpecification> handlers() {
    Tool lookup = Tool.builder("lookup_forecast").description("The raw forecast for a city")
        .arg("city", "string", null).function((Map<String, Object> a) -> "sunny, 21C in " + a.get("city")).build();
    Runnable<Map<String, Object>, String> summarize = ChatPromptTemplate.of(
            ChatPromptTemplate.human("Summarize the forecast for {city}: {forecast}"))
        .pipe(GenericFakeChatModel.cycling(List.of(new AIMessage("Sunny and mild."))))
        .pipe(new StrOutputParser());
    Runnable<String, String> forecastChain = RunnableLambda.of("forecast_chain", (String city) -> {
      String forecast = (String) lookup.invoke(Map.of("city", city));
      return summarize.invoke(Map.of("city", city, "forecast", forecast));
    });
    McpServerFeatures.SyncToolSpecification weather = McpServerFeatures.SyncToolSpecification.builder()
        .tool(tool("get_weather"))
        .callHandler((McpSyncServerExchange ex, McpSchema.CallToolRequest req) -> {
          Object token = req.meta() == null ? null : req.meta().get("progressToken");
          if (token != null) {
            ex.progressNotification(new McpSchema.ProgressNotification(token, 0.25, 1.0, "looking up", null));
            ex.progressNotification(new McpSchema.ProgressNotification(token, 0.75, 1.0, "summarizing", null));
          }
          String city = String.valueOf(req.arguments().get("city"));
          return McpSchema.CallToolResult.builder().addTextContent(forecastChain.invoke(city)).isError(false).build();
        })
        .build();
    McpServerFeatures.SyncToolSpecification status = McpServerFeatures.SyncToolSpecification.builder()
        .tool(tool("station_status"))
        .callHandler((ex, req) -> McpSchema.CallToolResult.builder().addTextContent("station offline").isError(true).build())
        .build();
    McpServerFeatures.SyncToolSpecification broken = McpServerFeatures.SyncToolSpecification.builder()
        .tool(tool("broken_sensor"))
        .callHandler((ex, req) -> {
          throw new IllegalStateException("sensor exploded");
        })
        .build();
    McpServerFeatures.SyncToolSpecification echo = McpServerFeatures.SyncToolSpecification.builder()
        .tool(tool("echo"))
        .callHandler((ex, req) -> McpSchema.CallToolResult.builder().addTextContent(String.valueOf(req.arguments().get("city")))
            .isError(false).build())
        .build();
    return List.of(weather, status, broken, echo);
  }

  private static McpSchema.Tool tool(String name) {
    return McpSchema.Tool.builder().name(name).description(name).inputSchema(new McpSchema.JsonSchema("object",
        Map.of("city", Map.of("type", "string")), null, null, null, null)).build();
  }

  private static McpServerFeatures.SyncResourceSpecification policy() {
    McpSchema.Resource r = McpSchema.Resource.builder().uri("weather://policy").name("policy").mimeType("text/plain").build();
    return new McpServerFeatures.SyncResourceSpecification(r, (ex, req) -> new McpSchema.ReadResourceResult(
        List.of(new McpSchema.TextResourceContents(req.uri(), "text/plain", "Forecasts are advisory.", null)), null));
  }

  private static McpServerFeatures.SyncPromptSpecification prompt() {
    McpSchema.Prompt p = new McpSchema.Prompt("weather_report", null, "A weather report",
        List.of(new McpSchema.PromptArgument("city", null, "the city", true)), null, null);
    return new McpServerFeatures.SyncPromptSpecification(p, (ex, req) -> new McpSchema.GetPromptResult("report",
        List.of(new McpSchema.PromptMessage(McpSchema.Role.USER,
            new McpSchema.TextContent("Write a weather report for " + req.arguments().get("city"))),
            new McpSchema.PromptMessage(McpSchema.Role.ASSISTANT, new McpSchema.TextContent("Here it is."))), null));
  }
}
