package io.tracewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated hostile log of more than 100,000 lines (control characters and terminal escapes in
 * names, tokens and errors, a 10,000-deep chain of runs, invalid UTF-8, lines over the 8 MiB
 * limit, JSON nested past the reader's limit, wrong types, truncated lines) through
 * {@code validate}, {@code tail} (text and tree) and {@code replay}, each in its own JVM: none
 * crashes, prints a stack trace, hangs (each has a generous bound) or lets a terminal escape
 * through, and tree output stays linear in the depth.
 */
class HostileCorpusTest {
  /** The bound on each command: far above what it needs, only there to turn a hang into a failure. */
  static final long COMMAND_LIMIT_SECONDS = 300;
  static final int DEEP = 10_000;
  static final int SHORT_RUNS = 30_000;

  @TempDir static Path dir;
  static Path corpus;
  static long lines;

  @BeforeAll
  static void writeCorpus() throws IOException {
    corpus = dir.resolve("hostile.jsonl");
    Random random = new Random(21);
    String[] evil = {"M\u001b]0;pwned\u0007\u001b[2J", "bell\u0007", "c1\u009b31m", "bidi\u202eevil\u202c", "del\u007f",
        "cr\roverwrite", "nul\u0000", "tab\tand\nnewline", "emoji \uD83D\uDE00 ok", "lone \uD800 surrogate"};
    long seq = 1;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(corpus), 1 << 20)) {
      // A 10,000-deep chain: each run names its direct parent (the reader and the trees must not recurse).
      for (int i = 0; i < DEEP; i++) {
        String parents = i == 0 ? "[]" : "[\"d" + (i - 1) + "\"]";
        line(out, seq++, "on_chain_start", "deep" + i, "d" + i, parents, "{\"input\":" + i + "}");
      }
      for (int i = DEEP - 1; i >= 0; i--) {
        String parents = i == 0 ? "[]" : "[\"d" + (i - 1) + "\"]";
        line(out, seq++, "on_chain_end", "deep" + i, "d" + i, parents, "{\"output\":" + i + "}");
      }
      // Short runs with hostile names, tokens and errors, and garbage between them.
      for (int i = 0; i < SHORT_RUNS; i++) {
        String name = json(evil[i % evil.length] + i);
        String id = "s" + i;
        line(out, seq++, "on_chat_model_start", name, id, "[]", "{\"input\":" + json(evil[(i + 3) % evil.length]) + "}");
        line(out, seq++, "on_chat_model_stream", name, id, "[]", "{\"chunk\":" + json(evil[(i + 5) % evil.length]) + "}");
        if (i % 3 == 0) {
          line(out, seq++, "on_chat_model_error", name, id, "[]", "{\"error\":{\"type\":" + json("x.Evil\u001b[31m")
              + ",\"message\":" + json(evil[(i + 7) % evil.length]) + "}}");
        } else {
          line(out, seq++, "on_chat_model_end", name, id, "[]", "{\"output\":" + json(evil[(i + 1) % evil.length]) + "}");
        }
        switch (i % 1000) {
          case 1 -> raw(out, new byte[] {(byte) 0xff, (byte) 0xfe, '{', (byte) 0xc3, '\n'});
          case 2 -> raw(out, ("{\"v\":2,\"seq\":" + seq + ",\"ts\":1,\"event\":\"on_chain_start\",\"name\":\"x\\u001b[2J\"\n")
              .getBytes(StandardCharsets.UTF_8));
          case 3 -> raw(out, ("[".repeat(5_000) + "]".repeat(5_000) + "\n").getBytes(StandardCharsets.UTF_8));
          case 4 -> raw(out, ("{\"v\":\"2\",\"seq\":true,\"ts\":null,\"event\":7}\n").getBytes(StandardCharsets.UTF_8));
          case 5 -> raw(out, ("{\"v\":2,\"w\":\"" + "w".repeat(100) + "\",\"seq\":1}\n").getBytes(StandardCharsets.UTF_8));
          case 6 -> {
            byte[] noise = new byte[2_000];
            random.nextBytes(noise);
            for (int k = 0; k < noise.length; k++) {
              if (noise[k] == '\n') {
                noise[k] = ' ';
              }
            }
            raw(out, noise);
            raw(out, new byte[] {'\n'});
          }
          default -> { }
        }
      }
      // Lines over the 8 MiB limit (skipped without being held), and a large valid token.
      for (int k = 0; k < 2; k++) {
        raw(out, "{\"v\":2,\"seq\":1,\"name\":\"".getBytes(StandardCharsets.UTF_8));
        byte[] chunk = "\u001b[2J".repeat(1024).getBytes(StandardCharsets.UTF_8);
        for (int m = 0; m < 9 * 1024 * 1024 / chunk.length + 1; m++) {
          raw(out, chunk);
        }
        raw(out, "\"}\n".getBytes(StandardCharsets.UTF_8));
      }
      line(out, seq++, "on_chat_model_start", "big", "big", "[]", "{\"input\":\"x\"}");
      line(out, seq++, "on_chat_model_stream", "big", "big", "[]", "{\"chunk\":" + json("\u001b[2J".repeat(200_000)) + "}");
      line(out, seq++, "on_chat_model_end", "big", "big", "[]", "{\"output\":\"x\"}");
      // A truncated last line.
      raw(out, "{\"v\":2,\"w\":\"t\",\"seq\":".getBytes(StandardCharsets.UTF_8));
    }
    lines = Files.lines(corpus, StandardCharsets.ISO_8859_1).count();
  }

  private static void line(OutputStream out, long seq, String event, String name, String runId, String parents, String data)
      throws IOException {
    String s = "{\"v\":2,\"w\":\"hostile\",\"seq\":" + seq + ",\"ts\":" + (1_764_000_000_000_000_000L + seq * 1000)
        + ",\"event\":\"" + event + "\",\"name\":" + (name.startsWith("\"") ? name : json(name)) + ",\"run_id\":\"" + runId
        + "\",\"parent_ids\":" + parents + ",\"tags\":[],\"metadata\":{},\"data\":" + data + "}\n";
    out.write(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void raw(OutputStream out, byte[] b) throws IOException {
    out.write(b);
  }

  /** A JSON string literal (control characters as \\u escapes, as a JSON writer would). */
  static String json(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** The outcome of one command run in its own JVM. */
  record Outcome(int code, Path out, Path err) {
    String errText() throws IOException {
      return Files.readString(err, StandardCharsets.ISO_8859_1);
    }
  }

  static Outcome runCli(String name, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("-Xss512k", "-Xmx1g", "io.tracewire.cli.Main"));
    all.addAll(List.of(args));
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    Process p = TailProcessTest.java(all.toArray(String[]::new))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    boolean finished = p.waitFor(COMMAND_LIMIT_SECONDS, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly().waitFor();
    }
    assertThat(finished).as("%s finished within %d s", name, COMMAND_LIMIT_SECONDS).isTrue();
    return new Outcome(p.exitValue(), out, err);
  }

  /** No crash: no stack trace, no uncaught exception, no JVM error, in either stream. */
  static void assertNoCrash(Outcome o) throws IOException {
    for (Path f : List.of(o.out(), o.err())) {
      try (var s = Files.lines(f, StandardCharsets.ISO_8859_1)) {
        List<String> bad = s.filter(l -> l.startsWith("\tat ") || l.contains("Exception in thread")
            || l.contains("StackOverflowError") || l.contains("OutOfMemoryError")).limit(5).toList();
        assertThat(bad).as("stack trace lines in %s", f.getFileName()).isEmpty();
      }
    }
  }

  /** No terminal escape reaches a terminal: no ESC, BEL, CSI or other control byte but \\n and \\t. */
  static void assertNoControlBytes(Path f) throws IOException {
    byte[] b = Files.readAllBytes(f);
    String s = new String(b, StandardCharsets.UTF_8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0);
      assertThat(control).as("control character U+%04X at %d of %s: ...%s...", (int) c, i, f.getFileName(),
          s.substring(Math.max(0, i - 40), Math.min(s.length(), i + 10))).isFalse();
    }
  }

  @Test
  void theCorpusHasMoreThanAHundredThousandLines() {
    assertThat(lines).isGreaterThan(100_000);
  }

  @Test
  void validateReportsTheCorpusWithoutCrashing() throws Exception {
    Outcome o = runCli("validate", "validate", corpus.toString(), "--max-violations", "50");
    assertNoCrash(o);
    assertThat(o.code()).isEqualTo(1);
    assertThat(Files.readString(o.out())).contains("malformed lines").contains("violation(s)");
    assertNoControlBytes(o.out());
    assertNoControlBytes(o.err());
  }

  @Test
  void tailInTextModeEscapesEverything() throws Exception {
    Outcome o = runCli("tail-text", "tail", corpus.toString(), "--no-follow");
    assertNoCrash(o);
    assertThat(o.code()).isZero();
    assertNoControlBytes(o.out());
    assertNoControlBytes(o.err());
  }

  @Test
  void tailInTreeModePrintsTheDeepChainInLinearSpace() throws Exception {
    Outcome o = runCli("tail-tree", "tail", corpus.toString(), "--no-follow", "--tree");
    assertNoCrash(o);
    assertThat(o.code()).isZero();
    assertThat(Files.readString(o.out(), StandardCharsets.UTF_8)).contains("deep" + (DEEP - 1));
    // Linear: well under what quadratic indentation of 10,000 levels would print (50 M spaces).
    assertThat(Files.size(o.out())).isLessThan(40L * 1024 * 1024);
    assertNoControlBytes(o.out());
    assertNoControlBytes(o.err());
  }

  @Test
  void replayExportsTheCorpusWithoutCrashing() throws Exception {
    AtomicLong requests = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/traces", ex -> {
      ex.getRequestBody().readAllBytes();
      requests.incrementAndGet();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    try {
      Outcome o = runCli("replay", "replay", corpus.toString(), "--otlp-endpoint",
          "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
      assertNoCrash(o);
      assertThat(o.code()).as(o.errText()).isIn(0, 1);
      assertNoControlBytes(o.out());
      assertNoControlBytes(o.err());
    } finally {
      server.stop(0);
    }
    assertThat(requests.get()).isPositive();
  }
}
