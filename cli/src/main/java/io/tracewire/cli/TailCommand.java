package io.tracewire.cli;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.exporters.console.TerminalText;
import io.tracewire.exporters.jsonl.JsonlCodec;
import io.tracewire.exporters.jsonl.JsonlReader;
import io.tracewire.exporters.jsonl.LineOrigin;
import io.tracewire.exporters.jsonl.MalformedLine;
import io.tracewire.exporters.jsonl.ReadOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tracewire tail}: follow a JSONL event log like {@code tail -f}. */
@Command(name = "tail", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = {"Follows a JSONL event log (or every *.jsonl file in a directory) as it grows, across rotation and truncation.",
        "Modes: text (tokens reassembled per run, run starts and ends), tree (each finished root run as a tree with",
        "durations, time to first chunk, chunks/s and token usage), raw (the events as JSON lines).",
        "Logs of several processes in one directory make one tree where runs continue a caller's run in another",
        "process (marked \"(remote parent)\"); with --no-follow the trees are printed once every log is read.",
        "Malformed lines are reported on stderr with file:line and skipped; sequence gaps are reported on stderr.",
        "Control characters in names, tokens and errors are shown escaped (ESC as \\e, others as \\xNN or \\uNNNN);",
        "trees deeper than " + RunTree.MAX_INDENT_DEPTH + " levels are indented no further, their lines start with [depth N]."},
    footer = {"", "Examples:", "  tracewire tail events.jsonl", "  tracewire tail logs/ --mode tree --from-start",
        "  tracewire tail events.jsonl --no-follow --raw --type chat_model | head",
        "  tracewire tail events.jsonl --errors --meta user=alice"})
final class TailCommand implements Callable<Integer> {
  enum Mode { text, tree, raw }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE|DIR", description = "A JSONL log, or a directory of them.")
  Path path;

  @Option(names = "--no-follow", description = "Read what is there and exit.")
  boolean noFollow;

  @Option(names = "--from-start", description = "When following, start from the beginning (default: only new events).")
  boolean fromStart;

  @Option(names = "--mode", description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).", defaultValue = "text")
  Mode mode;

  @Option(names = "--raw", description = "Same as --mode raw.")
  boolean raw;

  @Option(names = "--tree", description = "Same as --mode tree.")
  boolean tree;

  @Mixin
  EventSelection selection;

