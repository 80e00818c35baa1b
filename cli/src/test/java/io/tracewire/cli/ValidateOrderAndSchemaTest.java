package io.tracewire.cli;

import static io.tracewire.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.Tracewire;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.exporters.jsonl.JsonlCodec;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tracewire validate} on logs of concurrent, restarted and hostile writers, and against the schema. */
class ValidateOrderAndSchemaTest {
  @TempDir Path dir;

  /** Writes {@code threads x calls} traced calls from as many threads into {@code file}. */
  static JsonlFileSink tracedCalls(Path file, int threads, int calls, long maxFileBytes) throws Exception {
    JsonlFileSink sink = JsonlFileSink.builder(file).maxFileBytes(maxFileBytes).build();
    try (Tracewire tw = Tracewire.builder()
        .sink(sink, SinkConfig.named("jsonl").withPolicy(OverflowPolicy.BLOCK).withCapacity(512))
        .install()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < calls; i++) {
            int call = i;
            Tracewire.trace("outer-" + thread, () -> Tracewire.trace("inner", () -> call));
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(tw.flush(Duration.ofSeconds(30))).isTrue();
    }
    return sink;
  }

  @Test
  void aLogWrittenByEightThreadsIsValid() throws Exception {
    Path log = dir.resolve("concurrent.jsonl");
    tracedCalls(log, 8, 200, 0);
    CliTest.Result v = run("validate", log.toString());
    assertThat(v.out()).contains("6400 events, 3200 runs (3200 ended").contains("1 writer(s)").endsWith("valid\n");
    assertThat(v.code()).isZero();
  }

  @Test
  void anApplicationRestartedOnTheSameRotatedLogIsValid() throws Exception {
    Path log = dir.resolve("restarted.jsonl");
    tracedCalls(log, 4, 100, 16 * 1024);
    tracedCalls(log, 4, 100, 16 * 1024);
    CliTest.Result v = run("validate", log.toString());
    assertThat(v.out()).contains("3200 events, 1600 runs (1600 ended").contains("2 writer(s)").endsWith("valid\n");
    assertThat(v.code()).isZero();
    // tail sees no gaps where there are none
    CliTest.Result t = run("tail", log.toString(), "--no-follow", "--raw");
    assertThat(t.err()).doesNotContain("gap");
    assertThat(t.out().lines()).hasSize(3200);
  }

  @Test
  void aGapInAWritersSequenceIsAWarningWithItsExactSize() throws Exception {
    Path log = dir.resolve("gap.jsonl");
    tracedCalls(log, 1, 10, 0);
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    // lose three whole runs (start and end of outer and inner: 4 lines each) in the middle
    List<String> kept = new ArrayList<>(lines.subList(0, 8));
    kept.addAll(lines.subList(20, lines.size()));
    Files.write(log, kept);
    CliTest.Result v = run("validate", log.toString());
    assertThat(v.out()).contains("12 event(s) lost").endsWith("valid (with lost events)\n");
    assertThat(v.code()).isZero();
    assertThat(run("tail", log.toString(), "--no-follow", "--raw").err()).contains(": 12 events between seq 8 and 21");
  }

  @Test
  void aSeqThatGoesBackWithinOneWriterIsAViolation() throws Exception {
    Path log = dir.resolve("swapped.jsonl");
    tracedCalls(log, 1, 3, 0);
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    // swap two end events of different runs: lifecycle still holds, the order does not
    String a = lines.get(2);
    lines.set(2, lines.get(3).replace("\"on_chain_end\"", "\"on_chain_end\""));
    lines.set(3, a);
    Files.write(log, lines);
    CliTest.Result v = run("validate", log.toString());
    assertThat(v.out()).contains("seq 3 of writer").contains("does not increase (previous 4)");
    assertThat(v.code()).isEqualTo(1);
  }

  @Test
  void linesTheSchemaForbidsAreViolations() throws Exception {
    Path log = dir.resolve("schema.jsonl");
    tracedCalls(log, 1, 1, 0);
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    String start = lines.get(0);
    lines.add(start.replace("\"seq\":1,", "\"seq\":-3,"));
    lines.add(start.replace("\"on_chain_start\"", "\"on_chain_BOGUS\""));
    lines.add(start.replace("\"on_chain_start\"", "\"XYZ_start\""));
    lines.add(start.replace("\"v\":2", "\"v\":3"));
    // decodes, but the schema's trace_id is 32 lower-case hex digits
    lines.add(start.replace("\"parent_ids\"", "\"trace_id\":\"not-a-trace-id\",\"parent_ids\""));
    Files.write(log, lines);
    CliTest.Result v = run("validate", log.toString(), "--max-violations", "100");
    assertThat(v.code()).isEqualTo(1);
    assertThat(v.out())
        .contains(log + ":5: field \"seq\" must not be negative: -3")
        .contains(log + ":6: field \"event\" is not an event name")
        .contains(log + ":7: field \"event\" is not an event name")
        .contains(log + ":8: unsupported schema version 3")
        .contains("schema: " + log + ":9: /trace_id");
  }

  @Test
  void whitespaceOnlyLinesAreBlankLines() throws Exception {
    Path log = dir.resolve("blank.jsonl");
    tracedCalls(log, 1, 2, 0);
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    lines.add(1, "   ");
    lines.add(3, "\t \t");
    lines.add(5, "");
    Files.write(log, lines);
    CliTest.Result v = run("validate", log.toString());
    assertThat(v.out()).contains("0 malformed lines").endsWith("valid\n");
  }

  @Test
  void eachMalformedLineIsReportedOnceByTailReplayAndServe() throws Exception {
    Path log = dir.resolve("one-bad.jsonl");
    tracedCalls(log, 1, 2, 0);
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    lines.add(2, "{not json");
    Files.write(log, lines);
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    List<java.util.logging.LogRecord> logged = new ArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        if (r.getMessage() != null && r.getMessage().contains("malformed")) {
          logged.add(r);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    root.addHandler(capture);
    try {
      CliTest.Result t = run("tail", log.toString(), "--no-follow");
      assertThat(occurrences(t.err(), log + ":3")).isEqualTo(1);
      CliTest.Result r = run("replay", log.toString(), "--otlp-endpoint", "http://127.0.0.1:9/v1/traces");
      assertThat(occurrences(r.err(), log + ":3")).isEqualTo(1);
    } finally {
      root.removeHandler(capture);
    }
    assertThat(logged).as("java.util.logging warnings besides the commands' own message").isEmpty();
  }

  private static int occurrences(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void aVersionOneLogStillReadsAndValidates() throws Exception {
    Path log = dir.resolve("v1.jsonl");
    JsonlCodec codec = new JsonlCodec();
    StringBuilder sb = new StringBuilder();
    long seq = 1;
    for (var e : LogFixtures.chain()) {
      sb.append(codec.encodeToString(e).replace("{\"v\":2,", "{\"v\":1,")).append('\n');
      seq++;
    }
    Files.writeString(log, sb.toString(), StandardCharsets.UTF_8);
    CliTest.Result v = run("validate", log.toString());
    assertThat(v.out()).contains("line(s) of schema version 1").endsWith("valid\n");
    assertThat(run("tail", log.toString(), "--no-follow", "--tree").out()).startsWith("agent [chain]");
  }
}
