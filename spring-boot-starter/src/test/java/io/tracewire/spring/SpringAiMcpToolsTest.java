package io.tracewire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.adapters.mcp.McpServerProcess;
import io.tracewire.core.Tracewire;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.propagation.TracewirePropagation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.mcp.SyncMcpToolCallback;
import org.springframework.ai.mcp.ToolContextToMcpMetaConverter;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring AI's MCP client starter (stdio, configured from properties only) in a real Spring
 * context, against a real MCP server from the official MCP Java SDK in another JVM; the model
 * rounds are recorded OpenAI streams over real HTTP. The MCP tools are tool runs under the
 * ChatClient run, a tool the server fails is {@code on_tool_error}, and the server, reading the
 * {@code _meta} the starter's converter wrote, runs its chain under each tool run.
 */
@SpringBootTest(classes = SpringAiMcpToolsTest.App.class, properties = {
    "spring.main.web-application-type=none",
    "spring.ai.model.chat=openai",
    "spring.ai.openai.api-key=sk-test-not-a-secret",
    "spring.ai.openai.chat.model=gpt-4o-mini",
    "spring.ai.mcp.client.request-timeout=60s",
    "tracewire.otel.enabled=true"})
@DirtiesContext
class SpringAiMcpToolsTest {
  static final ProviderReplay REPLAY = new ProviderReplay();
  static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("tracewire-spring-mcp");
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    r.add("spring.ai.openai.base-url", () -> REPLAY.url("/v1"));
    List<String> command = McpServerProcess.stdioCommand(DIR);
    r.add("spring.ai.mcp.client.stdio.connections.weather.command", () -> command.get(0));
    for (int i = 1; i < command.size(); i++) {
      String arg = command.get(i);
      r.add("spring.ai.mcp.client.stdio.connections.weather.args[" + (i - 1) + "]", () -> arg);
    }
  }

  @AfterAll
  static void stop() {
    REPLAY.close();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    Collector collector() {
      return new Collector();
    }

    @Bean
    InMemorySpanExporter spanExporter() {
      return InMemorySpanExporter.create();
    }

    @Bean
    OpenTelemetry openTelemetry(InMemorySpanExporter exporter) {
      return OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
          .build();
    }
  }

  @Autowired ChatClient.Builder chatClientBuilder;
  @Autowired ToolCallbackProvider mcpTools;
  @Autowired Collector collector;
  @Autowired Tracewire tracewire;
  @Autowired TracewirePropagation propagation;
  @Autowired ToolContextToMcpMetaConverter converter;
  @Autowired InMemorySpanExporter spans;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> data(StreamEvent e) {
    return (Map<String, Object>) e.data();
  }

  @Test
  void mcpToolsOfAStreamedPromptAreToolRunsUnderTheChatClientRunAndTheServerContinuesThem() throws Exception {
    assertThat(converter).isInstanceOf(TracingMcpMetaConverter.class);
    REPLAY.sse("openai-tools.sse").sse("openai-after-tools.sse");

    String answer = String.join("", chatClientBuilder.build().prompt().user("Weather in Paris and Rome?")
        .toolCallbacks(mcpTools).stream().content().collectList().block(Duration.ofSeconds(60)));
    assertThat(tracewire.flush(Duration.ofSeconds(10))).isTrue();

    assertThat(answer).isEqualTo("Paris is sunny, Rome is cloudy.");
    StreamEvent root = collector.where(e -> e.event().equals("on_chain_start") && e.parentIds().isEmpty()).get(0);
    List<StreamEvent> toolStarts = collector.named("on_tool_start");
    assertThat(toolStarts).extracting(StreamEvent::name).containsExactly("get_weather", "get_weather");
    assertThat(toolStarts).extracting(e -> data(e).get("input")).containsExactly(Map.of("city", "Paris"), Map.of("city", "Rome"));
    assertThat(toolStarts).allSatisfy(e -> assertThat(e.parentIds()).containsExactly(root.runId()));
    // Paris answers; the server fails Rome (isError), which Spring AI's MCP callback throws
    StreamEvent end = collector.one("on_tool_end");
    assertThat(end.runId()).isEqualTo(toolStarts.get(0).runId());
    assertThat(((ToolMessage) data(end).get("output")).toolCallId()).isEqualTo("call_Ab12");
    assertThat(((ToolMessage) data(end).get("output")).text()).contains("18°C, sunny");
    StreamEvent error = collector.one("on_tool_error");
    assertThat(error.runId()).isEqualTo(toolStarts.get(1).runId());
    assertThat(error.parentIds()).containsExactly(root.runId());
    assertThat(String.valueOf(data(error).get("error"))).contains("no weather station in Rome");
    assertThat(data(error).get("tool_call_id")).isEqualTo("call_Cd34");
    assertThat(collector.named("on_chat_model_start")).hasSize(2)
        .allSatisfy(e -> assertThat(e.parentIds()).containsExactly(root.runId()));

    // the server's runs: weather_station under each tool run, lookup under it; Rome fails there too
    List<StreamEvent> server = McpServerProcess.events(DIR);
    assertThat(server).extracting(e -> e.event() + ":" + e.name()).containsExactly(
        "on_chain_start:weather_station", "on_chain_start:lookup", "on_chain_end:lookup", "on_chain_end:weather_station",
        "on_chain_start:weather_station", "on_chain_start:lookup", "on_chain_error:lookup", "on_chain_error:weather_station");
    for (int i = 0; i < server.size(); i++) {
      StreamEvent e = server.get(i);
      String tool = toolStarts.get(i / 4).runId();
      List<String> expected = new ArrayList<>(List.of(root.runId(), tool));
      if (e.name().equals("lookup")) {
        expected.add(server.get(i < 4 ? 0 : 4).runId());
      }
      assertThat(e.parentIds()).as("%s of %s", e.event(), e.name()).isEqualTo(expected);
    }
    assertThat(propagation.stats().toString()).doesNotContain("failures=1");

    // the MCP tool runs carry the MCP keys as their own metadata, and their spans follow the MCP conventions
    assertThat(toolStarts).allSatisfy(e -> assertThat(e.metadata()).containsEntry("mcp.method.name", "tools/call")
        .containsEntry("tracewire.mcp.side", "client"));
    assertThat(root.metadata()).doesNotContainKey("mcp.method.name");
    List<SpanData> tools = spans.getFinishedSpanItems().stream().filter(s -> s.getName().contains("get_weather")).toList();
    assertThat(tools).extracting(SpanData::getName).containsExactly("tools/call get_weather", "tools/call get_weather");
    assertThat(tools).allSatisfy(s -> {
      assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(s.getAttributes().get(AttributeKey.stringKey("mcp.method.name"))).isEqualTo("tools/call");
      assertThat(s.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name"))).isEqualTo("get_weather");
    });
    assertThat(mcpTools.getToolCallbacks()).allSatisfy(cb -> assertThat(cb).isInstanceOf(SyncMcpToolCallback.class));
  }
}
