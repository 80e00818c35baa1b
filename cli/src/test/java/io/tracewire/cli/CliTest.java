package io.tracewire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  record Result(int code, String out, String err) {}

  static synchronized Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void demoStreamsTheSongWithDelimitersBetweenChunks() {
    Result r = run("demo", "--delay-ms", "0");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("|Here| is| a| 1| verse| song| about| gol|dfish| on| the| moon:|");
    assertThat(r.out().replace("|", "")).contains(DemoChatModel.SONG);
  }

  @Test
  void demoEventsShowTheGuidesFirstEvents() {
    Result r = run("demo", "--delay-ms", "0", "--events", "4", "--delimiter", "/");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("{'event': 'on_chain_start', 'data': {'input': {'question': 'Write me a 1 verse song about goldfish on the moon'}}, 'name': 'demo'")
        .contains("'event': 'on_chat_model_start'")
        .contains("'ls_provider': 'tracewire', 'ls_model_type': 'chat', 'ls_model_name': 'tracewire-demo-1', 'ls_max_tokens': 1024")
        .doesNotContain("on_chat_model_stream', 'data'");
  }

  @Test
  void asyncDemoGivesTheSameOutput() {
    assertThat(run("demo", "--delay-ms", "0", "--async").out()).isEqualTo(run("demo", "--delay-ms", "0").out());
  }

  @Test
  void serveOfAMissingPathExitsWithThreeAndNamesIt() {
    Result r = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> run("serve", "no-such-dir/missing.jsonl", "--port", "0"));
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("missing.jsonl");
  }

  @Test
  void serveOnANonLoopbackAddressWithoutATokenIsAUsageErrorNamingTheTokenOption(@TempDir Path dir) throws Exception {
    Path log = Files.createFile(dir.resolve("events.jsonl"));
    Result r = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> run("serve", log.toString(), "--port", "0", "--bind", "0.0.0.0"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--token").contains("0.0.0.0");
  }

  @Test
  void badUsageExitsWithTwoAndExplains() {
    Result r = run("demo", "--no-such-option");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option: '--no-such-option'");
    assertThat(run("demo", "--events", "-1").code()).isEqualTo(2);
    assertThat(run("nope").code()).isEqualTo(2);
  }

  @Test
  void everyCommandHasHelpAndVersion() {
    for (String cmd : new String[] {"demo", "bench"}) {
      Result help = run(cmd, "--help");
      assertThat(help.code()).isZero();
      assertThat(help.out()).contains("Usage: tracewire " + cmd).contains("Examples:");
      assertThat(run(cmd, "--version").out()).contains("tracewire");
    }
    assertThat(run("--version").out()).contains("tracewire");
  }

  @Test
  void benchPrintsJsonWithTheDocumentedFields() {
    Result r = run("bench", "--json", "--runs", "1");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("\"workloads\"");
    for (String w : new String[] {"W1", "W2", "W3", "W4", "M1"}) {
      assertThat(r.out()).contains("\"name\": \"" + w + "\"");
    }
    assertThat(r.out()).contains("\"events\"", "\"wall_ms_median\"", "\"events_per_s\"", "\"us_per_event\"", "\"overhead_us_per_event\"");
  }

  @Test
  void benchWorkloadsRunsOnlyTheNamedOnesAndNamesTheKnownOnesOnATypo() {
    Result r = run("bench", "--json", "--runs", "1", "--workloads", "W1,W3");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("\"name\": \"W1\"", "\"name\": \"W3\"").doesNotContain("\"name\": \"W2\"", "\"name\": \"M1\"");
    Result typo = run("bench", "--workloads", "W9");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err()).contains("unknown workload 'W9'").contains("W1, W2, W3, W4");
  }
}
