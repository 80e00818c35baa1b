package io.tracewire.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.cli.Main;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.Tracewire;
import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.sink.SinkStats;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import io.tracewire.exporters.jsonl.JsonlReader;
import io.tracewire.exporters.otel.OtelBridge;
import io.tracewire.exporters.otel.OtlpHttpReceiver;
import io.tracewire.exporters.otel.OtlpLogSink;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The concurrency stress test of issue 21: 8 threads x 1,000 traced calls, each a chain around a
 * streamed chat model call, through every sink at once: the JSONL log with rotation (and trace
 * links), the OTLP log sink and the OpenTelemetry bridge, both to a real OTLP/HTTP receiver
 * (official protobuf classes) on loopback. Afterwards {@code tracewire validate} finds the log
 * valid with one writer and no gap, and every count is exact: lines, spans, log records.
 */
class EverySinkUnderConcurrencyTest {
  static final int THREADS = 8;
  static final int CALLS = 1_000;
  /** The model streams "one", " ", "two", " ", "three". */
  static final int CHUNKS = 5;
  /** Events per call: chain start, model start, the chunks, model end, chain end. */
  static final int EVENTS_PER_CALL = 4 + CHUNKS;

  @TempDir Path dir;

  @Test
  void eightThreadsOfAThousandCallsReachEverySinkExactlyAndTheLogValidates() throws Exception {
    Path log = dir.resolve("stress.jsonl");
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(false)) {
      OtelBridge otel = OtelBridge.builder().endpoint(receiver.baseUrl() + "/v1/traces")
          .maxQueueSize(THREADS * CALLS * 2 + 1024).serviceName("stress").shutdownHook(false).build();
      JsonlFileSink jsonl = JsonlFileSink.builder(log).maxFileBytes(1024 * 1024).traceLinks(otel.traceLinks()).build();
      OtlpLogSink logs = OtlpLogSink.builder().endpoint(receiver.baseUrl() + "/v1/logs").bridge(otel).build();
      GenericFakeChatModel model = GenericFakeChatModel.cycling(List.of(new AIMessage("one two three")));
      List<SinkStats> stats;
      try (Tracewire tw = Tracewire.builder()
          .listener(otel)
          .sink(jsonl, SinkConfig.named("jsonl").withPolicy(OverflowPolicy.BLOCK))
          .sink(logs, SinkConfig.named("otlp-logs").withPolicy(OverflowPolicy.BLOCK))
          .install()) {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          done.add(pool.submit(() -> {
            go.await();
            int chunks = 0;
            for (int i = 0; i < CALLS; i++) {
              chunks += Tracewire.trace("request-" + thread, () -> {
                int n = 0;
                try (CloseableIterator<BaseMessage> it = model.stream(List.<BaseMessage>of())) {
                  while (it.hasNext()) {
                    it.next();
                    n++;
                  }
                }
                return n;
              });
            }
            return chunks;
          }));
        }
        go.countDown();
        int chunks = 0;
        for (Future<Integer> f : done) {
          chunks += f.get(300, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(chunks).isEqualTo(THREADS * CALLS * CHUNKS);
        assertThat(tw.flush(Duration.ofSeconds(120))).isTrue();
        stats = tw.stats();
      }
      otel.close();

      long events = (long) THREADS * CALLS * EVENTS_PER_CALL;
      SinkStats j = stats.stream().filter(s -> s.name().equals("jsonl")).findFirst().orElseThrow();
      assertThat(j.delivered()).isEqualTo(events);
      assertThat(j.dropped()).isZero();
      assertThat(j.failed()).isZero();
      assertThat(jsonl.stats().lines()).isEqualTo(events);
      assertThat(jsonl.stats().rotations()).isPositive();
      assertThat(JsonlReader.logFiles(log)).hasSizeGreaterThan(1);

      // Spans: one per run, every one received once.
      List<Span> spans = receiver.spans();
      Set<Object> ids = new HashSet<>();
      spans.forEach(s -> ids.add(s.getSpanId()));
      assertThat(spans).as("spans received; bridge stats %s", otel.stats()).hasSize(THREADS * CALLS * 2);
      assertThat(ids).hasSize(THREADS * CALLS * 2);
      assertThat(otel.stats().spansExported()).isEqualTo(THREADS * CALLS * 2L);
      assertThat(otel.stats().spansFailed()).isZero();

      // Log records: the sink's default kinds (no chunks): four per call.
      SinkStats l = stats.stream().filter(s -> s.name().equals("otlp-logs")).findFirst().orElseThrow();
      assertThat(l.dropped()).isZero();
      assertThat(l.failed()).isZero();
      assertThat(receiver.logRecords()).hasSize(THREADS * CALLS * 4);

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream saved = System.out;
      int code;
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      try {
        code = Main.run("validate", log.toString());
      } finally {
        System.setOut(saved);
      }
      String report = out.toString(StandardCharsets.UTF_8);
      assertThat(report).contains(events + " events, " + (THREADS * CALLS * 2) + " runs (" + (THREADS * CALLS * 2)
          + " ended").contains("0 malformed lines, 1 writer(s)").endsWith("valid\n");
      assertThat(code).as(report).isZero();
    }
  }
}
