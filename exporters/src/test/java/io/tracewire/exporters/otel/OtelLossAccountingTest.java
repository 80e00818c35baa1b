package io.tracewire.exporters.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.tracewire.core.RunConfig;
import io.tracewire.core.Tracewire;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.sink.EventBus;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.sink.SinkStats;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Nothing is lost silently on the OpenTelemetry paths: every loss is counted, and an outage logs a few lines. */
class OtelLossAccountingTest {

  static StreamEvent ev(long seq, String event, String runId) {
    return new StreamEvent(event, "step", runId, List.of(), List.of(), Map.of(), Map.of("chunk", "x"), seq, seq);
  }

  @Test
  void withTheDefaultKindsChunkTrafficNeverMakesAStalledLogSinkDropAStartOrEndEvent() throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(true)) {
      OtlpLogSink sink = OtlpLogSink.builder().endpoint(receiver.baseUrl()).exportTimeout(Duration.ofSeconds(30)).build();
      SinkStats stats;
      try (EventBus bus = EventBus.builder()
          .sink(sink, SinkConfig.named("otlp-logs").withCapacity(64).withMaxBatch(16).withPolicy(OverflowPolicy.DROP_NEWEST))
          .build()) {
        long seq = 1;
        // the receiver holds every request: the sink's worker is stuck in its first export
        for (int run = 0; run < 10; run++) {
          String id = "run-" + run;
          bus.onEvent(ev(seq++, "on_chain_start", id));
          for (int c = 0; c < 100; c++) {
            bus.onEvent(ev(seq++, "on_chain_stream", id));
          }
          bus.onEvent(ev(seq++, "on_chain_end", id));
        }
        stats = bus.stats("otlp-logs");
        receiver.release();
        assertThat(bus.flush(Duration.ofSeconds(30))).isTrue();
      }
      assertThat(stats.dropped()).as("bus drops while the collector stalled: " + stats).isZero();
      assertThat(stats.queued()).isEqualTo(20);
      assertThat(receiver.logRecords()).hasSize(20).extracting(LogRecord::getEventName)
          .containsOnly("tracewire.on_chain_start", "tracewire.on_chain_end");
      assertThat(sink.stats().exported()).isEqualTo(20);
      assertThat(sink.stats().skipped()).isZero();
    }
  }

  @Test
  void spansTheBatchProcessorDropsWhenItsQueueIsFullAreCounted() throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(true);
        OtelBridge bridge = OtelBridge.builder().endpoint(receiver.baseUrl()).maxQueueSize(8).maxExportBatchSize(8)
            .exportTimeout(Duration.ofSeconds(30)).shutdownHook(false).build()) {
      RunConfig config = RunConfig.builder().listener(bridge).build();
      var step = RunnableLambda.of("step", (Integer i) -> i + 1);
      for (int i = 0; i < 200; i++) {
        step.invoke(i, config);
      }
      receiver.release();
      assertThat(bridge.flush(Duration.ofSeconds(30))).isTrue();
      ExportStats s = bridge.stats();
      assertThat(s.spansEnded()).isEqualTo(200);
      assertThat(s.spansDropped()).as(s.toString()).isPositive();
      assertThat(s.spansExported() + s.spansFailed() + s.spansDropped()).as(s.toString()).isEqualTo(200);
      assertThat(s.spansNotExported()).isZero();
      assertThat(receiver.spans()).hasSize((int) s.spansExported());
    }
  }

  @Test
  void anOutageLogsOneLinePerFailureKindWithoutStackTracesAndCountsEveryLoss() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String collector = "http://127.0.0.1:" + closedPort;
    List<java.util.logging.LogRecord> logged = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        if (r.getLevel().intValue() >= Level.INFO.intValue()) {
          logged.add(r);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    RetryPolicy quick = RetryPolicy.builder().setMaxAttempts(2).setInitialBackoff(Duration.ofMillis(10))
        .setMaxBackoff(Duration.ofMillis(20)).build();
    OtelBridge bridge = OtelBridge.builder().endpoint(collector).exportRetry(quick).scheduleDelay(Duration.ofMillis(10))
        .exportTimeout(Duration.ofSeconds(2)).shutdownHook(false).build();
    OtlpLogSink logs = OtlpLogSink.builder().endpoint(collector).exportRetry(quick).exportTimeout(Duration.ofSeconds(2))
        .bridge(bridge).build();
    SinkStats bus;
    try {
      try (Tracewire tw = Tracewire.builder().listener(bridge)
          .sink(logs, SinkConfig.named("otlp-logs").withMaxBatch(8).withPolicy(OverflowPolicy.BLOCK)).install()) {
        for (int i = 0; i < 20; i++) {
          assertThat(OtlpExportTest.chain().invoke(Map.of("question", "q"))).isEqualTo("hi there");
        }
        bridge.flush(Duration.ofSeconds(30));
        tw.flush(Duration.ofSeconds(60));
        bus = tw.stats().get(0);
      }
      bridge.close();
    } finally {
      root.removeHandler(capture);
    }
    List<String> lines = new ArrayList<>();
    for (java.util.logging.LogRecord r : logged) {
      lines.add(r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage());
    }
    assertThat(logged).as(String.join("\n", lines)).allSatisfy(r -> {
      assertThat(r.getThrown()).as("a stack trace at " + r.getLevel() + " from " + r.getLoggerName()).isNull();
      assertThat(r.getMessage()).doesNotContain("\n");
    });
    // the bus's first failed batch of the log sink, and the bridge's first failed span export; the SDK's own SEVERE records are counted instead
    assertThat(lines).as(String.join("\n", lines)).hasSize(2);
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("sink 'otlp-logs' failed to export")
        .contains("java.net.ConnectException"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("span export failed").contains("java.net.ConnectException"));
    ExportStats spans = bridge.stats();
    assertThat(spans.spansEnded()).isEqualTo(80);
    assertThat(spans.spansFailed()).isEqualTo(80);
    assertThat(spans.spansLost()).isEqualTo(80);
    assertThat(logs.stats().failed()).isEqualTo(logs.stats().records()).isEqualTo(20 * 8);
    assertThat(bus.failed()).isEqualTo(20 * 8);
  }
}
