package io.tracewire.exporters.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.event.StreamEvent;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlFollowerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration NOTHING = Duration.ofMillis(120);
  @TempDir Path dir;
  private final JsonlCodec codec = new JsonlCodec();

  private JsonlFollower follower(Path file) {
    return JsonlFollower.follow(file, true, codec, ReadOptions.DEFAULT, Duration.ofMillis(5));
  }

  private List<Long> take(JsonlFollower f, int n) throws Exception {
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StreamEvent e = f.poll(WAIT);
      assertThat(e).as("event %d of %d", i + 1, n).isNotNull();
      seqs.add(e.seq());
    }
    return seqs;
  }

  @Test
  void waitsForTheFileAndReturnsLinesAsTheyAreAppended() throws Exception {
    Path file = dir.resolve("live.jsonl");
    try (JsonlFollower f = follower(file)) {
      assertThat(f.poll(NOTHING)).isNull();
      JsonlFileSink sink = JsonlFileSink.builder(file).build();
      sink.export(JsonlFileSinkTest.batch(1, 3));
      assertThat(take(f, 3)).containsExactly(1L, 2L, 3L);
      sink.export(JsonlFileSinkTest.batch(4, 2));
      assertThat(take(f, 2)).containsExactly(4L, 5L);
      assertThat(f.poll(NOTHING)).isNull();
      sink.close();
    }
  }

  @Test
  void aLineBeingWrittenIsReturnedOnlyOnceComplete() throws Exception {
    Path file = dir.resolve("partial.jsonl");
    String line = codec.encodeToString(Events.seed(7, "x")) + "\n";
    try (JsonlFollower f = follower(file); FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(StandardCharsets.UTF_8.encode(line.substring(0, 200)));
      assertThat(f.poll(NOTHING)).isNull();
      ch.write(StandardCharsets.UTF_8.encode(line.substring(200)));
      assertThat(take(f, 1)).containsExactly(7L);
      assertThat(f.malformedLines()).isZero();
    }
  }

  @Test
  void followsTheLogAcrossRotations() throws Exception {
    Path file = dir.resolve("rot.jsonl");
    JsonlFileSink sink = JsonlFileSink.builder(file).maxFileBytes(3_000).build();
    try (JsonlFollower f = follower(file)) {
      List<Long> got = new ArrayList<>();
      for (int b = 0; b < 10; b++) {
        sink.export(JsonlFileSinkTest.batch(b * 4L + 1, 4));
        got.addAll(take(f, 4));
      }
      sink.close();
      assertThat(got).hasSize(40).isSorted().doesNotHaveDuplicates();
      assertThat(sink.stats().rotations()).isGreaterThan(3);
      assertThat(f.rotations()).isEqualTo(sink.stats().rotations());
      assertThat(f.malformedLines()).isZero();
    }
  }

  @Test
  void rotationWhileTheFollowerIsBehindLosesNothing() throws Exception {
    Path file = dir.resolve("behind.jsonl");
    JsonlFileSink sink = JsonlFileSink.builder(file).maxFileBytes(2_500).build();
    try (JsonlFollower f = follower(file)) {
      sink.export(JsonlFileSinkTest.batch(1, 2));
      assertThat(take(f, 1)).containsExactly(1L);
      for (int b = 0; b < 3; b++) {
        sink.export(JsonlFileSinkTest.batch(3 + b * 3L, 3));
      }
      List<Long> rest = take(f, 10);
      assertThat(rest).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
      sink.close();
    }
  }

  @Test
  void aTruncatedFileIsReadAgainFromTheStart() throws Exception {
    Path file = dir.resolve("trunc.jsonl");
    JsonlFileSink sink = JsonlFileSink.builder(file).build();
    sink.export(JsonlFileSinkTest.batch(1, 5));
    sink.close();
    try (JsonlFollower f = follower(file)) {
      assertThat(take(f, 5)).containsExactly(1L, 2L, 3L, 4L, 5L);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(0);
      }
      JsonlFileSink again = JsonlFileSink.builder(file).build();
      again.export(JsonlFileSinkTest.batch(100, 2));
      again.close();
      assertThat(take(f, 2)).containsExactly(1L, 2L);
      assertThat(f.lastOrigin().writer()).isEqualTo(again.writerId());
      assertThat(f.truncations()).isEqualTo(1);
    }
  }

  @Test
  void fromTheEndSkipsWhatWasAlreadyThere() throws Exception {
    Path file = dir.resolve("end.jsonl");
    JsonlFileSink sink = JsonlFileSink.builder(file).build();
    sink.export(JsonlFileSinkTest.batch(1, 3));
    try (JsonlFollower f = JsonlFollower.follow(file, false, codec, ReadOptions.DEFAULT, Duration.ofMillis(5))) {
      assertThat(f.poll(NOTHING)).isNull();
      sink.export(JsonlFileSinkTest.batch(4, 1));
      assertThat(take(f, 1)).containsExactly(4L);
    }
    sink.close();
    assertThat(Files.size(file)).isPositive();
  }
}
