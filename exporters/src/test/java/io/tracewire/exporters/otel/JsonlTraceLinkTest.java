package io.tracewire.exporters.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.sink.EventBus;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSONL lines carry the trace and span ids of their run's span, so logs and Jaeger find each other. */
class JsonlTraceLinkTest {
  @TempDir
  Path dir;

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void everyLogLineNamesItsRunsSpan() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    Path log = dir.resolve("linked.jsonl");
    try (OtelBridge bridge = OtelBridge.builder().openTelemetry(sdk).build();
        EventBus bus = EventBus.builder().sink(JsonlFileSink.builder(log).traceLinks(bridge.traceLinks()).build(),
            SinkConfig.named("jsonl").withPolicy(OverflowPolicy.BLOCK)).build()) {
      Runnable<Map<String, Object>, String> chain = ChatPromptTemplate.of(ChatPromptTemplate.human("{q}"))
          .pipe((Runnable) GenericFakeChatModel.cycling(List.of(new AIMessage("hello gold fish"))))
          .pipe((Runnable) new StrOutputParser());
      chain.invoke(Map.of("q", "hi"), RunConfig.builder().listener(bridge).listener(bus).build());
      assertThat(bus.flush(Duration.ofSeconds(10))).isTrue();
    }
    Map<String, SpanData> byRun = new HashMap<>();
    for (SpanData s : spans.getFinishedSpanItems()) {
      byRun.put(s.getAttributes().get(GenAiMapping.RUN_ID), s);
    }
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).isNotEmpty();
    Pattern p = Pattern.compile("\"run_id\":\"([^\"]+)\",\"trace_id\":\"([0-9a-f]{32})\",\"span_id\":\"([0-9a-f]{16})\"");
    for (String line : lines) {
      Matcher m = p.matcher(line);
      assertThat(m.find()).as(line).isTrue();
      SpanData span = byRun.get(m.group(1));
      assertThat(span).as("span of run " + m.group(1)).isNotNull();
      assertThat(m.group(2)).isEqualTo(span.getTraceId());
      assertThat(m.group(3)).isEqualTo(span.getSpanId());
    }
    sdk.close();
  }
}
