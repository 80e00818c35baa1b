package io.tracewire.exporters.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.event.StreamEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a JVM that is writing JSONL with SIGKILL and checks what it leaves behind. */
class JsonlCrashTest {
  @TempDir Path dir;

  @Test
  void aWriterKilledMidWriteLeavesOnlyCompleteValidLinesAndAtMostOneTruncatedLastLine() throws Exception {
    Path file = dir.resolve("crash.jsonl");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
        CrashWriterMain.class.getName(), file.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      // Wait (polling the file, not sleeping blindly) until the child is writing at full speed.
      while (!(Files.exists(file) && Files.size(file) > 2_000_000)) {
        assertThat(p.isAlive()).as("child alive; log: %s", log()).isTrue();
        assertThat(System.nanoTime()).as("child wrote 2 MB within 60 s").isLessThan(deadline);
        Thread.onSpinWait();
        Thread.sleep(5);
      }
    } finally {
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(p.exitValue()).isEqualTo(137);

    byte[] bytes = Files.readAllBytes(file);
    int complete = 0;
    for (byte b : bytes) {
      if (b == '\n') {
        complete++;
      }
    }
    boolean tail = bytes.length > 0 && bytes[bytes.length - 1] != '\n';
    List<MalformedLine> bad = new ArrayList<>();
    List<StreamEvent> events = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(List.of(file), new JsonlCodec(), ReadOptions.DEFAULT.withOnMalformed(bad::add))) {
      r.forEachRemaining(events::add);
    }
    // Every complete line is a valid event, in order, with no gap (BLOCK loses nothing).
    assertThat(events.size()).isGreaterThanOrEqualTo(complete).isLessThanOrEqualTo(complete + 1);
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).seq()).isEqualTo(i + 1L);
      assertThat(events.get(i)).isEqualTo(Events.seed(i + 1L, "tok" + (i + 1)));
    }
    // At most one malformed line, and only as the unterminated last line.
    assertThat(bad).hasSizeLessThanOrEqualTo(1);
    if (!bad.isEmpty()) {
      assertThat(tail).isTrue();
      assertThat(bad.get(0).line()).isEqualTo(complete + 1L);
    }

    // A writer reopening the file ends the truncated line; new lines stay intact.
    JsonlFileSink again = JsonlFileSink.builder(file).build();
    again.export(JsonlFileSinkTest.batch(1_000_000, 2));
    again.close();
    List<StreamEvent> after = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(file)) {
      r.forEachRemaining(after::add);
      assertThat(r.malformedLines()).isEqualTo(bad.size());
    }
    // The new writer numbers its own lines from 1.
    assertThat(after.subList(after.size() - 2, after.size())).extracting(StreamEvent::seq).containsExactly(1L, 2L);
    assertThat(after.subList(after.size() - 2, after.size())).extracting(StreamEvent::timestampNanos)
        .containsExactly(Events.seed(1_000_000, "").timestampNanos(), Events.seed(1_000_001, "").timestampNanos());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("child.log"), StandardCharsets.UTF_8);
    } catch (Exception e) {
      return "(no log)";
    }
  }

}
