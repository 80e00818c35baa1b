package io.tracewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.event.StreamEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tail as a real subprocess: following a log another process writes and rotates, SIGINT, a closed pipe. */
class TailProcessTest {
  @TempDir
  Path dir;

  static ProcessBuilder java(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path")));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  @Test
  void followsALogWrittenAndRotatedByAnotherProcessThenExitsCleanlyOnSigint() throws Exception {
    Path log = dir.resolve("live.jsonl");
    int n = 300;
    Process tail = java("io.tracewire.cli.Main", "tail", log.toString(), "--from-start", "--raw").start();
    Process writer = java("io.tracewire.cli.LogWriterMain", log.toString(), String.valueOf(n), "16384")
        .redirectErrorStream(true).start();
    List<Integer> seen = new ArrayList<>();
    Pattern seq = Pattern.compile("\"seq\":(\\d+)");
    BufferedReader out = new BufferedReader(new InputStreamReader(tail.getInputStream(), StandardCharsets.UTF_8));
    java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try {
        for (String l; (l = out.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (seen.size() < n && System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line == null) {
        continue;
      }
      Matcher m = seq.matcher(line);
      assertThat(m.find()).as(line).isTrue();
      seen.add(Integer.parseInt(m.group(1)));
    }
    assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(writer.exitValue()).isZero();
    assertThat(Files.exists(dir.resolve("live.jsonl.1"))).as("the writer rotated the log").isTrue();
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      expected.add(i);
    }
    if (!seen.equals(expected)) {
      tail.destroyForcibly();
    }
    assertThat(seen).isEqualTo(expected);
    new ProcessBuilder("kill", "-INT", String.valueOf(tail.pid())).start().waitFor();
    assertThat(tail.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String err = new String(tail.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tail.exitValue()).isEqualTo(130);
    assertThat(err).doesNotContain("Exception").doesNotContain("gap");
  }

  @Test
  void aClosedPipeEndsTailCleanly() throws Exception {
    List<StreamEvent> events = new ArrayList<>();
    for (int i = 1; i <= 20_000; i++) {
      events.add(LogFixtures.ev(i, i, "on_custom_event", "tick", LogFixtures.ROOT, List.of(), Map.of("i", i)));
    }
    Path log = LogFixtures.write(dir.resolve("big.jsonl"), events);
    Path rc = dir.resolve("rc");
    String javaCmd = String.join(" ", java("io.tracewire.cli.Main", "tail", log.toString(), "--no-follow", "--raw").command()
        .stream().map(s -> "'" + s + "'").toList());
    Process p = new ProcessBuilder("sh", "-c", "(" + javaCmd + " 2>" + dir.resolve("err") + "; echo $? > " + rc + ") | head -1").start();
    String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(first).contains("\"seq\":1,");
    assertThat(Files.readString(rc).trim()).isEqualTo("0");
    assertThat(Files.readString(dir.resolve("err"))).doesNotContain("Exception");
  }
}