  private final JsonlCodec codec = new JsonlCodec();
  private volatile boolean stopping;
  private PrintWriter out;
  private PrintWriter err;
  private final RunTree runs = new RunTree();
  /** The last seq of each writer of each log ({@code file + "\0" + writer id}) for the gap warning. */
  private final Map<String, Long> lastSeq = new HashMap<>();
  private String streamingRun;
  /** Reading several logs one after the other: trees are printed at the end, when every log's runs are in. */
  private boolean deferTrees;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    err = spec.commandLine().getErr();
    if (raw) {
      mode = Mode.raw;
    } else if (tree) {
      mode = Mode.tree;
    }
    List<Path> files = LogFiles.resolve(path);
    if (noFollow) {
      deferTrees = files.size() > 1;
      for (Path f : files) {
        if (!Files.exists(f)) {
          err.println("tracewire: no such file: " + TerminalText.escape(f.toString()));
          return Main.IO;
        }
        try (JsonlReader r = JsonlReader.open(JsonlReader.logFiles(f), codec, options())) {
          while (r.hasNext() && !stopping) {
            StreamEvent e = r.next();
            if (!handle(f, e, r.lastOrigin())) {
              return Main.OK;
            }
          }
        }
      }
      finish();
      return Main.OK;
    }
    return follow(files);
  }

  private ReadOptions options() {
    return new ReadOptions(ReadOptions.DEFAULT_MAX_LINE_BYTES, this::malformed);
  }

  private void malformed(MalformedLine m) {
    err.println("tracewire: skipped malformed line " + TerminalText.escape(m.file().toString()) + ":" + m.line() + ": "
        + TerminalText.escape(m.reason()));
    err.flush();
  }

  private int follow(List<Path> files) throws Exception {
    List<CatchUpFollower> followers = new ArrayList<>();
    for (Path f : files) {
      followers.add(new CatchUpFollower(f, fromStart, codec, options()));
    }
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stopping = true;
      for (CatchUpFollower f : followers) {
        try {
          f.close();
        } catch (Exception ignored) {
          // shutting down
        }
      }
      try {
        done.await(2, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }, "tracewire-tail-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Duration slice = Duration.ofMillis(followers.size() == 1 ? 200 : 20);
      while (!stopping) {
        for (int i = 0; i < followers.size() && !stopping; i++) {
          StreamEvent e;
          try {
            e = followers.get(i).poll(slice);
          } catch (java.io.IOException ex) {
            if (stopping) {
              break;
            }
            throw ex;
          }
          if (e != null && !handle(files.get(i), e, followers.get(i).lastOrigin())) {
            return Main.OK;
          }
        }
      }
      finish();
      return Main.INTERRUPTED;
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running
      }
      for (CatchUpFollower f : followers) {
        f.close();
      }
    }
  }

  /** Handles one event; false when the output is gone (a closed pipe) and tail should stop. */
  private boolean handle(Path file, StreamEvent e, LineOrigin origin) {
    // Each writer numbers its own lines (schema 2); a version-1 log is one writer per file.
    String writer = origin == null || origin.writer() == null ? "" : origin.writer();
    Long prev = lastSeq.put(file + "\0" + writer, e.seq());
    if (prev != null && e.seq() > prev + 1) {
      err.println("tracewire: gap in " + TerminalText.escape(file.toString())
          + (writer.isEmpty() ? "" : " (writer " + TerminalText.escape(writer) + ")") + ": "
          + (e.seq() - prev - 1) + " events between seq " + prev + " and " + e.seq()
          + " are not in this log (dropped by the writer's event bus, or lost in a failed write)");
      err.flush();
    }
    RunTree.Run run = runs.add(e);
    if (!selection.matches(e)) {
      return !out.checkError();
    }
    switch (mode) {
      case raw -> out.println(codec.encodeToString(e));
      case tree -> {
        if (run != null && run.endNanos >= 0 && !deferTrees && !e.event().endsWith("_stream")) {
          printFinishedTree(run);
        }
      }
      case text -> text(e, run);
    }
    out.flush();
    return !out.checkError();
  }

  /**
   * After {@code run} ended: prints the tree it belongs to once every run in it has ended. The
   * tree is the run's topmost ancestor not printed yet: a root (or a run whose parent is not in
   * the logs), or, when logs of several processes lag behind each other, a callee's subtree whose
   * caller's tree was printed already (printed on its own, saying where it belongs). The walk up
   * stops at the first ancestor still waiting for a run to end, so over a whole log each run is
   * passed once when its tree is printed, however deep the tree.
   */
  private void printFinishedTree(RunTree.Run run) {
    if (!RunTree.complete(run)) {
      return;
    }
    RunTree.Run top = run;
    RunTree.Run parent = runs.parentOf(top);
    while (parent != null && !parent.printed) {
      if (!RunTree.complete(parent)) {
        return;
      }
      top = parent;
      parent = runs.parentOf(top);
    }
    if (top.printed) {
      return;
    }
    if (parent != null) {
      out.println("(continues under " + TerminalText.escape(parent.name) + " [" + parent.type + "] "
          + TerminalText.escape(parent.id) + ")");
    }
    out.print(RunTree.render(top));
    runs.roots.remove(top);
  }

  private void text(StreamEvent e, RunTree.Run run) {
    String ev = e.event();
    if (ev.equals("on_chat_model_stream") || ev.equals("on_llm_stream")) {
      Object c = e.dataValue("chunk");
      String text = c instanceof BaseMessage m ? m.text() : c instanceof io.tracewire.core.model.GenerationChunk g ? g.text() : String.valueOf(c);
      if (text.isEmpty()) {
        return;
      }
      if (!e.runId().equals(streamingRun)) {
        endLine();
        out.print("[" + TerminalText.escape(e.name()) + "] ");
        streamingRun = e.runId();
      }
      out.print(TerminalText.escapeMultiline(text));
      return;
    }
    if (ev.endsWith("_stream")) {
      return;
    }
    endLine();
    int depth = e.parentIds().size();
    String indent = "  ".repeat(Math.min(depth, RunTree.MAX_INDENT_DEPTH))
        + (depth > RunTree.MAX_INDENT_DEPTH ? "[depth " + depth + "] " : "");
    String name = TerminalText.escape(e.name());
    if (e.isCustom()) {
      out.println(indent + "* " + name + " " + TerminalText.escape(String.valueOf(e.data())));
    } else if (ev.endsWith("_start")) {
      out.println(indent + "> " + name + " [" + (run == null ? "?" : run.type) + "]"
          + (e.parentIds().isEmpty() ? " run=" + TerminalText.escape(e.runId()) : ""));
    } else if (ev.endsWith("_end")) {
      out.println(indent + "< " + name + String.format(Locale.ROOT, " ok %.1fms", run == null ? -1 : run.durationMs()));
    } else if (ev.endsWith("_error")) {
      out.println(indent + "x " + name + " error: "
          + TerminalText.escape(run == null ? String.valueOf(e.dataValue("error")) : run.error));
    } else if (ev.endsWith("_cancel")) {
      out.println(indent + "- " + name + " cancelled");
    }
  }

  private void endLine() {
    if (streamingRun != null) {
      out.println();
      streamingRun = null;
    }
  }

  private void finish() {
    endLine();
    if (mode == Mode.tree) {
      for (RunTree.Run r : runs.roots) {
        out.print(RunTree.render(r));
      }
    }
    out.flush();
  }
}
