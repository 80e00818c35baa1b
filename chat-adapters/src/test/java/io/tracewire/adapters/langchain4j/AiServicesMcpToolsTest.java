package io.tracewire.adapters.langchain4j;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.tracewire.test.TracewireAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.mcp.McpToolProvider;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.McpTransport;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.langchain4j.mcp.client.transport.stdio.StdioMcpTransport;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.adapters.Replay;
import io.tracewire.adapters.langchain4j.AiServiceFixtures.Assistant;
import io.tracewire.adapters.langchain4j.AiServiceFixtures.SyncAssistant;
import io.tracewire.adapters.mcp.McpServerProcess;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.exporters.otel.OtelBridge;
import io.tracewire.propagation.McpConventions;
import io.tracewire.propagation.TracewirePropagation;
import io.tracewire.test.EventRecorder;
import io.tracewire.test.RecordedRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LangChain4j's own MCP client ({@code langchain4j-mcp}) in a real AI Service, against a real MCP
 * server (the official MCP Java SDK) in another JVM, over stdio and over Streamable HTTP; the
 * model rounds are the recorded OpenAI responses over real HTTP. Each MCP tool execution is a
 * {@code tool} run under the service call, and the server, which reads the {@code _meta} the
 * client's {@link LangChain4jMcpTracing#metaSupplier()} wrote, runs its chain under that tool run:
 * one tree across both processes.
 */
class AiServicesMcpToolsTest {
  @StartStop
  final MockWebServer provider = new MockWebServer();

  @TempDir
  Path dir;

  private static final String QUESTION = AiServiceFixtures.QUESTION;
  private static final String ANSWER = AiServiceFixtures.ANSWER;

  private final TracewirePropagation propagation = TracewirePropagation.create();

  private McpClient client(McpTransport transport) {
    return DefaultMcpClient.builder().transport(transport)
        .metaSupplier(LangChain4jMcpTracing.metaSupplier(propagation))
        .toolExecutionTimeout(Duration.ofSeconds(60))
        .build();
  }

  private static McpTransport stdio(Path dir) {
    return StdioMcpTransport.builder().command(McpServerProcess.stdioCommand(dir)).logEvents(false).build();
  }

  private OpenAiStreamingChatModel streamingModel() {
    return OpenAiStreamingChatModel.builder().baseUrl(provider.url("/v1").toString()).apiKey("sk-test-not-a-key")
        .modelName("gpt-4o-mini").temperature(0.0).build();
  }

  @Test
  void overStdioEachMcpToolCallIsAToolRunAndTheServerContinuesItsTree() throws Exception {
    for (String r : List.of("openai-round1.sse", "openai-round2.sse", "openai-final.sse")) {
      provider.enqueue(Replay.stream(Replay.resource("lc4j/" + r), "text/event-stream", 97).build());
    }
    EventRecorder recorder = EventRecorder.create();
    try (McpClient mcp = client(stdio(dir))) {
      Assistant assistant = LangChain4jTracing.aiServices(Assistant.class)
          .streamingChatModel(streamingModel())
          .toolProvider(McpToolProvider.builder().mcpClients(mcp).build())
          .chatMemory(MessageWindowChatMemory.withMaxMessages(20))
          .build();

      CompletableFuture<ChatResponse> done = new CompletableFuture<>();
      String answer = RunnableLambda.of("app", (String q) -> {
        assistant.chat(q).onPartialResponse(t -> {}).onCompleteResponse(done::complete).onError(done::completeExceptionally).start();
        return done.join().aiMessage().text();
      }).invoke(QUESTION, recorder.config());
      assertThat(answer).isEqualTo(ANSWER);
    }

    assertThat(recorder).isWellFormed().hasNoErrors();
    RecordedRun app = recorder.tree().named("app").get(0);
    RecordedRun service = recorder.tree().named("Assistant#chat").get(0);
    assertThat(service).isChildOf("app").hasChildren("OpenAiStreamingChatModel", "get_weather",
        "OpenAiStreamingChatModel", "get_weather", "OpenAiStreamingChatModel");
    List<RecordedRun> tools = recorder.tree().named("get_weather");
    assertThat(tools).allSatisfy(t -> assertThat(t).hasType("tool").hasEnded());
    assertThat(tools.get(0).startEvent().parentIds()).containsExactly(app.runId(), service.runId());
    assertThat(tools.get(0).startEvent().dataValue("input")).isEqualTo(Map.of("city", "Paris"));
    assertThat(tools.get(0).output()).isEqualTo(new ToolMessage("18°C, sunny", "call_Paris01", "get_weather", "success", null));
    assertThat(tools.get(1).output()).isEqualTo(new ToolMessage("21°C, cloudy", "call_Lyon02", "get_weather", "success", null));

    assertServerContinues(McpServerProcess.events(dir), List.of(app.runId(), service.runId()), tools, List.of());
    assertThat(propagation.stats().toString()).contains("injected=");
  }

