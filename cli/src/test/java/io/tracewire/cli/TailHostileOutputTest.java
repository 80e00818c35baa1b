package io.tracewire.cli;

import static io.tracewire.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessageChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tail} on logs that are valid but hostile: trees thousands of levels deep, and names,
 * tokens and errors carrying terminal control sequences.
 */
class TailHostileOutputTest {
  @TempDir
  Path dir;

  /** Changes the terminal's title and clears the screen when printed raw. */
  static final String HOSTILE_NAME = "M\u001b]0;pwned\u0007\u001b[2J";
  static final String HOSTILE_NAME_SHOWN = "M\\e]0;pwned\\x07\\e[2J";

  static String id(int i) {
    return String.format("00000000-0000-0000-0000-%012d", i);
  }

  /**
   * A chain of {@code depth} runs, each the only child of the one before, closed innermost first.
   * Each event names only its direct parent (a full ancestor list would make the log quadratic in
   * the depth), which {@code validate} accepts.
   */
  static List<StreamEvent> deepChain(int depth) {
    List<StreamEvent> l = new ArrayList<>(2 * depth);
    long seq = 1;
    for (int i = 0; i < depth; i++) {
      l.add(LogFixtures.ev(seq++, i, "on_chain_start", "step" + i, id(i), i == 0 ? List.of() : List.of(id(i - 1)), Map.of()));
    }
    for (int i = depth - 1; i >= 0; i--) {
      l.add(LogFixtures.ev(seq++, 2L * depth - i, "on_chain_end", "step" + i, id(i), i == 0 ? List.of() : List.of(id(i - 1)), Map.of()));
    }
    return l;
  }

  @Test
  void aTreeThreeThousandLevelsDeepIsPrintedInsteadOfOverflowingTheStack() throws Exception {
    Path log = LogFixtures.write(dir.resolve("deep.jsonl"), deepChain(3_000));
    assertThat(run("validate", log.toString()).out()).contains("valid");
    CliTest.Result r = run("tail", log.toString(), "--no-follow", "--tree");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(3_000);
    assertThat(r.out()).startsWith("step0 [chain] ok").contains("step2999 [chain] ok");
  }

