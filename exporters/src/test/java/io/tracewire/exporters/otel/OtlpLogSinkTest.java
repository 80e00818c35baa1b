package io.tracewire.exporters.otel;

import static io.tracewire.exporters.otel.OtlpHttpReceiver.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.core.RunConfig;
import io.tracewire.core.Tracewire;
import io.tracewire.core.event.CustomEvent;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.sink.SinkStats;
import io.tracewire.core.tool.Tool;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OTLP log sink against a real OTLP/HTTP receiver on 127.0.0.1 (the official
 * opentelemetry-proto classes decode each {@code ExportLogsServiceRequest}), installed through
 * {@code Tracewire.builder().sink(...)} beside a bridge whose spans go to an in-memory exporter.
 */
class OtlpLogSinkTest {
  static final Tool WEATHER = Tool.builder("get_weather").description("Weather").arg("city", "string", null)
      .function(a -> "sunny in " + a.get("city")).build();

  private InMemorySpanExporter spans;
  private OpenTelemetrySdk sdk;
  private OtelBridge bridge;
  private final List<StreamEvent> seen = new CopyOnWriteArrayList<>();
  private final RunListener recorder = seen::add;

  @BeforeEach
  void setUp() {
    spans = InMemorySpanExporter.create();
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    bridge = OtelBridge.builder().openTelemetry(sdk).build();
  }

  @AfterEach
  void tearDown() {
    bridge.close();
    sdk.close();
  }

  /** prompt | chat model | parser | a step that reports progress and calls a tool. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Runnable<Map<String, Object>, String> chain() {
    Runnable<String, String> useTool = RunnableLambda.of("use_tool", (String text) -> {
      CustomEvent.dispatch("progress", Map.of("step", 1, "note", "secret-payload"));
      Object r = WEATHER.invoke(Map.of("name", "get_weather", "args", Map.of("city", "Oslo"), "id", "call_1",
          "type", "tool_call"));
      return text + " / " + (r instanceof ToolMessage tm ? tm.text() : String.valueOf(r));
    });
    return ChatPromptTemplate.of(ChatPromptTemplate.system("You are a cat"), ChatPromptTemplate.human("{question}"))
        .pipe((Runnable) new ChatOpenAI()).pipe((Runnable) new StrOutputParser()).pipe((Runnable) useTool);
  }

  static RunConfig config() {
    return RunConfig.builder().tags("demo").metadata("user", "u-1").metadata("attempt", 2).build();
  }

  private Tracewire install(OtlpLogSink sink, SinkConfig config) {
    return Tracewire.builder().listener(bridge).listener(recorder).sink(sink, config).install();
  }

  private Map<String, SpanData> spansByRun() {
    Map<String, SpanData> byRun = new LinkedHashMap<>();
    for (SpanData s : spans.getFinishedSpanItems()) {
      byRun.put(s.getAttributes().get(GenAiMapping.RUN_ID), s);
    }
    return byRun;
  }

  private static String hex(com.google.protobuf.ByteString b) {
    return HexFormat.of().formatHex(b.toByteArray());
  }

  /** The attributes every record of {@code e} has. */
  private static Map<String, Object> common(StreamEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tracewire.event", e.event());
    m.put("tracewire.event.seq", e.seq());
    m.put("tracewire.run.id", e.runId());
    if (e.isCustom()) {
      m.put("tracewire.custom_event.name", e.name());
    } else {
      m.put("tracewire.run.name", e.name());
      m.put("tracewire.run.type", e.runType().name());
    }
    if (!e.parentIds().isEmpty()) {
      m.put("tracewire.run.parent_ids", e.parentIds());
    }
    m.put("tracewire.run.tags", e.tags());
    m.put("tracewire.metadata.user", "u-1");
    m.put("tracewire.metadata.attempt", 2L);
    return m;
  }

  private static StreamEvent only(List<StreamEvent> events, String event, String name) {
    List<StreamEvent> l = events.stream().filter(e -> e.event().equals(event) && e.name().equals(name)).toList();
    assertThat(l).as(event + " " + name).hasSize(1);
    return l.get(0);
  }