  @Test
  void theSpanOfAnMcpToolRunFollowsTheMcpConventions() throws Exception {
    for (String r : List.of("openai-round1.sse", "openai-round2.sse", "openai-final.sse")) {
      provider.enqueue(Replay.stream(Replay.resource("lc4j/" + r), "text/event-stream", 97).build());
    }
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    EventRecorder recorder = EventRecorder.create();
    // closed at the end of the test: closing the SDK shuts the in-memory exporter down, which forgets its spans
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .build();
    OtelBridge bridge = OtelBridge.builder().openTelemetry(sdk).build();
    try (McpClient mcp = client(stdio(dir))) {
      Assistant assistant = LangChain4jTracing.aiServices(Assistant.class)
          .streamingChatModel(streamingModel())
          .toolProvider(McpToolProvider.builder().mcpClients(mcp).build())
          .chatMemory(MessageWindowChatMemory.withMaxMessages(20))
          .build();
      CompletableFuture<ChatResponse> done = new CompletableFuture<>();
      RunnableLambda.of("app", (String q) -> {
        assistant.chat(q).onPartialResponse(t -> {}).onCompleteResponse(done::complete).onError(done::completeExceptionally).start();
        return done.join().aiMessage().text();
      }).invoke(QUESTION, RunConfig.builder().listener(recorder).listener(bridge).build());
    }

    // the tool runs carry the MCP keys as their own metadata: not the chain the server runs, not their parent
    List<RecordedRun> tools = recorder.tree().named("get_weather");
    assertThat(tools).hasSize(2).allSatisfy(t -> assertThat(t.startEvent().metadata())
        .containsEntry("mcp.method.name", "tools/call").containsEntry("tracewire.mcp.side", "client"));
    assertThat(recorder.tree().named("Assistant#chat").get(0).startEvent().metadata()).doesNotContainKey("mcp.method.name");
    List<SpanData> tool = spans.getFinishedSpanItems().stream().filter(s -> s.getName().contains("get_weather")).toList();
    assertThat(tool).extracting(SpanData::getName).containsExactly("tools/call get_weather", "tools/call get_weather");
    assertThat(tool).allSatisfy(s -> {
      assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(s.getAttributes().get(stringKey("mcp.method.name"))).isEqualTo("tools/call");
      assertThat(s.getAttributes().get(stringKey("gen_ai.tool.name"))).isEqualTo("get_weather");
    });
    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).doesNotContain("execute_tool get_weather");
    bridge.close();
    sdk.close();
  }

  @Test
  void theMcpKeysAreTheOnesOfTracewireMcp() {
    // chat-adapters cannot see tracewire-mcp; both name the same constants of the propagation module
    assertThat(TracedToolExecutor.MCP_TOOL).isEqualTo(Map.of(McpConventions.METHOD_NAME, "tools/call",
        McpConventions.SIDE, McpConventions.CLIENT));
    assertThat(TracedToolProvider.MCP_TOOL_PROVIDER).isEqualTo(McpToolProvider.class.getName());
  }

  @Test
  void overStreamableHttpAnMcpToolErrorIsAToolErrorOnBothSides() throws Exception {
    provider.enqueue(Replay.error(200, Replay.resource("lc4j/openai-tool-atlantis.json")).build());
    provider.enqueue(Replay.error(200, Replay.resource("lc4j/openai-sorry.json")).build());
    EventRecorder recorder = EventRecorder.create();
    try (McpServerProcess server = McpServerProcess.startHttp(dir);
        McpClient mcp = client(StreamableHttpMcpTransport.builder().url(server.url()).timeout(Duration.ofSeconds(60)).build())) {
      SyncAssistant assistant = LangChain4jTracing.aiServices(SyncAssistant.class)
          .chatModel(OpenAiChatModel.builder().baseUrl(provider.url("/v1").toString()).apiKey("sk-test-not-a-key")
              .modelName("gpt-4o-mini").build())
          .toolProvider(McpToolProvider.builder().mcpClients(mcp).build())
          .build();

      String answer = RunnableLambda.of("app", assistant::chat).invoke("Weather in Atlantis?", recorder.config());
      assertThat(answer).isEqualTo("There is no weather station in Atlantis.");
    }

    assertThat(recorder).isWellFormed().hasEventSequence(
        "on_chain_start:app", "on_chain_start:SyncAssistant#chat",
        "on_chat_model_start:OpenAiChatModel", "on_chat_model_end:OpenAiChatModel",
        "on_tool_start:get_weather", "on_tool_error:get_weather",
        "on_chat_model_start:OpenAiChatModel", "on_chat_model_end:OpenAiChatModel",
        "on_chain_end:SyncAssistant#chat", "on_chain_end:app");
    RecordedRun app = recorder.tree().named("app").get(0);
    RecordedRun service = recorder.tree().named("SyncAssistant#chat").get(0);
    RecordedRun tool = recorder.tree().named("get_weather").get(0);
    assertThat(tool).isChildOf("SyncAssistant#chat");
    assertThat(tool.error()).hasMessageContaining("no weather station in Atlantis");
    assertThat(tool.terminalEvent().dataValue("tool_call_id")).isEqualTo("call_Atl01");
    assertThat(tool.terminalEvent().dataValue("input")).isEqualTo(Map.of("city", "Atlantis"));

    assertServerContinues(McpServerProcess.events(dir), List.of(app.runId(), service.runId()), List.of(tool),
        List.of("on_chain_error:lookup", "on_chain_error:weather_station"));
  }

  /**
   * Every event of the server names the exact chain of the client: the service's ancestry, then
   * the tool run the call was made in (then {@code weather_station} for {@code lookup}); one
   * {@code weather_station} per tool run, in order.
   */
  static void assertServerContinues(List<StreamEvent> server, List<String> serviceChain, List<RecordedRun> tools,
      List<String> expectedErrors) {
    assertThat(server).hasSize(4 * tools.size());
    List<String> stationParents = new ArrayList<>();
    Map<String, List<String>> chainOfStation = new HashMap<>();
    for (StreamEvent e : server) {
      if (e.event().equals("on_chain_start") && e.name().equals("weather_station")) {
        List<String> expected = new ArrayList<>(serviceChain);
        expected.add(tools.get(stationParents.size()).runId());
        assertThat(e.parentIds()).as("the server's chain continues the tool run's").isEqualTo(expected);
        stationParents.add(e.parentIds().get(e.parentIds().size() - 1));
        chainOfStation.put(e.runId(), expected);
      }
    }
    assertThat(stationParents).containsExactlyElementsOf(tools.stream().map(RecordedRun::runId).toList());
    for (StreamEvent e : server) {
      if (e.name().equals("weather_station")) {
        assertThat(e.parentIds()).as(e.event()).isEqualTo(chainOfStation.get(e.runId()));
      } else {
        String station = e.parentIds().get(e.parentIds().size() - 1);
        List<String> expected = new ArrayList<>(chainOfStation.get(station));
        expected.add(station);
        assertThat(e.parentIds()).as(e.event() + " of " + e.name()).isEqualTo(expected);
      }
    }
    assertThat(server).filteredOn(e -> e.event().endsWith("_error")).extracting(e -> e.event() + ":" + e.name())
        .containsExactlyElementsOf(expectedErrors);
  }
}
