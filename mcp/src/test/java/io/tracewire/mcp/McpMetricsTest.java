package io.tracewire.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.core.RunConfig;
import io.tracewire.core.Tracewire;
import io.tracewire.exporters.otel.OtelBridge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP operation-duration histograms, recorded by {@code OtelBridge} on the OpenTelemetry SDK it
 * is given: client side against the forked server over stdio, server side by calling a wrapped
 * tool handler in this JVM with the {@code _meta} a traced client sends.
 */
class McpMetricsTest {
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("mcp.method.name");
  private static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");
  private static final AttributeKey<String> ERROR = AttributeKey.stringKey("error.type");

  private static OpenTelemetrySdk sdk(InMemorySpanExporter spans, InMemoryMetricReader metrics) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
        .build();
  }

  private static List<HistogramPointData> points(InMemoryMetricReader metrics, String name) {
    return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name))
        .flatMap((MetricData m) -> m.getHistogramData().getPoints().stream()).toList();
  }

  @Test
  void clientCallsRecordMcpClientOperationDurationByMethodToolAndError(@TempDir Path dir) throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    InMemoryMetricReader metrics = InMemoryMetricReader.create();
    try (OpenTelemetrySdk sdk = sdk(spans, metrics)) {
      OtelBridge otel = OtelBridge.builder().openTelemetry(sdk).build();
      McpProcesses.Server server = McpProcesses.start("stdio", dir, null);
      McpProcesses.onFreshThread(() -> {
        try (Tracewire tw = Tracewire.builder().closeOnShutdown(false).listener(otel).install()) {
          McpSyncClient client = McpClient.sync(McpTracing.create().traced(server.transport()))
              .requestTimeout(Duration.ofSeconds(60)).build();
          client.initialize();
          client.callTool(McpSchema.CallToolRequest.builder("get_weather").arguments(Map.of("city", "Rome")).build());
          client.callTool(McpSchema.CallToolRequest.builder("station_status").arguments(Map.of()).build());
          client.closeGracefully();
        }
        return null;
      });
      otel.close();
      List<HistogramPointData> p = points(metrics, "mcp.client.operation.duration");
      assertThat(p).hasSize(2);
      assertThat(p).anySatisfy(d -> {
        assertThat(d.getAttributes().get(METHOD)).isEqualTo("tools/call");
        assertThat(d.getAttributes().get(TOOL)).isEqualTo("get_weather");
        assertThat(d.getAttributes().get(ERROR)).isNull();
        assertThat(d.getCount()).isEqualTo(1);
      });
      assertThat(p).anySatisfy(d -> {
        assertThat(d.getAttributes().get(TOOL)).isEqualTo("station_status");
        assertThat(d.getAttributes().get(ERROR)).isEqualTo("tool_error");
      });
      assertThat(points(metrics, "mcp.server.operation.duration")).isEmpty();
      assertThat(spans.getFinishedSpanItems()).filteredOn(s -> s.getName().equals("tools/call get_weather"))
          .singleElement().satisfies(s -> assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT));
    }
  }

  @Test
  void serverHandlersRecordMcpServerOperationDurationUnderTheCallersSpan() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    InMemoryMetricReader metrics = InMemoryMetricReader.create();
    try (OpenTelemetrySdk sdk = sdk(spans, metrics)) {
      OtelBridge otel = OtelBridge.builder().openTelemetry(sdk).build();
      McpTracing tracing = McpTracing.create();
      McpServerFeatures.SyncToolSpecification tool = tracing.traced(McpServerFeatures.SyncToolSpecification.builder()
          .tool(McpSchema.Tool.builder().name("echo").inputSchema(new McpSchema.JsonSchema("object", Map.of(), null, null, null, null)).build())
          .callHandler((ex, req) -> McpSchema.CallToolResult.builder().addTextContent("echo " + req.arguments().get("x")).build())
          .build());
      Map<String, Object> meta;
      Span caller = sdk.getTracer("test").spanBuilder("caller").setNoParent().setSpanKind(SpanKind.CLIENT).startSpan();
      try (Scope s = caller.makeCurrent()) {
        meta = Map.copyOf(tracing.propagation().headers());
      } finally {
        caller.end();
      }
      McpSchema.CallToolResult r = tool.callHandler().apply(null, McpSchema.CallToolRequest.builder("echo")
          .arguments(Map.of("x", "hi")).meta(meta).build());
      // the listener is per call here, as a server without a global Tracewire would not trace at all
      assertThat(McpTracing.text(r)).isEqualTo("echo hi");
      assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("caller");

      try (Tracewire tw = Tracewire.builder().closeOnShutdown(false).listener(otel).install()) {
        tool.callHandler().apply(null, McpSchema.CallToolRequest.builder("echo").arguments(Map.of("x", "hi")).meta(meta).build());
      }
      SpanData server = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("tools/call echo"))
          .findFirst().orElseThrow();
      assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
      assertThat(server.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
      assertThat(server.getTraceId()).isEqualTo(caller.getSpanContext().getTraceId());
      assertThat(points(metrics, "mcp.server.operation.duration")).singleElement()
          .satisfies(d -> assertThat(d.getAttributes().get(METHOD)).isEqualTo("tools/call"));
      otel.close();
    }
    assertThat(RunConfig.current()).isNotNull();
  }
}