  @Test
  void everyEventOfAChainArrivesOnceWithExactAttributesAndItsRunsSpan() throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(false)) {
      OtlpLogSink sink = OtlpLogSink.builder().endpoint(receiver.baseUrl()).serviceName("logs-test")
          .resourceAttribute("deployment.environment.name", "test").header("Authorization", "Bearer k3y")
          .events(java.util.EnumSet.allOf(LogEventKind.class)).bridge(bridge).build();
      try (Tracewire tw = install(sink, SinkConfig.named(OtlpLogSink.DEFAULT_NAME).withPolicy(OverflowPolicy.BLOCK))) {
        assertThat(chain().invoke(Map.of("question", "secret question"), config())).isEqualTo("hi there / sunny in Oslo");
        assertThat(tw.flush(Duration.ofSeconds(10))).isTrue();

        List<StreamEvent> events = List.copyOf(seen);
        // sequence, prompt, model, parser and lambda start and end; the tool's start and end; one custom event
        assertThat(events).hasSize(13);
        List<LogRecord> records = receiver.logRecords();
        assertThat(records).hasSize(events.size());

        ResourceLogs rl = receiver.receivedLogs.get(0);
        Map<String, Object> resource = attrs(rl.getResource().getAttributesList());
        assertThat(resource).containsEntry("service.name", "logs-test").containsEntry("deployment.environment.name", "test")
            .containsEntry("telemetry.sdk.language", "java");
        assertThat(rl.getScopeLogs(0).getScope().getName()).isEqualTo(OtelBridge.INSTRUMENTATION_SCOPE);
        assertThat(receiver.requestHeaders.get(0).get("Authorization")).containsExactly("Bearer k3y");

        Map<Long, LogRecord> bySeq = new LinkedHashMap<>();
        for (LogRecord r : records) {
          Object seq = attrs(r.getAttributesList()).get("tracewire.event.seq");
          assertThat(bySeq.put((Long) seq, r)).as("one record for seq " + seq).isNull();
        }
        Map<String, SpanData> byRun = spansByRun();
        assertThat(byRun).hasSize(6);
        for (StreamEvent e : events) {
          LogRecord r = bySeq.get(e.seq());
          assertThat(r).as(e.event() + " " + e.name()).isNotNull();
          Map<String, Object> a = attrs(r.getAttributesList());
          assertThat(a).containsAllEntriesOf(common(e));
          assertThat(r.getTimeUnixNano()).isEqualTo(e.timestampNanos());
          assertThat(r.getObservedTimeUnixNano()).isPositive();
          assertThat(r.getBody().getStringValue()).isEqualTo(e.event() + " " + e.name());
          SpanData span = byRun.get(e.runId());
          assertThat(hex(r.getTraceId())).isEqualTo(span.getTraceId());
          assertThat(hex(r.getSpanId())).isEqualTo(span.getSpanId());
          assertThat(r.getFlags() & 0xff).isEqualTo(span.getSpanContext().getTraceFlags().asByte() & 0xff);
          boolean details = e.event().equals("on_chat_model_end");
          assertThat(r.getEventName()).isEqualTo(details ? "gen_ai.client.inference.operation.details" : "tracewire." + e.event());
          assertThat(r.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO);
          assertThat(r.getSeverityText()).isEqualTo("INFO");
        }

        StreamEvent chatEnd = only(events, "on_chat_model_end", "ChatOpenAI");
        Map<String, Object> expected = common(chatEnd);
        assertThat(expected).containsEntry("tracewire.run.type", "chat_model");
        expected.put("gen_ai.operation.name", "chat");
        expected.put("gen_ai.provider.name", "openai");
        expected.put("gen_ai.request.model", "gpt-4o");
        expected.put("gen_ai.request.temperature", 0.25);
        expected.put("gen_ai.request.max_tokens", 100L);
        expected.put("gen_ai.request.stop_sequences", List.of("END"));
        expected.put("tracewire.run.outcome", "end");
        expected.put("gen_ai.request.stream", false);
        expected.put("gen_ai.response.model", "gpt-4o-2024-08-06");
        expected.put("gen_ai.response.id", "chatcmpl-1");
        expected.put("gen_ai.response.finish_reasons", List.of("stop"));
        expected.put("gen_ai.usage.input_tokens", 12L);
        expected.put("gen_ai.usage.output_tokens", 5L);
        expected.put("gen_ai.usage.cache_creation.input_tokens", 2L);
        expected.put("gen_ai.usage.cache_read.input_tokens", 3L);
        expected.put("gen_ai.usage.reasoning.output_tokens", 4L);
        assertThat(attrs(bySeq.get(chatEnd.seq()).getAttributesList())).isEqualTo(expected);

        StreamEvent chatStart = only(events, "on_chat_model_start", "ChatOpenAI");
        expected = common(chatStart);
        expected.put("gen_ai.operation.name", "chat");
        expected.put("gen_ai.provider.name", "openai");
        expected.put("gen_ai.request.model", "gpt-4o");
        expected.put("gen_ai.request.temperature", 0.25);
        expected.put("gen_ai.request.max_tokens", 100L);
        expected.put("gen_ai.request.stop_sequences", List.of("END"));
        assertThat(attrs(bySeq.get(chatStart.seq()).getAttributesList())).isEqualTo(expected);

        StreamEvent toolStart = only(events, "on_tool_start", "get_weather");
        expected = common(toolStart);
        expected.put("gen_ai.operation.name", "execute_tool");
        expected.put("gen_ai.tool.name", "get_weather");
        assertThat(attrs(bySeq.get(toolStart.seq()).getAttributesList())).isEqualTo(expected);

        StreamEvent toolEnd = only(events, "on_tool_end", "get_weather");
        expected = common(toolEnd);
        expected.put("gen_ai.operation.name", "execute_tool");
        expected.put("gen_ai.tool.name", "get_weather");
        expected.put("tracewire.run.outcome", "end");
        expected.put("gen_ai.tool.call.id", "call_1");
        assertThat(attrs(bySeq.get(toolEnd.seq()).getAttributesList())).isEqualTo(expected);

        StreamEvent custom = only(events, "on_custom_event", "progress");
        StreamEvent lambdaStart = only(events, "on_chain_start", "use_tool");
        assertThat(custom.runId()).isEqualTo(lambdaStart.runId());
        assertThat(attrs(bySeq.get(custom.seq()).getAttributesList())).isEqualTo(common(custom));

        StreamEvent root = only(events, "on_chain_start", "RunnableSequence");
        assertThat(root.tags()).containsExactly("demo");
        expected = common(root);
        expected.remove("tracewire.run.parent_ids");
        assertThat(attrs(bySeq.get(root.seq()).getAttributesList())).isEqualTo(expected);

        // content is off by default: neither the question, the answer nor the custom payload left the process
        assertThat(receiver.receivedLogs.toString()).doesNotContain("secret").doesNotContain("sunny").doesNotContain("Oslo");
        assertThat(receiver.receivedLogs.toString()).doesNotContain("k3y");
      }
      OtlpLogStats stats = sink.stats();
      assertThat(stats).isEqualTo(new OtlpLogStats(13, 13, 13, 0, 0, stats.exportCalls(), 0, 0));
      assertThat(stats.exportCalls()).isBetween(1L, 13L);
      assertThat(stats.pending()).isZero();
    }
  }

  @Test
  void defaultSelectionNeverQueuesStreamChunksSoTheirStatisticsAreNotMeasured() throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(false)) {
      OtlpLogSink sink = OtlpLogSink.builder().endpoint(receiver.baseUrl()).build();
      SinkStats bus;
      try (Tracewire tw = install(sink, SinkConfig.named("otlp-logs").withPolicy(OverflowPolicy.BLOCK))) {
        try (var it = new ChatOpenAI(true, () -> { }, "a", "b", "c").stream(List.of(), config())) {
          it.forEachRemaining(x -> { });
        }
        assertThat(tw.flush(Duration.ofSeconds(10))).isTrue();
        bus = tw.stats().get(0);
      }
      List<StreamEvent> events = List.copyOf(seen);
      long chunks = events.stream().filter(e -> e.event().equals("on_chat_model_stream")).count();
      assertThat(chunks).isEqualTo(4);
      // the chunks never entered the sink's queue (EventSink.acceptedKinds): neither queued nor dropped
      assertThat(bus.queued()).isEqualTo(2);
      assertThat(bus.dropped()).isZero();
      List<LogRecord> records = receiver.logRecords();
      assertThat(records).extracting(LogRecord::getEventName)
          .containsExactly("tracewire.on_chat_model_start", "gen_ai.client.inference.operation.details");
      Map<String, Object> details = attrs(records.get(1).getAttributesList());
      assertThat(details).doesNotContainKeys("gen_ai.request.stream", "tracewire.stream.chunks",
          "gen_ai.response.time_to_first_chunk");
      assertThat(records.get(0).getTraceId().isEmpty()).as("no bridge links: no trace id").isTrue();
      OtlpLogStats stats = sink.stats();
      assertThat(stats).isEqualTo(new OtlpLogStats(2, 2, 2, 0, 0, stats.exportCalls(), 0, 0));
    }
  }

  @Test
  void selectingChunksWithFidelityNoneMeasuresThemWithoutSendingThem() throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(false)) {
      OtlpLogSink sink = OtlpLogSink.builder().endpoint(receiver.baseUrl()).events(java.util.EnumSet.allOf(LogEventKind.class))
          .chunkFidelity(ChunkFidelity.NONE).build();
      try (Tracewire tw = install(sink, SinkConfig.named("otlp-logs").withPolicy(OverflowPolicy.BLOCK))) {
        try (var it = new ChatOpenAI(true, () -> { }, "a", "b", "c").stream(List.of(), config())) {
          it.forEachRemaining(x -> { });
        }
        assertThat(tw.flush(Duration.ofSeconds(10))).isTrue();
      }
      List<LogRecord> records = receiver.logRecords();
      assertThat(records).extracting(LogRecord::getEventName)
          .containsExactly("tracewire.on_chat_model_start", "gen_ai.client.inference.operation.details");
      Map<String, Object> details = attrs(records.get(1).getAttributesList());
      assertThat(details).containsEntry("gen_ai.request.stream", true).containsEntry("tracewire.stream.chunks", 4L)
          .containsKey("gen_ai.response.time_to_first_chunk");
      OtlpLogStats stats = sink.stats();
      assertThat(stats).isEqualTo(new OtlpLogStats(6, 2, 2, 0, 4, stats.exportCalls(), 0, 0));
    }
  }

  @Test
  void receiverDownLeavesTheAppUnaffectedAndCountsEveryRecordFailed() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    OtlpLogSink sink = OtlpLogSink.builder().endpoint("http://127.0.0.1:" + closedPort).exportRetry(quickRetry())
        .exportTimeout(Duration.ofSeconds(2)).build();
    SinkStats bus;
    try (Tracewire tw = install(sink, SinkConfig.named("otlp-logs").withPolicy(OverflowPolicy.DROP_NEWEST))) {
      for (int i = 0; i < 20; i++) {
        assertThat(chain().invoke(Map.of("question", "q"), config())).isEqualTo("hi there / sunny in Oslo");
      }
      tw.flush(Duration.ofSeconds(60));
      bus = tw.stats().get(0);
    }
    assertThat(bridge.listenerFailures()).isZero();
    assertThat(seen).hasSize(20 * 13); // the default selection has every event of this chain: no stream events
    OtlpLogStats stats = sink.stats();
    assertThat(bus.queued()).isEqualTo(260);
    assertThat(bus.dropped()).isZero();
    assertThat(stats.events()).isEqualTo(260);
    assertThat(stats.exported()).isZero();
    assertThat(stats.failed()).isEqualTo(260);
    assertThat(stats.failedCalls()).isEqualTo(stats.exportCalls()).isPositive();
    assertThat(bus.failed()).isEqualTo(260);
    assertThat(bus.delivered()).isZero();
  }

  @Test
  void slowReceiverMakesTheBusDropAndEveryCountIsExact() throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(true)) {
      OtlpLogSink sink = OtlpLogSink.builder().endpoint(receiver.baseUrl()).exportTimeout(Duration.ofSeconds(30)).build();
      SinkStats bus;
      try (Tracewire tw = install(sink, SinkConfig.named("otlp-logs").withCapacity(16).withMaxBatch(4))) {
        for (int i = 0; i < 50; i++) {
          assertThat(chain().invoke(Map.of("question", "q"), config())).isEqualTo("hi there / sunny in Oslo");
        }
        // every run completed while the receiver held the first request
        assertThat(receiver.receivedLogs).isEmpty();
        receiver.release();
        assertThat(tw.flush(Duration.ofSeconds(30))).isTrue();
        bus = tw.stats().get(0);
      }
      int emitted = 50 * 13;
      assertThat(seen).hasSize(emitted);
      OtlpLogStats stats = sink.stats();
      assertThat(bus.queued() + bus.dropped()).isEqualTo(emitted);
      assertThat(bus.dropped()).isPositive();
      assertThat(bus.delivered()).isEqualTo(bus.queued());
      assertThat(stats.events()).isEqualTo(bus.delivered());
      assertThat(stats.exported()).isEqualTo(stats.events());
      assertThat(stats.failed()).isZero();
      assertThat(receiver.logRecords()).hasSize((int) stats.exported());
      // at most one batch in flight, one more being taken, and a full queue got through
      assertThat(stats.exported()).isLessThanOrEqualTo(4 + 4 + 16);
    }
  }

  @Test
  void receiverRestartedMidRunLosesOnlyWhatWasSentWhileItWasDown() throws Exception {
    OtlpHttpReceiver first = new OtlpHttpReceiver(false);
    int port = first.port();
    OtlpLogSink sink = OtlpLogSink.builder().endpoint("http://127.0.0.1:" + port).exportRetry(quickRetry())
        .exportTimeout(Duration.ofSeconds(2)).build();
    OtlpHttpReceiver second = null;
    try (Tracewire tw = install(sink, SinkConfig.named("otlp-logs").withPolicy(OverflowPolicy.BLOCK))) {
      for (int i = 0; i < 5; i++) {
        chain().invoke(Map.of("question", "q"), config());
      }
      assertThat(tw.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(first.logRecords()).hasSize(65);
      first.close();

      for (int i = 0; i < 5; i++) {
        assertThat(chain().invoke(Map.of("question", "q"), config())).isEqualTo("hi there / sunny in Oslo");
      }
      tw.flush(Duration.ofSeconds(30));
      assertThat(sink.stats().failed()).isEqualTo(65);

      second = new OtlpHttpReceiver(false, port);
      for (int i = 0; i < 5; i++) {
        chain().invoke(Map.of("question", "q"), config());
      }
      assertThat(tw.flush(Duration.ofSeconds(30))).isTrue();
      SinkStats bus = tw.stats().get(0);
      assertThat(bus.queued()).isEqualTo(195);
      assertThat(bus.dropped()).isZero();
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
    OtlpLogStats stats = sink.stats();
    assertThat(stats.events()).isEqualTo(195);
    assertThat(stats.exported() + stats.failed()).isEqualTo(195);
    assertThat(first.logRecords().size() + second.logRecords().size()).isEqualTo((int) stats.exported());
    assertThat(stats.failed()).isEqualTo(65);
    assertThat(second.logRecords()).hasSize(65);
    // nothing arrived twice
    assertThat(second.logRecords().stream().map(r -> attrs(r.getAttributesList()).get("tracewire.event.seq")).distinct())
        .hasSize(65);
  }

  static RetryPolicy quickRetry() {
    return RetryPolicy.builder().setMaxAttempts(2).setInitialBackoff(Duration.ofMillis(10))
        .setMaxBackoff(Duration.ofMillis(10)).build();
  }

  static Map<String, List<LogRecord>> byEventName(List<LogRecord> records) {
    return records.stream().collect(Collectors.groupingBy(LogRecord::getEventName, LinkedHashMap::new, Collectors.toList()));
  }

  static <T> Map<String, T> index(List<T> l, Function<T, String> key) {
    Map<String, T> m = new LinkedHashMap<>();
    for (T t : l) {
      m.put(key.apply(t), t);
    }
    return m;
  }

  static List<String> names(List<StreamEvent> events) {
    List<String> out = new ArrayList<>();
    for (StreamEvent e : events) {
      out.add(e.event() + " " + e.name());
    }
    return out;
  }
}
