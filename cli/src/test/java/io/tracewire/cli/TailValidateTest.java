package io.tracewire.cli;

import static io.tracewire.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.event.StreamEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailValidateTest {
  @TempDir
  Path dir;

  @Test
  void treeModeMatchesTheGolden() throws Exception {
    Path log = LogFixtures.write(dir.resolve("events.jsonl"), LogFixtures.chain());
    CliTest.Result r = run("tail", log.toString(), "--no-follow", "--mode", "tree");
    assertThat(r.code()).isZero();
    String golden = new String(getClass().getResourceAsStream("/golden/tail-tree.txt").readAllBytes(), StandardCharsets.UTF_8);
    assertThat(r.out()).isEqualTo(golden);
  }

  @Test
  void textModeReassemblesTokensPerRun() throws Exception {
    Path log = LogFixtures.write(dir.resolve("events.jsonl"), LogFixtures.chain());
    CliTest.Result r = run("tail", log.toString(), "--no-follow");
    assertThat(r.out()).contains("> agent [chain] run=" + LogFixtures.ROOT)
        .contains("[ChatFake] Hello goldfish!\n")
        .contains("  x search error: IllegalStateException: index offline")
        .contains("< agent ok 200.0ms");
  }

  @Test
  void rawModeAndFiltersSelectEvents() throws Exception {
    Path log = LogFixtures.write(dir.resolve("events.jsonl"), LogFixtures.chain());
    CliTest.Result r = run("tail", log.toString(), "--no-follow", "--raw", "--type", "chat_model", "--event", "on_chat_model_stream");
    assertThat(r.out().lines()).hasSize(4).allSatisfy(l -> assertThat(l).contains("\"event\":\"on_chat_model_stream\""));
    assertThat(run("tail", log.toString(), "--no-follow", "--raw", "--errors").out().lines()).singleElement()
        .satisfies(l -> assertThat(l).contains("on_tool_error"));
    assertThat(run("tail", log.toString(), "--no-follow", "--raw", "--meta", "user=bob").out()).isEmpty();
    assertThat(run("tail", log.toString(), "--no-follow", "--raw", "--meta", "user=alice", "--name", "search").out().lines()).hasSize(2);
    assertThat(run("tail", log.toString(), "--no-follow", "--raw", "--run", LogFixtures.MODEL).out().lines()).hasSize(6);
  }

  @Test
  void hostileLinesAreReportedWithFileAndLineAndSkipped() throws Exception {
    Path log = dir.resolve("bad.jsonl");
    List<StreamEvent> events = LogFixtures.chain();
    LogFixtures.write(log, events);
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    lines.add(2, "not json at all");
    lines.add(4, "{\"v\":1,\"event\":42}");
    lines.add(6, "{\"v\":1,\"seq\":");
    lines.add(7, "<script>alert(1)</script>" + "x".repeat(100_000));
    Files.write(log, lines);
    Files.write(log, new byte[] {(byte) 0xff, (byte) 0xfe, '\n'}, java.nio.file.StandardOpenOption.APPEND);
    CliTest.Result r = run("tail", log.toString(), "--no-follow", "--raw");
    assertThat(r.code()).isZero();
    assertThat(r.out().lines()).hasSize(events.size());
    assertThat(r.err()).contains(log + ":3").contains(log + ":5").contains(log + ":7").contains(log + ":8");
    CliTest.Result v = run("validate", log.toString());
    assertThat(v.code()).isEqualTo(1);
    assertThat(v.out()).contains("5 malformed lines").contains("malformed line " + log + ":3");
  }

  @Test
  void gapsInSeqAreReported() throws Exception {
    List<StreamEvent> events = new ArrayList<>(LogFixtures.chain());
    events.remove(4);
    Path log = LogFixtures.write(dir.resolve("gap.jsonl"), events);
    CliTest.Result r = run("tail", log.toString(), "--no-follow", "--raw");
    assertThat(r.err()).contains("gap in " + log + ": 1 events between seq 4 and 6");
  }

  @Test
  void validateAcceptsAWellFormedLogAndListsViolations() throws Exception {
    Path good = LogFixtures.write(dir.resolve("good.jsonl"), LogFixtures.chain());
    CliTest.Result ok = run("validate", good.toString());
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).contains("9 events... ".substring(0, 0)).contains("3 runs (2 ended, 1 failed, 0 cancelled, 0 open)").contains("valid");

    List<StreamEvent> bad = new ArrayList<>(LogFixtures.chain());
    bad.remove(bad.size() - 1);                       // the root never ends
    bad.add(LogFixtures.ev(100, 300, "on_chain_end", "ghost", "00000000-0000-0000-0000-0000000000ff", List.of(), Map.of()));
    bad.add(LogFixtures.ev(50, 301, "on_tool_end", "search", LogFixtures.TOOL, List.of(LogFixtures.ROOT), Map.of()));
    Path badLog = LogFixtures.write(dir.resolve("bad.jsonl"), bad);
    CliTest.Result v = run("validate", badLog.toString());
    assertThat(v.code()).isEqualTo(1);
    assertThat(v.out()).contains("never closed").contains("that never started").contains("does not increase")
        .contains("after it was closed");
    assertThat(run("validate", dir.resolve("missing.jsonl").toString()).code()).isEqualTo(3);
  }

  @Test
  void demoWritesAValidLogThatTailCanRead() throws Exception {
    Path log = dir.resolve("demo.jsonl");
    assertThat(run("demo", "--delay-ms", "0", "--jsonl", log.toString()).code()).isZero();
    assertThat(run("validate", log.toString()).out()).contains("valid").contains("4 runs (4 ended");
    assertThat(run("tail", log.toString(), "--no-follow", "--tree").out())
        .startsWith("demo [chain] ok").contains("DemoChatModel [chat_model] ok").contains("tokens=");
  }
}