  @Test
  void treeIndentationIsCappedSoOutputGrowsLinearlyWithDepth() throws Exception {
    Path log = LogFixtures.write(dir.resolve("deep.jsonl"), deepChain(2_000));
    CliTest.Result r = runWithLargeStack("tail", log.toString(), "--no-follow", "--tree");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2_000);
    assertThat(r.out().length()).as("output size").isLessThan(2_000 * 200);
    int widest = lines.stream().mapToInt(String::length).max().orElseThrow();
    assertThat(widest).as("the widest line").isLessThan(200);
    assertThat(lines.get(1)).startsWith("└─ step1 [chain] ok");
    assertThat(lines.get(20)).startsWith(" ".repeat(57) + "└─ step20 [chain] ok");
    assertThat(lines.get(21)).startsWith(" ".repeat(57) + "[depth 21] └─ step21 [chain] ok");
    assertThat(lines.get(1_999)).contains("[depth 1999] └─ step1999 [chain] ok");
  }

  /**
   * Runs the CLI on a thread with a 1 GiB stack, so that a recursive walk would not overflow and
   * only the output's shape is under test.
   */
  static CliTest.Result runWithLargeStack(String... args) throws InterruptedException {
    CliTest.Result[] result = new CliTest.Result[1];
    Throwable[] failure = new Throwable[1];
    Thread t = new Thread(null, () -> {
      try {
        result[0] = run(args);
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, "large-stack", 1L << 30);
    t.start();
    t.join();
    assertThat(failure[0]).isNull();
    return result[0];
  }

  @Test
  void treesTenThousandLevelsDeepArePrintedInLinearSpaceInEveryMode() throws Exception {
    Path log = LogFixtures.write(dir.resolve("a.jsonl"), deepChain(10_000));
    CliTest.Result tree = run("tail", log.toString(), "--no-follow", "--tree");
    assertThat(tree.code()).as(tree.err()).isZero();
    assertThat(tree.out().lines()).hasSize(10_000);
    assertThat(tree.out().length()).isLessThan(10_000 * 200);
    assertThat(tree.out().lines().skip(9_999)).singleElement().asString().contains("[depth 9999] └─ step9999 [chain] ok");

    // two logs: the trees are printed at the end, from the roots
    LogFixtures.write(dir.resolve("b.jsonl"), List.of(LogFixtures.ev(1, 0, "on_chain_start", "other", id(99_999), List.of(), Map.of()),
        LogFixtures.ev(2, 1, "on_chain_end", "other", id(99_999), List.of(), Map.of())));
    CliTest.Result both = run("tail", dir.toString(), "--no-follow", "--tree");
    assertThat(both.code()).as(both.err()).isZero();
    assertThat(both.out().lines()).hasSize(10_001);
    assertThat(both.out().length()).isLessThan(10_001 * 200);

    CliTest.Result text = run("tail", log.toString(), "--no-follow");
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out().lines()).hasSize(20_000);
    assertThat(text.out().length()).isLessThan(20_000 * 200);
  }

  @Test
  void aChainWrittenLeafFirstTenThousandLevelsDeepStillMakesOneTree() throws Exception {
    List<StreamEvent> chain = deepChain(10_000);
    List<StreamEvent> starts = new ArrayList<>(chain.subList(0, 10_000));
    java.util.Collections.reverse(starts);
    List<StreamEvent> events = new ArrayList<>(starts);
    events.addAll(chain.subList(10_000, 20_000));
    Path log = LogFixtures.write(dir.resolve("reversed.jsonl"), events);
    CliTest.Result r = run("tail", log.toString(), "--no-follow", "--tree");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(10_000);
    assertThat(r.out()).startsWith("step0 [chain] ok");
  }

  @Test
  void runsNamingThemselvesOrEachOtherAsParentsArePrintedOnceAndTailEnds() throws Exception {
    String a = id(1);
    String b = id(2);
    String self = id(3);
    List<StreamEvent> events = List.of(
        LogFixtures.ev(1, 0, "on_chain_start", "selfish", self, List.of(self), Map.of()),
        LogFixtures.ev(2, 1, "on_chain_start", "a", a, List.of(b), Map.of()),
        LogFixtures.ev(3, 2, "on_chain_start", "b", b, List.of(a), Map.of()),
        LogFixtures.ev(4, 3, "on_chain_start", "a-again", a, List.of(self), Map.of()),
        LogFixtures.ev(5, 4, "on_chain_end", "b", b, List.of(a), Map.of()),
        LogFixtures.ev(6, 5, "on_chain_end", "a", a, List.of(b), Map.of()),
        LogFixtures.ev(7, 6, "on_chain_end", "selfish", self, List.of(self), Map.of()));
    Path log = LogFixtures.write(dir.resolve("cycle.jsonl"), events);
    CliTest.Result r = run("tail", log.toString(), "--no-follow", "--tree");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().filter(l -> l.contains("[chain]"))).hasSize(3);
    assertThat(r.out()).contains("selfish [chain] ok").contains("a [chain] ok").contains("b [chain] ok");
    CliTest.Result dirTree = run("tail", dir.toString(), "--no-follow", "--tree");
    assertThat(dirTree.code()).as(dirTree.err()).isZero();
    assertThat(dirTree.out().lines().filter(l -> l.contains("[chain]"))).hasSize(3);
  }

  @Test
  void branchingTreesAreDrawnAsTheClassicRecursiveDrawingWouldUpToTheCap() throws Exception {
    java.util.Random random = new java.util.Random(42);
    List<StreamEvent> events = new ArrayList<>();
    List<List<Integer>> children = new ArrayList<>();
    List<Integer> depth = new ArrayList<>();
    children.add(new ArrayList<>());
    depth.add(0);
    events.add(LogFixtures.ev(1, 0, "on_chain_start", "r0", id(0), List.of(), Map.of()));
    for (int i = 1; i < 300; i++) {
      int parent = i - 1 - random.nextInt(Math.min(i, 3)); // mostly deep, with branches
      while (depth.get(parent) >= 25) {
        parent = random.nextInt(i);
      }
      children.get(parent).add(i);
      children.add(new ArrayList<>());
      depth.add(depth.get(parent) + 1);
      events.add(LogFixtures.ev(i + 1, i, "on_chain_start", "r" + i, id(i), List.of(id(parent)), Map.of()));
    }
    for (int i = 299; i >= 0; i--) {
      events.add(LogFixtures.ev(600 - i, 600 - i, "on_chain_end", "r" + i, id(i), List.of(), Map.of()));
    }
    StringBuilder expected = new StringBuilder();
    draw(0, "", true, true, children, expected);
    Path log = LogFixtures.write(dir.resolve("random.jsonl"), events);
    CliTest.Result r = run("tail", log.toString(), "--no-follow", "--tree");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().replaceAll(" \\[chain\\].*", "")).isEqualTo(expected.toString());
    assertThat(expected.toString()).contains("[depth 2");
  }

  /** The drawing before the cap, recursively (the test's trees are shallow), with the cap's marker. */
  private static void draw(int run, String indent, boolean last, boolean top, List<List<Integer>> children, StringBuilder sb) {
    int depth = top ? 0 : indent.length() / 3 + 1;
    String shown = depth > 20 ? indent.substring(0, 57) + "[depth " + depth + "] " : indent;
    sb.append(shown).append(top ? "" : last ? "└─ " : "├─ ").append('r').append(run).append('\n');
    String childIndent = top ? indent : indent + (last ? "   " : "│  ");
    List<Integer> kids = children.get(run);
    for (int i = 0; i < kids.size(); i++) {
      draw(kids.get(i), childIndent, i == kids.size() - 1, false, children, sb);
    }
  }

  @Test
  void textModeIndentsAtMostTwentyLevelsAndShowsTheDepthBeyond() throws Exception {
    List<StreamEvent> events = new ArrayList<>();
    List<String> ancestors = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      events.add(LogFixtures.ev(i + 1, i, "on_chain_start", "step" + i, id(i), List.copyOf(ancestors), Map.of()));
      ancestors.add(id(i));
    }
    Path log = LogFixtures.write(dir.resolve("ancestors.jsonl"), events);
    List<String> lines = run("tail", log.toString(), "--no-follow").out().lines().toList();
    assertThat(lines).hasSize(50);
    assertThat(lines.get(20)).isEqualTo(" ".repeat(40) + "> step20 [chain]");
    assertThat(lines.get(21)).isEqualTo(" ".repeat(40) + "[depth 21] > step21 [chain]");
    assertThat(lines.get(49)).isEqualTo(" ".repeat(40) + "[depth 49] > step49 [chain]");
  }

  @Test
  void pythonReprOfAStringEscapesControlCharacters() {
    assertThat(Repr.str(HOSTILE_NAME + "'\\\n")).isEqualTo("'" + HOSTILE_NAME_SHOWN + "\\'\\\\\\n'");
    assertThat(Repr.value(Map.of("k", "\u001b[2J"))).isEqualTo("{'k': '\\e[2J'}");
  }

  /** A run with a hostile name that streams hostile tokens, has a hostile custom event and fails with a hostile error. */
  private Path hostileLog() throws Exception {
    String root = id(1);
    String model = id(2);
    List<StreamEvent> events = List.of(
        LogFixtures.ev(1, 0, "on_chain_start", HOSTILE_NAME, root, List.of(), Map.of()),
        LogFixtures.ev(2, 1, "on_chat_model_start", HOSTILE_NAME, model, List.of(root), Map.of()),
        LogFixtures.ev(3, 2, "on_chat_model_stream", HOSTILE_NAME, model, List.of(root),
            Map.of("chunk", new AIMessageChunk("line one\n\tline\u001b[1A\u009b2K\rtwo \u202eevil\u202c ok 🐟 ünïcode"))),
        LogFixtures.ev(4, 3, "on_chat_model_end", HOSTILE_NAME, model, List.of(root), Map.of()),
        new StreamEvent("on_custom_event", "note\u001b[31m", root, List.of(), List.of(), Map.of(), Map.of("k", "v\u001b[2J"), 5,
            LogFixtures.T0 + 4_000_000L),
        LogFixtures.ev(6, 5, "on_chain_error", HOSTILE_NAME, root, List.of(),
            Map.of("error", new IllegalStateException("bad\u001b]8;;http://evil\u0007link\nsecond line"))));
    return LogFixtures.write(dir.resolve("hostile.jsonl"), events);
  }

  @Test
  void textModeShowsControlCharactersEscapedAndKeepsPrintableUnicode() throws Exception {
    CliTest.Result r = run("tail", hostileLog().toString(), "--no-follow");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).doesNotContain("\u001b", "\u0007", "\u009b", "\r", "\u202e")
        .contains("> " + HOSTILE_NAME_SHOWN + " [chain]")
        .contains("[" + HOSTILE_NAME_SHOWN + "] line one\n\tline\\e[1A\\u009b2K\\rtwo \\u202eevil\\u202c ok 🐟 ünïcode\n")
        .contains("* note\\e[31m {k=v\\e[2J}")
        .contains("x " + HOSTILE_NAME_SHOWN + " error: IllegalStateException: bad\\e]8;;http://evil\\x07link\\nsecond line");
  }

  @Test
  void treeModeShowsControlCharactersEscaped() throws Exception {
    CliTest.Result r = run("tail", hostileLog().toString(), "--no-follow", "--tree");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).doesNotContain("\u001b", "\u0007")
        .startsWith(HOSTILE_NAME_SHOWN + " [chain] error")
        .contains("└─ " + HOSTILE_NAME_SHOWN + " [chat_model] ok")
        .contains("error=IllegalStateException: bad\\e]8;;http://evil\\x07link\\nsecond line\n");
    assertThat(r.out().lines()).hasSize(2);
  }

  @Test
  void warningsShowControlCharactersInFileNamesAndReasonsEscaped() throws Exception {
    Path logs = Files.createDirectory(dir.resolve("logs"));
    List<StreamEvent> events = new ArrayList<>(LogFixtures.chain());
    events.remove(4);
    Path log = LogFixtures.write(logs.resolve("x\u001b[2J.jsonl"), events);
    Files.writeString(log, "x\u001b]0;pwned\u0007\n{\"v\":1,\"event\":\"\u001b[2J\"}\n", java.nio.file.StandardOpenOption.APPEND);
    CliTest.Result r = run("tail", logs.toString(), "--no-follow", "--raw");
    assertThat(r.code()).as(r.err()).isZero();
    // only tail's own lines: the reader also logs malformed lines through java.util.logging
    String tails = String.join("\n", r.err().lines().filter(l -> l.startsWith("tracewire:")).toList());
    assertThat(tails).doesNotContain("\u001b", "\u0007")
        .contains("gap in " + logs + "/x\\e[2J.jsonl: 1 events between seq 4 and 6")
        .contains("skipped malformed line " + logs + "/x\\e[2J.jsonl:10: ")
        .contains("skipped malformed line " + logs + "/x\\e[2J.jsonl:11: ");
  }
}
