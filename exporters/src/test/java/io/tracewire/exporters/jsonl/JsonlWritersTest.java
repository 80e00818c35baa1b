package io.tracewire.exporters.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.Tracewire;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.sink.EventBus;
import io.tracewire.core.sink.EventSink;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.sink.SinkStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order and gap guarantees of the JSONL log (schema version 2): each writer numbers its
 * lines in the order it writes them, whatever the number of producer threads, across rotation,
 * restarts and several writers of one file; lost events leave gaps of exactly their number.
 */
class JsonlWritersTest {
  @TempDir Path dir;

  /** Every event of a rotated log with where it came from. */
  record Line(StreamEvent event, LineOrigin origin) {}

  static List<Line> readAll(Path active, List<MalformedLine> malformed) throws Exception {
    List<Line> out = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(JsonlReader.logFiles(active), new JsonlCodec(),
        ReadOptions.DEFAULT.withOnMalformed(malformed::add))) {
      while (r.hasNext()) {
        StreamEvent e = r.next();
        out.add(new Line(e, r.lastOrigin()));
      }
    }
    return out;
  }

  /** The seqs of each writer, in file order. */
  static Map<String, List<Long>> seqsByWriter(List<Line> lines) {
    Map<String, List<Long>> out = new LinkedHashMap<>();
    for (Line l : lines) {
      out.computeIfAbsent(l.origin().writer(), k -> new ArrayList<>()).add(l.origin().seq());
    }
    return out;
  }

  /** Where a sequence does not go up by exactly one, as readable text. */
  static List<String> gapsAndRegressions(List<Long> seqs) {
    List<String> out = new ArrayList<>();
    long prev = 0;
    for (int i = 0; i < seqs.size() && out.size() < 10; i++) {
      if (seqs.get(i) != prev + 1) {
        out.add("at " + i + ": " + prev + " -> " + seqs.get(i));
      }
      prev = seqs.get(i);
    }
    return out;
  }

  static List<Long> oneTo(long n) {
    List<Long> l = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      l.add(i);
    }
    return l;
  }

  @Test
  void eightThreadsOfTracedCallsGiveOneStrictlyIncreasingGaplessSequence() throws Exception {
    Path file = dir.resolve("events.jsonl");
    JsonlFileSink sink = JsonlFileSink.builder(file).maxFileBytes(64 * 1024).build();
    int threads = 8;
    int calls = 200;
    try (Tracewire tw = Tracewire.builder()
        .sink(sink, SinkConfig.named("jsonl").withPolicy(OverflowPolicy.BLOCK).withCapacity(256))
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
            Tracewire.trace("call-" + thread + "-" + call, () -> thread * 1000 + call);
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
    List<MalformedLine> malformed = new ArrayList<>();
    List<Line> lines = readAll(file, malformed);
    assertThat(malformed).isEmpty();
    // Each call is a start and an end event.
    assertThat(lines).hasSize(threads * calls * 2);
    assertThat(sink.stats().rotations()).isPositive();
    Map<String, List<Long>> byWriter = seqsByWriter(lines);
    assertThat(byWriter).containsOnlyKeys(sink.writerId());
    assertThat(byWriter.get(sink.writerId())).isEqualTo(oneTo(threads * calls * 2L));
  }

  /** Holds the first batch until released, so that the queue fills up and the bus drops. */
  static final class GatedSink implements EventSink {
    final JsonlFileSink delegate;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    GatedSink(JsonlFileSink delegate) {
      this.delegate = delegate;
    }

    @Override
    public void export(List<StreamEvent> batch) throws Exception {
      entered.countDown();
      release.await();
      delegate.export(batch);
    }

    @Override
    public void dropped(long events) {
      delegate.dropped(events);
    }

    @Override
    public void close() throws Exception {
      delegate.close();
    }
  }

  @Test
  void eventsTheBusDropsLeaveGapsOfExactlyTheirNumber() throws Exception {
    Path file = dir.resolve("drops.jsonl");
    GatedSink gated = new GatedSink(JsonlFileSink.builder(file).build());
    EventBus bus = EventBus.builder()
        .sink(gated, SinkConfig.named("jsonl").withCapacity(16).withMaxBatch(4).withPolicy(OverflowPolicy.DROP_NEWEST))
        .build();
    bus.onEvent(Events.seed(1, "first"));
    assertThat(gated.entered.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 2; i <= 100; i++) {
      bus.onEvent(Events.seed(i, "tok" + i));
    }
    gated.release.countDown();
    // A second burst after the queue drained: more drops between later lines.
    assertThat(bus.flush(Duration.ofSeconds(10))).isTrue();
    bus.onEvent(Events.seed(101, "after"));
    assertThat(bus.close(Duration.ofSeconds(10))).isTrue();
    SinkStats stats = bus.stats("jsonl");
    assertThat(stats.dropped()).isPositive();

    List<Line> lines = readAll(file, new ArrayList<>());
    assertThat((long) lines.size()).isEqualTo(stats.delivered());
    long gaps = 0;
    long prev = 0;
    for (Line l : lines) {
      assertThat(l.origin().seq()).isGreaterThan(prev);
      gaps += l.origin().seq() - prev - 1;
      prev = l.origin().seq();
    }
    assertThat(gaps).isEqualTo(stats.dropped());
    assertThat(prev).isEqualTo(stats.delivered() + stats.dropped());
  }

  @Test
  void aFailedWriteLeavesAGapOfItsBatch() throws Exception {
    Path missing = dir.resolve("not-yet").resolve("events.jsonl");
    JsonlFileSink sink = JsonlFileSink.builder(missing).build();
    try {
      sink.export(JsonlFileSinkTest.batch(1, 3));
    } catch (java.io.IOException expected) {
      // the directory does not exist yet
    }
    Files.createDirectories(missing.getParent());
    sink.export(JsonlFileSinkTest.batch(4, 2));
    sink.close();
    assertThat(seqsByWriter(readAll(missing, new ArrayList<>())).get(sink.writerId())).containsExactly(4L, 5L);
  }

  @Test
  void aRestartedApplicationAppendsAsANewWriterNumberingFromOne() throws Exception {
    Path file = dir.resolve("restart.jsonl");
    JsonlFileSink first = JsonlFileSink.builder(file).build();
    first.export(JsonlFileSinkTest.batch(1, 3));
    first.close();
    JsonlFileSink second = JsonlFileSink.builder(file).build();
    second.export(JsonlFileSinkTest.batch(1, 2));
    second.export(JsonlFileSinkTest.batch(3, 2));
    second.close();
    assertThat(first.writerId()).isNotEqualTo(second.writerId())
        .startsWith(ProcessHandle.current().pid() + "-");
    Map<String, List<Long>> byWriter = seqsByWriter(readAll(file, new ArrayList<>()));
    assertThat(byWriter).containsExactly(Map.entry(first.writerId(), oneTo(3)), Map.entry(second.writerId(), oneTo(4)));
  }

  @Test
  void severalWritersOfOneFileWithRotationKeepEveryLineInEachWritersOrder() throws Exception {
    Path file = dir.resolve("shared.jsonl");
    int writers = 4;
    int batches = 150;
    List<JsonlFileSink> sinks = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      sinks.add(JsonlFileSink.builder(file).maxFileBytes(32 * 1024).build());
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<?>> done = new ArrayList<>();
    for (JsonlFileSink s : sinks) {
      done.add(pool.submit(() -> {
        for (int b = 0; b < batches; b++) {
          s.export(JsonlFileSinkTest.batch(b * 3L + 1, 3));
        }
        s.close();
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    List<MalformedLine> malformed = new ArrayList<>();
    Map<String, List<Long>> byWriter = seqsByWriter(readAll(file, malformed));
    assertThat(malformed).isEmpty();
    assertThat(byWriter).hasSize(writers);
    for (JsonlFileSink s : sinks) {
      assertThat(byWriter.get(s.writerId())).isEqualTo(oneTo(batches * 3L));
    }
    assertThat(sinks.stream().mapToLong(s -> s.stats().rotations()).sum()).isPositive();
    assertThat(sinks.stream().mapToLong(s -> s.stats().reopens()).sum()).isZero();
  }

  @Test
  void twoProcessesWritingOneFileWithRotationKeepEveryLine() throws Exception {
    Path file = dir.resolve("two-processes.jsonl");
    int events = 20_000;
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> children = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      children.add(new ProcessBuilder(javaBin, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
          MultiWriterMain.class.getName(), file.toString(), String.valueOf(events), String.valueOf(256 * 1024))
          .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + i + ".log").toFile()).start());
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      Process p = children.get(i);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child %d finished", i).isTrue();
      String log = Files.readString(dir.resolve("child-" + i + ".log"));
      assertThat(p.exitValue()).as("child %d exit; log: %s", i, log).isZero();
      ids.add(log.lines().filter(l -> l.startsWith("writer ")).findFirst().orElseThrow().substring(7));
    }
    List<MalformedLine> malformed = new ArrayList<>();
    List<Line> lines = readAll(file, malformed);
    assertThat(malformed).isEmpty();
    assertThat(JsonlReader.logFiles(file)).hasSizeGreaterThan(2);
    Map<String, List<Long>> byWriter = seqsByWriter(lines);
    assertThat(byWriter.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    for (String id : ids) {
      assertThat(gapsAndRegressions(byWriter.get(id))).as("writer %s", id).isEmpty();
      assertThat(byWriter.get(id)).hasSize(events);
    }
  }
}
