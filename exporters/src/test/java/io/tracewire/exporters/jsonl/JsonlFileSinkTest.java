package io.tracewire.exporters.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tracewire.core.sink.EventBus;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.sink.SinkStats;
import io.tracewire.core.event.StreamEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlFileSinkTest {
  @TempDir Path dir;

  static List<StreamEvent> batch(long from, int n) {
    List<StreamEvent> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(Events.seed(from + i, "tok" + (from + i)));
    }
    return l;
  }

  static List<StreamEvent> readAll(List<Path> files) throws IOException {
    List<StreamEvent> out = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(files, new JsonlCodec(), ReadOptions.DEFAULT)) {
      r.forEachRemaining(out::add);
      assertThat(r.malformedLines()).isZero();
    }
    return out;
  }

  @Test
  void everyEventThroughABlockingBusIsWrittenAsOneLineAndReadsBackEqual() throws Exception {
    Path file = dir.resolve("events.jsonl");
    JsonlFileSink sink = JsonlFileSink.builder(file).build();
    List<StreamEvent> sent = batch(1, 20_000);
    try (EventBus bus = EventBus.builder()
        .sink(sink, SinkConfig.named("jsonl").withPolicy(OverflowPolicy.BLOCK).withCapacity(256)).build()) {
      sent.forEach(bus::onEvent);
      assertThat(bus.flush(Duration.ofSeconds(60))).isTrue();
      SinkStats s = bus.stats("jsonl");
      assertThat(s.delivered()).isEqualTo(20_000);
      assertThat(s.dropped()).isZero();
    }
    assertThat(Files.readAllLines(file)).hasSize(20_000);
    assertThat(readAll(List.of(file))).isEqualTo(sent);
    assertThat(sink.stats().lines()).isEqualTo(20_000);
    assertThat(sink.stats().bytes()).isEqualTo(Files.size(file));
  }

  @Test
  void sizeRotationKeepsEveryFileUnderTheLimitWithPredictableNames() throws Exception {
    Path file = dir.resolve("events.jsonl");
    JsonlFileSink sink = JsonlFileSink.builder(file).maxFileBytes(20_000).build();
    List<StreamEvent> sent = new ArrayList<>();
    for (int b = 0; b < 30; b++) {
      List<StreamEvent> batch = batch(b * 10L + 1, 10);
      sink.export(batch);
      sent.addAll(batch);
    }
    sink.close();
    List<Path> files = JsonlReader.logFiles(file);
    assertThat(files).hasSizeGreaterThan(3);
    assertThat(files.get(0)).isEqualTo(dir.resolve("events.jsonl.1"));
    assertThat(files.get(1)).isEqualTo(dir.resolve("events.jsonl.2"));
    assertThat(files.get(files.size() - 1)).isEqualTo(file);
    for (Path p : files) {
      assertThat(Files.size(p)).isLessThanOrEqualTo(20_000);
    }
    assertThat(sink.stats().rotations()).isEqualTo(files.size() - 1);
    assertThat(readAll(files)).isEqualTo(sent);
  }

  @Test
  void rotationNumbersContinueAfterTheHighestExistingFile() throws Exception {
    Path file = dir.resolve("log.jsonl");
    Files.writeString(dir.resolve("log.jsonl.7"), "");
    JsonlFileSink sink = JsonlFileSink.builder(file).maxFileBytes(1).build();
    sink.export(batch(1, 1));
    sink.export(batch(2, 1));
    sink.close();
    assertThat(dir.resolve("log.jsonl.8")).exists();
    assertThat(readAll(List.of(dir.resolve("log.jsonl.8"), file))).isEqualTo(batch(1, 2));
  }

  @Test
  void timeRotationHappensAtTheFirstBatchAfterTheAgeLimit() throws Exception {
    AtomicLong now = new AtomicLong();
    Path file = dir.resolve("t.jsonl");
    JsonlFileSink sink = JsonlFileSink.builder(file).rotateEvery(Duration.ofMinutes(1)).nanoClock(now::get).build();
    sink.export(batch(1, 2));
    now.addAndGet(Duration.ofSeconds(59).toNanos());
    sink.export(batch(3, 2));
    assertThat(sink.stats().rotations()).isZero();
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    sink.export(batch(5, 2));
    sink.close();
    assertThat(sink.stats().rotations()).isEqualTo(1);
    assertThat(readAll(List.of(dir.resolve("t.jsonl.1")))).isEqualTo(batch(1, 4));
    assertThat(readAll(List.of(file))).isEqualTo(batch(5, 2));
  }

  @Test
  void fsyncPoliciesForceAsConfigured() throws Exception {
    AtomicLong now = new AtomicLong();
    JsonlFileSink never = JsonlFileSink.builder(dir.resolve("a")).build();
    JsonlFileSink perBatch = JsonlFileSink.builder(dir.resolve("b")).fsync(FsyncPolicy.PER_BATCH).build();
    JsonlFileSink interval = JsonlFileSink.builder(dir.resolve("c")).fsync(FsyncPolicy.INTERVAL)
        .fsyncInterval(Duration.ofSeconds(1)).nanoClock(now::get).build();
    for (int i = 0; i < 5; i++) {
      never.export(batch(i, 1));
      perBatch.export(batch(i, 1));
      interval.export(batch(i, 1));
      now.addAndGet(Duration.ofMillis(400).toNanos());
    }
    assertThat(never.stats().fsyncs()).isZero();
    assertThat(perBatch.stats().fsyncs()).isEqualTo(5);
    assertThat(interval.stats().fsyncs()).isEqualTo(1);
    interval.flush();
    assertThat(interval.stats().fsyncs()).isEqualTo(2);
  }

  @Test
  void aTruncatedLastLineLeftByACrashIsEndedBeforeAppending() throws Exception {
    Path file = dir.resolve("crashed.jsonl");
    String good = new JsonlCodec().encodeToString(Events.seed(1, "a"));
    Files.writeString(file, good + "\n" + good.substring(0, 100), StandardCharsets.UTF_8);
    JsonlFileSink sink = JsonlFileSink.builder(file).build();
    sink.export(batch(2, 2));
    sink.close();
    List<MalformedLine> bad = new ArrayList<>();
    List<StreamEvent> got = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(List.of(file), new JsonlCodec(), ReadOptions.DEFAULT.withOnMalformed(bad::add))) {
      r.forEachRemaining(got::add);
    }
    // The old line keeps its seq; the new writer numbers its own lines from 1.
    assertThat(got).extracting(StreamEvent::seq).containsExactly(1L, 1L, 2L);
    assertThat(bad).singleElement().satisfies(m -> assertThat(m.line()).isEqualTo(2));
  }

  @Test
  void aFullDiskFailsTheBatchWithACountedErrorAndNeverReachesTheApp() throws Exception {
    Path full = Paths.get("/dev/full");
    assumeTrue(Files.isWritable(full), "needs /dev/full (Linux) to simulate a full disk");
    JsonlFileSink sink = JsonlFileSink.builder(full).build();
    assertThatThrownBy(() -> sink.export(batch(1, 3))).isInstanceOf(IOException.class);
    assertThat(sink.stats().writeErrors()).isEqualTo(1);
    assertThat(sink.stats().lines()).isZero();
    try (EventBus bus = EventBus.builder().sink(sink, SinkConfig.named("full")).build()) {
      batch(10, 100).forEach(bus::onEvent);
      assertThat(bus.flush(Duration.ofSeconds(30))).isTrue();
      SinkStats s = bus.stats("full");
      assertThat(s.failed()).isEqualTo(100);
      assertThat(s.delivered()).isZero();
    }
    assertThat(sink.stats().writeErrors()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aMissingDirectoryIsACountedErrorAndWritingResumesOnceItExists() throws Exception {
    Path sub = dir.resolve("later");
    Path file = sub.resolve("e.jsonl");
    JsonlFileSink sink = JsonlFileSink.builder(file).build();
    assertThatThrownBy(() -> sink.export(batch(1, 2))).isInstanceOf(IOException.class);
    Files.createDirectory(sub);
    sink.export(batch(3, 2));
    sink.close();
    assertThat(sink.stats().writeErrors()).isEqualTo(1);
    assertThat(readAll(List.of(file))).isEqualTo(batch(3, 2));
  }

  @Test
  void aFileDeletedUnderTheWriterIsCreatedAgain() throws Exception {
    Path file = dir.resolve("d.jsonl");
    JsonlFileSink sink = JsonlFileSink.builder(file).build();
    sink.export(batch(1, 2));
    Files.delete(file);
    sink.export(batch(3, 2));
    Path moved = dir.resolve("moved.jsonl");
    Files.move(file, moved);
    sink.export(batch(5, 1));
    sink.close();
    assertThat(sink.stats().reopens()).isEqualTo(2);
    assertThat(readAll(List.of(moved))).isEqualTo(batch(3, 2));
    assertThat(readAll(List.of(file))).isEqualTo(batch(5, 1));
  }

  @Test
  void builderValidatesWithTheParameterName() {
    assertThatThrownBy(() -> JsonlFileSink.builder(null)).hasMessageContaining("path");
    assertThatThrownBy(() -> JsonlFileSink.builder(dir).maxFileBytes(-1)).hasMessageContaining("maxBytes");
    assertThatThrownBy(() -> JsonlFileSink.builder(dir).rotateEvery(Duration.ZERO)).hasMessageContaining("age");
  }
}
