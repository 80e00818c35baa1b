package io.tracewire.exporters.otel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.tracewire.core.RunConfig;
import io.tracewire.core.Tracewire;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.sink.SinkStats;
import io.tracewire.exporters.otel.CollectorFiles.LogLine;
import io.tracewire.exporters.otel.CollectorFiles.SpanLine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through a real OpenTelemetry Collector (the one of {@code .ci/otelcol-lib.sh}, started
 * by {@code .ci/otel-e2e.sh}): a demo chain (prompt | streaming chat model | parser | a step with a
 * custom event, a tool and a retriever) exported by the {@link OtelBridge} as spans and by the
 * {@link OtlpLogSink} as log records, over OTLP/gRPC and over OTLP http/protobuf; the collector's
 * file exporter output is read back and compared with the events a listener saw in process. With
 * Jaeger forwarding on, the trace is also read back from Jaeger's query API.
 *
 * <p>The fault cases (collector down, hung, restarted mid-run) start a private collector from the
 * same binary on their own ports, so that stopping it does not disturb the shared one.
 *
 * <p>Needs {@code TRACEWIRE_OTELCOL_*} (from {@code start_otelcol}); skipped with a message without
 * them, failed instead under {@code -Dtracewire.requireExternal=true}, which also requires Jaeger.
 */
class CollectorIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final List<StreamEvent> seen = new CopyOnWriteArrayList<>();

  @TempDir
  Path tmp;

  // ---------------------------------------------------------------------------------------------
  // The happy path, once per transport

  @Test
  void grpcEveryEventArrivesOnceAsALogRecordOfItsRunsSpanAndTheSpansFormTheRunTree() throws Exception {
    Externals.Collector c = Externals.collector();
    everyEventOnceWithItsSpan(OtlpProtocol.GRPC, c.grpcEndpoint(), c);
  }

  @Test
  void httpProtobufEveryEventArrivesOnceAsALogRecordOfItsRunsSpanAndTheSpansFormTheRunTree() throws Exception {
    Externals.Collector c = Externals.collector();
    everyEventOnceWithItsSpan(OtlpProtocol.HTTP_PROTOBUF, c.httpEndpoint(), c);
  }

  private void everyEventOnceWithItsSpan(OtlpProtocol protocol, String endpoint, Externals.Collector c) throws Exception {
    String service = "tracewire-collector-it-" + protocol.otelName().replace('/', '-') + "-" + shortId();
    OtelBridge bridge = DemoChain.bridge(endpoint, protocol, service).build();
    OtlpLogSink sink = DemoChain.sink(endpoint, protocol, service, bridge).build();
    SinkStats bus;
    try (Tracewire tw = install(bridge, sink, SinkConfig.named(OtlpLogSink.DEFAULT_NAME).withPolicy(OverflowPolicy.BLOCK))) {
      assertThat(DemoChain.runStreaming(RunConfig.builder().runName("demo_chain").tags("e2e").build()))
          .isEqualTo(DemoChain.OUTPUT);
      assertThat(tw.flush(WAIT)).as("log sink flushed").isTrue();
      assertThat(bridge.flush(WAIT)).as("spans flushed").isTrue();
      bus = tw.stats().get(0);
    } finally {
      bridge.close();
    }
    List<StreamEvent> events = List.copyOf(seen);
    DemoChain.assertShape(events);
    int runs = (int) events.stream().map(StreamEvent::runId).distinct().count();

    // the counters agree with the run before anything is read back
    assertThat(bus.dropped()).isZero();
    assertThat(bus.queued()).isEqualTo(events.size());
    OtlpLogStats stats = sink.stats();
    assertThat(stats).isEqualTo(new OtlpLogStats(events.size(), events.size(), events.size(), 0, 0, stats.exportCalls(), 0, 0));
    assertThat(bridge.stats().spansExported()).isEqualTo(runs);
    assertThat(bridge.stats().spansFailed()).isZero();

    CollectorFiles files = new CollectorFiles(c.tracesFile(), c.logsFile());
    List<SpanLine> spans = files.awaitSpans(service, runs, WAIT);
    List<LogLine> records = files.awaitLogs(service, events.size(), WAIT);
    assertThat(spans).as("spans of %s in %s", service, c.tracesFile()).hasSize(runs);
    assertThat(records).as("log records of %s in %s", service, c.logsFile()).hasSize(events.size());

    // every event exactly once, same names in the same (seq) order as seen in process
    Map<Long, LogLine> bySeq = new LinkedHashMap<>();
    for (LogLine r : records) {
      assertThat(bySeq.put(r.seq(), r)).as("one record for seq %s", r.seq()).isNull();
    }
    List<String> expectedNames = new ArrayList<>();
    List<String> actualNames = new ArrayList<>();
    for (StreamEvent e : events) {
      expectedNames.add(e.seq() + " " + e.event() + " " + e.name() + " " + e.runId());
      LogLine r = bySeq.get(e.seq());
      assertThat(r).as("record of %s %s (seq %s)", e.event(), e.name(), e.seq()).isNotNull();
      actualNames.add(r.seq() + " " + r.event() + " " + r.name() + " " + r.runId());
    }
    assertThat(actualNames).containsExactlyElementsOf(expectedNames);

    // the span tree: one span per run, the parent of each is its parent run's span, one trace
    Map<String, SpanLine> spanOfRun = assertRunTree(events, spans);

    // every record is correlated with its run's span
    for (LogLine r : records) {
      SpanLine span = spanOfRun.get(r.runId());
      assertThat(span).as("span of run %s", r.runId()).isNotNull();
      assertThat(r.traceId()).as("trace id of %s", r.event()).isEqualTo(span.traceId());
      assertThat(r.spanId()).as("span id of %s %s", r.event(), r.name()).isEqualTo(span.spanId());
    }

    String traceId = spans.get(0).traceId();
    String jaeger = Externals.jaegerQuery();
    if (jaeger != null) {
      assertTraceInJaeger(jaeger, traceId, spans);
    }
    System.out.printf("CollectorIT %s: %d events as log records, %d spans of trace %s verified in the collector's files%s%n",
        protocol.otelName(), records.size(), spans.size(), traceId, jaeger == null ? "" : " and in Jaeger");
  }

  /** Asserts the exact parent tree and returns the span of every run. */
  static Map<String, SpanLine> assertRunTree(List<StreamEvent> events, List<SpanLine> spans) {
    Map<String, SpanLine> spanOfRun = new HashMap<>();
    for (SpanLine s : spans) {
      assertThat(spanOfRun.put(s.runId(), s)).as("one span for run %s", s.runId()).isNull();
    }
    Map<String, String> parentRun = new LinkedHashMap<>();
    Map<String, String> nameOfRun = new LinkedHashMap<>();
    for (StreamEvent e : events) {
      if (!e.isCustom() && e.event().endsWith("_start")) {
        parentRun.put(e.runId(), e.parentIds().isEmpty() ? null : e.parentIds().get(e.parentIds().size() - 1));
        nameOfRun.put(e.runId(), e.name());
      }
    }
    assertThat(spanOfRun.keySet()).containsExactlyInAnyOrderElementsOf(parentRun.keySet());
    String traceId = spans.get(0).traceId();
    for (Map.Entry<String, String> run : parentRun.entrySet()) {
      SpanLine span = spanOfRun.get(run.getKey());
      assertThat(span.traceId()).as("trace of %s", nameOfRun.get(run.getKey())).isEqualTo(traceId);
      String expectedParent = run.getValue() == null ? "" : spanOfRun.get(run.getValue()).spanId();
      assertThat(span.parentSpanId()).as("parent span of %s", nameOfRun.get(run.getKey())).isEqualTo(expectedParent);
    }
    return spanOfRun;
  }

  private static void assertTraceInJaeger(String query, String traceId, List<SpanLine> spans) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI uri = URI.create(query + "/api/traces/" + traceId);
    JsonNode trace = null;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        JsonNode data = CollectorFiles.JSON.readTree(r.body()).path("data");
        if (data.size() == 1 && data.get(0).path("spans").size() >= spans.size()) {
          trace = data.get(0);
          break;
        }
      }
      Thread.sleep(250);
    }
    assertThat(trace).as("trace %s in Jaeger at %s (forwarded by the collector)", traceId, uri).isNotNull();
    Map<String, String> parentOf = new HashMap<>();
    for (JsonNode s : trace.path("spans")) {
      JsonNode ref = s.path("references");
      parentOf.put(s.path("spanID").asText(), ref.isEmpty() ? "" : ref.get(0).path("spanID").asText());
    }
    Map<String, String> expected = new HashMap<>();
    for (SpanLine s : spans) {
      expected.put(s.spanId(), s.parentSpanId());
    }
    assertThat(parentOf).as("span -> parent in Jaeger").isEqualTo(expected);
  }

  // ---------------------------------------------------------------------------------------------
  // Faults: a private collector from the same binary

  @Test
  void collectorDownLeavesTheAppUnaffectedAndEveryRecordIsCountedFailed() throws Exception {
    Externals.collector();
    int port = PrivateCollector.freePort(); // nothing listens there
    String endpoint = "http://127.0.0.1:" + port;
    String service = "tracewire-collector-down-" + shortId();
    OtelBridge bridge = DemoChain.bridge(endpoint, OtlpProtocol.HTTP_PROTOBUF, service)
        .exportRetry(quickRetry()).exportTimeout(Duration.ofSeconds(2)).build();
    OtlpLogSink sink = DemoChain.sink(endpoint, OtlpProtocol.HTTP_PROTOBUF, service, bridge)
        .exportRetry(quickRetry()).exportTimeout(Duration.ofSeconds(2)).build();
    int chains = 10;
    SinkStats bus;
    try (Tracewire tw = install(bridge, sink, SinkConfig.named(OtlpLogSink.DEFAULT_NAME))) {
      for (int i = 0; i < chains; i++) {
        assertThat(DemoChain.runStreaming(RunConfig.builder().build())).isEqualTo(DemoChain.OUTPUT);
      }
      tw.flush(WAIT);
      bus = tw.stats().get(0);
    } finally {
      bridge.flush(WAIT);
      bridge.close();
    }
    long emitted = seen.size();
    assertThat(emitted).isEqualTo(chains * (long) DemoChain.EVENTS_PER_RUN);
    assertThat(bridge.listenerFailures()).isZero();
    OtlpLogStats stats = sink.stats();
    assertThat(stats.exported()).isZero();
    assertThat(stats.exported() + bus.dropped() + stats.failed()).isEqualTo(emitted);
    assertThat(stats.failed()).isEqualTo(bus.failed()).isEqualTo(stats.events());
    assertThat(stats.failedCalls()).isEqualTo(stats.exportCalls()).isPositive();
    assertThat(bridge.stats().spansExported()).isZero();
    System.out.printf("CollectorIT down: %d events emitted, %d dropped by the bus, %d failed in %d calls; %d spans failed%n",
        emitted, bus.dropped(), stats.failed(), stats.failedCalls(), bridge.stats().spansFailed());
  }

  @Test
  void hungCollectorMakesTheBusDropNewestAndEveryCountIsExact() throws Exception {
    Externals.Collector shared = Externals.collector();
    String service = "tracewire-collector-hung-" + shortId();
    try (PrivateCollector pc = PrivateCollector.start(shared.binary(), tmp)) {
      OtelBridge bridge = DemoChain.bridge(pc.grpcEndpoint(), OtlpProtocol.GRPC, service)
          .exportTimeout(Duration.ofSeconds(120)).build();
      OtlpLogSink sink = DemoChain.sink(pc.grpcEndpoint(), OtlpProtocol.GRPC, service, bridge)
          .exportTimeout(Duration.ofSeconds(120)).maxExportWait(Duration.ofSeconds(120)).build();
      int chains = 30;
      SinkStats bus;
      try (Tracewire tw = install(bridge, sink, SinkConfig.named(OtlpLogSink.DEFAULT_NAME).withCapacity(16).withMaxBatch(4))) {
        pc.pause(); // SIGSTOP: the kernel still accepts connections, nothing answers
        try {
          for (int i = 0; i < chains; i++) {
            assertThat(DemoChain.runStreaming(RunConfig.builder().build())).isEqualTo(DemoChain.OUTPUT);
          }
          // every run completed while the collector answered nothing
          assertThat(sink.stats().exported()).isZero();
        } finally {
          pc.resume();
        }
        assertThat(tw.flush(Duration.ofSeconds(120))).as("flush after the collector resumed").isTrue();
        bus = tw.stats().get(0);
      } finally {
        bridge.flush(Duration.ofSeconds(120));
        bridge.close();
      }
      long emitted = seen.size();
      assertThat(emitted).isEqualTo(chains * (long) DemoChain.EVENTS_PER_RUN);
      OtlpLogStats stats = sink.stats();
      assertThat(bus.dropped()).as("the bus dropped while the sink waited").isPositive();
      assertThat(bus.queued() + bus.dropped()).isEqualTo(emitted);
      assertThat(stats.failed()).isZero();
      assertThat(stats.exported()).isEqualTo(stats.events()).isEqualTo(bus.delivered()).isEqualTo(bus.queued());
      assertThat(stats.exported() + bus.dropped() + stats.failed()).isEqualTo(emitted);

      CollectorFiles files = new CollectorFiles(pc.tracesFile(), pc.logsFile());
      List<LogLine> records = files.awaitLogs(service, (int) stats.exported(), WAIT);
      assertThat(records).hasSize((int) stats.exported());
      assertThat(records.stream().map(LogLine::seq).distinct()).hasSize(records.size());
      long spansExported = bridge.stats().spansExported();
      assertThat(spansExported).isEqualTo(bridge.stats().spansEnded()); // the SDK queue (2048) held them all
      assertThat(files.awaitSpans(service, (int) spansExported, WAIT)).hasSize((int) spansExported);
      System.out.printf("CollectorIT hung: %d events emitted, %d exported, %d dropped by the bus, 0 failed; %d spans exported%n",
          emitted, stats.exported(), bus.dropped(), spansExported);
    }
  }

  @Test
  void collectorRestartedMidRunLosesOnlyWhatWasSentWhileItWasDown() throws Exception {
    Externals.Collector shared = Externals.collector();
    String service = "tracewire-collector-restart-" + shortId();
    try (PrivateCollector pc = PrivateCollector.start(shared.binary(), tmp)) {
      OtelBridge bridge = DemoChain.bridge(pc.grpcEndpoint(), OtlpProtocol.GRPC, service)
          .exportRetry(quickRetry()).exportTimeout(Duration.ofSeconds(5)).build();
      OtlpLogSink sink = DemoChain.sink(pc.grpcEndpoint(), OtlpProtocol.GRPC, service, bridge)
          .exportRetry(quickRetry()).exportTimeout(Duration.ofSeconds(5)).build();
      int perPhase = 5;
      long beforeDown;
      long whileDown;
      SinkStats bus;
      CollectorFiles files = new CollectorFiles(pc.tracesFile(), pc.logsFile());
      try (Tracewire tw = install(bridge, sink, SinkConfig.named(OtlpLogSink.DEFAULT_NAME))) {
        runChains(perPhase);
        assertThat(tw.flush(WAIT)).isTrue();
        assertThat(bridge.flush(WAIT)).isTrue();
        beforeDown = seen.size();
        assertThat(sink.stats().exported()).isEqualTo(beforeDown);
        assertThat(files.awaitLogs(service, (int) beforeDown, WAIT)).hasSize((int) beforeDown);

        pc.stop();
        runChains(perPhase);
        tw.flush(WAIT);
        bridge.flush(WAIT);
        whileDown = seen.size() - beforeDown;
        assertThat(sink.stats().failed()).isEqualTo(whileDown);

        pc.restart();
        runChains(perPhase);
        assertThat(tw.flush(WAIT)).isTrue();
        assertThat(bridge.flush(WAIT)).isTrue();
        bus = tw.stats().get(0);
      } finally {
        bridge.close();
      }
      long emitted = seen.size();
      assertThat(emitted).isEqualTo(3L * perPhase * DemoChain.EVENTS_PER_RUN);
      OtlpLogStats stats = sink.stats();
      assertThat(bus.dropped()).isZero();
      assertThat(stats.failed()).isEqualTo(whileDown);
      assertThat(stats.exported()).isEqualTo(emitted - whileDown);
      assertThat(stats.exported() + bus.dropped() + stats.failed()).isEqualTo(emitted);
      List<LogLine> records = files.awaitLogs(service, (int) stats.exported(), WAIT);
      assertThat(records).as("records in the file, written before and after the restart").hasSize((int) stats.exported());
      assertThat(records.stream().map(LogLine::seq).distinct()).as("nothing arrived twice").hasSize(records.size());

      long spansExported = bridge.stats().spansExported();
      int runsPerChain = DemoChain.RUNS_PER_CHAIN;
      assertThat(spansExported).isEqualTo(2L * perPhase * runsPerChain);
      assertThat(bridge.stats().spansFailed()).isEqualTo((long) perPhase * runsPerChain);
      assertThat(files.awaitSpans(service, (int) spansExported, WAIT)).hasSize((int) spansExported);
      System.out.printf("CollectorIT restart: %d events emitted, %d exported, %d failed while down, %d dropped; "
          + "%d spans exported, %d failed%n", emitted, stats.exported(), stats.failed(), bus.dropped(), spansExported,
          bridge.stats().spansFailed());
    }
  }

  // ---------------------------------------------------------------------------------------------

  private Tracewire install(OtelBridge bridge, OtlpLogSink sink, SinkConfig config) {
    return Tracewire.builder().listener(bridge).listener(seen::add).sink(sink, config).install();
  }

  private static void runChains(int n) {
    for (int i = 0; i < n; i++) {
      assertThat(DemoChain.runStreaming(RunConfig.builder().build())).isEqualTo(DemoChain.OUTPUT);
    }
  }

  static RetryPolicy quickRetry() {
    return RetryPolicy.builder().setMaxAttempts(2).setInitialBackoff(Duration.ofMillis(10))
        .setMaxBackoff(Duration.ofMillis(10)).build();
  }

  static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
