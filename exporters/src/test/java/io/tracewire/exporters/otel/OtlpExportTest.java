package io.tracewire.exporters.otel;

import static io.tracewire.exporters.otel.OtlpHttpReceiver.attr;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.parser.StrOutputParser;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The real OTLP/HTTP exporter of a standalone bridge, against receivers on 127.0.0.1. */
class OtlpExportTest {

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Runnable<Map<String, Object>, String> chain() {
    return ChatPromptTemplate.of(ChatPromptTemplate.system("You are a cat"), ChatPromptTemplate.human("{question}"))
        .pipe((Runnable) new ChatOpenAI()).pipe((Runnable) new StrOutputParser());
  }

  static String run(OtelBridge bridge) {
    return chain().invoke(Map.of("question", "q"), RunConfig.builder().listener(bridge).build());
  }

  @Test
  void realOtlpHttpExporterDeliversTheSpanTreeOverASocket() throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(false);
        OtelBridge bridge = OtelBridge.builder().endpoint(receiver.baseUrl()).serviceName("otlp-test").crossLinks(true)
            .resourceAttribute("deployment.environment.name", "test").header("Authorization", "Bearer a b,c=d")
            .scheduleDelay(Duration.ofMillis(50)).shutdownHook(false).build()) {
      assertThat(run(bridge)).isEqualTo("hi there");
      assertThat(bridge.flush(Duration.ofSeconds(10))).isTrue();

      List<Span> spans = receiver.spans();
      assertThat(spans).hasSize(4);
      ResourceSpans rs = receiver.received.get(0);
      assertThat(attr(rs.getResource().getAttributesList(), "service.name")).isEqualTo("otlp-test");
      assertThat(attr(rs.getResource().getAttributesList(), "deployment.environment.name")).isEqualTo("test");
      assertThat(attr(rs.getResource().getAttributesList(), "telemetry.sdk.language")).isEqualTo("java");
      assertThat(rs.getScopeSpans(0).getScope().getName()).isEqualTo(OtelBridge.INSTRUMENTATION_SCOPE);
      Map<String, List<String>> headers = receiver.requestHeaders.get(0);
      assertThat(headers.get("Content-type")).containsExactly("application/x-protobuf");
      assertThat(headers.get("Authorization")).containsExactly("Bearer a b,c=d");

      Span root = assertChainTree(spans);

      String runId = attr(root.getAttributesList(), "tracewire.run.id");
      assertThat(bridge.spanContextOf(runId).getTraceId()).isEqualTo(HexFormat.of().formatHex(root.getTraceId().toByteArray()));
      assertThat(bridge.spanContextOf(runId).getSpanId()).isEqualTo(HexFormat.of().formatHex(root.getSpanId().toByteArray()));

      ExportStats stats = bridge.stats();
      assertThat(stats.spansEnded()).isEqualTo(4);
      assertThat(stats.spansExported()).isEqualTo(4);
      assertThat(stats.spansFailed()).isZero();
      assertThat(stats.spansNotExported()).isZero();
    }
  }

  /** Asserts the four spans of {@link #chain()} as received (tree, kinds, GenAI attributes); returns the root. */
  static Span assertChainTree(List<Span> spans) {
    Map<String, Span> byName = spans.stream().collect(Collectors.toMap(Span::getName, Function.identity()));
    assertThat(byName).containsOnlyKeys("RunnableSequence", "ChatPromptTemplate", "chat gpt-4o", "StrOutputParser");
    Span root = byName.get("RunnableSequence");
    assertThat(root.getParentSpanId().isEmpty()).isTrue();
    for (String child : List.of("ChatPromptTemplate", "chat gpt-4o", "StrOutputParser")) {
      assertThat(byName.get(child).getParentSpanId()).isEqualTo(root.getSpanId());
      assertThat(byName.get(child).getTraceId()).isEqualTo(root.getTraceId());
    }
    Span chat = byName.get("chat gpt-4o");
    assertThat(chat.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(attr(chat.getAttributesList(), "gen_ai.operation.name")).isEqualTo("chat");
    assertThat(attr(chat.getAttributesList(), "gen_ai.provider.name")).isEqualTo("openai");
    assertThat(attr(chat.getAttributesList(), "gen_ai.request.model")).isEqualTo("gpt-4o");
    assertThat(attr(chat.getAttributesList(), "gen_ai.usage.input_tokens")).isEqualTo("12");
    assertThat(attr(chat.getAttributesList(), "gen_ai.response.finish_reasons")).isEqualTo("[stop]");
    return root;
  }

  @Test
  void otelSystemPropertiesApplyWhenTheBuilderLeavesSettingsOpen() throws Exception {
    System.setProperty("otel.service.name", "from-otel-property");
    System.setProperty("otel.resource.attributes", "team=llm");
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(false);
        OtelBridge bridge = OtelBridge.builder().endpoint(receiver.baseUrl() + "/v1/traces").shutdownHook(false).build()) {
      run(bridge);
      assertThat(bridge.flush(Duration.ofSeconds(10))).isTrue();
      ResourceSpans rs = receiver.received.get(0);
      assertThat(attr(rs.getResource().getAttributesList(), "service.name")).isEqualTo("from-otel-property");
      assertThat(attr(rs.getResource().getAttributesList(), "team")).isEqualTo("llm");
    } finally {
      System.clearProperty("otel.service.name");
      System.clearProperty("otel.resource.attributes");
    }
  }

  @Test
  void collectorDownLeavesTheAppUnaffectedAndCountsFailedSpans() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    RetryPolicy quickRetry = RetryPolicy.builder().setMaxAttempts(2).setInitialBackoff(Duration.ofMillis(10))
        .setMaxBackoff(Duration.ofMillis(10)).build();
    try (OtelBridge bridge = OtelBridge.builder().endpoint("http://127.0.0.1:" + closedPort)
        .exportRetry(quickRetry).exportTimeout(Duration.ofSeconds(2)).scheduleDelay(Duration.ofMillis(20))
        .shutdownHook(false).build()) {
      for (int i = 0; i < 20; i++) {
        assertThat(run(bridge)).isEqualTo("hi there");
      }
      bridge.flush(Duration.ofSeconds(20));
      ExportStats stats = bridge.stats();
      assertThat(stats.runsTraced()).isEqualTo(80);
      assertThat(stats.spansEnded()).isEqualTo(80);
      assertThat(stats.spansExported()).isZero();
      assertThat(stats.spansFailed()).isEqualTo(80);
      assertThat(stats.exportFailures()).isPositive();
      assertThat(bridge.listenerFailures()).isZero();
    }
  }

  @Test
  void slowCollectorDropsBeyondTheBoundedQueueAndCountsThem() throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(true);
        OtelBridge bridge = OtelBridge.builder().endpoint(receiver.baseUrl()).maxQueueSize(8).maxExportBatchSize(4)
            .scheduleDelay(Duration.ofMillis(5)).shutdownHook(false).build()) {
      for (int i = 0; i < 50; i++) {
        assertThat(run(bridge)).isEqualTo("hi there");
      }
      // every run completed while the collector was still holding the first request
      assertThat(receiver.received).isEmpty();
      receiver.release();
      assertThat(bridge.flush(Duration.ofSeconds(20))).isTrue();

      ExportStats stats = bridge.stats();
      assertThat(stats.spansEnded()).isEqualTo(200);
      assertThat(stats.spansFailed()).isZero();
      // at most one batch in flight, one being assembled and a full queue got through
      assertThat(stats.spansExported()).isBetween(1L, 4L + 4L + 8L);
      // the batch processor's drops are counted, from its own telemetry: nothing is left unaccounted for
      assertThat(stats.spansDropped()).isEqualTo(200 - stats.spansExported());
      assertThat(stats.spansNotExported()).isZero();
      assertThat(receiver.spans()).hasSize((int) stats.spansExported());
    }
  }
}
