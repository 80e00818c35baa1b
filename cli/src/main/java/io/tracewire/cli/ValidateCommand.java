package io.tracewire.cli;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.console.TerminalText;
import io.tracewire.exporters.jsonl.JsonlCodec;
import io.tracewire.exporters.jsonl.JsonlReader;
import io.tracewire.exporters.jsonl.LineOrigin;
import io.tracewire.exporters.jsonl.ReadOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tracewire validate}: schema, order and lifecycle checks of a finished JSONL log. Two
 * passes: the reader decodes every line (rotated parts first) for the order and lifecycle checks,
 * then every line that decoded is checked against the published JSON Schema
 * ({@link SchemaCheck}). Violations are kept in detail up to {@code --max-violations} and counted
 * beyond, so a hostile log of any size runs in bounded memory per violation.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = {"Checks a JSONL event log (with its rotated parts) against the schema and the run lifecycle:",
        "every line decodes and matches jsonl-schema.json; every run starts once and is closed exactly once by end,",
        "error or cancel; nothing follows a run's close; parents start before their children; each writer's seq",
        "strictly increases. Gaps in a writer's seq (events its bus dropped) are reported as warnings.",
        "Prints a summary; exits 1 on violations."},
    footer = {"", "Examples:", "  tracewire validate events.jsonl", "  tracewire validate events.jsonl --max-violations 50"})
final class ValidateCommand implements Callable<Integer> {
  /** The metadata key of a run whose direct parent ran in another process. */
  private static final String REMOTE_PARENT = "tracewire.remote_parent";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The JSONL log (its rotated parts NAME.1, NAME.2, ... are read first).")
  Path file;

  @Option(names = "--max-violations", description = "Violations listed in detail (default: ${DEFAULT-VALUE}).", defaultValue = "20")
  int maxShown;

  /** Violations: the first {@code maxShown} in detail, the rest counted. */
  private final List<String> shown = new ArrayList<>();
  private long violations;

  private void violation(String what) {
    violations++;
    if (shown.size() < maxShown) {
      shown.add(what);
    }
  }

  /** One writer's sequence as read so far. */
  private static final class Writer {
    long first = -1;
    long last;
    long lines;
    long lost;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.exists(file)) {
      spec.commandLine().getErr().println("tracewire: no such file: " + TerminalText.escape(file.toString()));
      return Main.IO;
    }
    maxShown = Math.max(0, maxShown);
    List<Path> files = JsonlReader.logFiles(file);
    Map<String, Integer> closes = new HashMap<>();
    Set<String> started = new HashSet<>();
    Set<String> remoteAncestors = new HashSet<>();
    Map<String, String> names = new HashMap<>();
    Map<String, Writer> writers = new LinkedHashMap<>();
    Map<Path, BitSet> decoded = new HashMap<>();
    long[] malformed = {0};
    long events = 0;
    long v1Regressions = 0;
    long v1Lines = 0;
    long lastV1 = Long.MIN_VALUE;
    int ok = 0;
    int errors = 0;
    int cancelled = 0;
    ReadOptions opts = new ReadOptions(ReadOptions.DEFAULT_MAX_LINE_BYTES, m -> {
      malformed[0]++;
      violation("malformed line " + m.file() + ":" + m.line() + ": " + m.reason());
    });
    try (JsonlReader r = JsonlReader.open(files, new JsonlCodec(), opts)) {
      while (r.hasNext()) {
        StreamEvent e = r.next();
        LineOrigin at = r.lastOrigin();
        events++;
        decoded.computeIfAbsent(at.file(), f -> new BitSet()).set((int) Math.min(Integer.MAX_VALUE, at.line()));
        if (at.version() < 2) {
          v1Lines++;
          if (e.seq() <= lastV1) {
            v1Regressions++;
          }
          lastV1 = e.seq();
        } else {
          checkSeq(writers, at);
        }
        String id = e.runId();
        String ev = e.event();
        if (e.isCustom()) {
          if (!started.contains(id)) {
            violation("custom event '" + e.name() + "' of run " + id + " that never started (" + at + ")");
          }
          continue;
        }
        if (ev.endsWith("_start")) {
          if (!started.add(id)) {
            violation("run " + id + " (" + e.name() + ") starts twice (" + at + ")");
          }
          names.put(id, e.name());
          closes.putIfAbsent(id, 0);
          if (e.metadata().get(REMOTE_PARENT) instanceof String) {
            // Its ancestors ran in the caller's process: they are in another log.
            remoteAncestors.addAll(e.parentIds());
          }
          for (String p : e.parentIds()) {
            if (!started.contains(p) && !remoteAncestors.contains(p)) {
              violation("run " + id + " (" + e.name() + ") starts before its ancestor " + p
                  + " (or the ancestor is missing) (" + at + ")");
              break;
            }
          }
          if (!e.parentIds().isEmpty() && closes.getOrDefault(e.parentIds().get(e.parentIds().size() - 1), 0) > 0) {
            violation("run " + id + " (" + e.name() + ") starts after its parent closed (" + at + ")");
          }
          continue;
        }
        if (!started.contains(id)) {
          violation(ev + " of run " + id + " (" + e.name() + ") that never started (" + at + ")");
          continue;
        }
        boolean close = ev.endsWith("_end") || ev.endsWith("_error") || ev.endsWith("_cancel");
        int c = closes.getOrDefault(id, 0);
        if (c > 0) {
          violation(ev + " of run " + id + " (" + e.name() + ") after it was closed (" + at + ")");
        }
        if (close) {
          closes.put(id, c + 1);
          if (ev.endsWith("_end")) {
            ok++;
          } else if (ev.endsWith("_error")) {
            errors++;
          } else {
            cancelled++;
          }
        }
      }
    }
    for (Map.Entry<String, Integer> e : closes.entrySet()) {
      if (e.getValue() == 0) {
        violation("run " + e.getKey() + " (" + names.get(e.getKey()) + ") never closed (no end, error or cancel)");
      }
    }
    long schemaViolations = new SchemaCheck(this::violation).check(files, decoded);

    long lost = writers.values().stream().mapToLong(w -> w.lost).sum();
    out.printf("%s: %d events, %d runs (%d ended, %d failed, %d cancelled, %d open), %d malformed lines, %d writer(s)%n",
        TerminalText.escape(file.toString()), events, started.size(), ok, errors, cancelled,
        started.size() - ok - errors - cancelled, malformed[0], writers.size() + (v1Lines > 0 ? 1 : 0));
    for (Map.Entry<String, Writer> w : writers.entrySet()) {
      Writer s = w.getValue();
      if (s.lost > 0 || s.first > 1) {
        out.printf("warning: writer %s: %d event(s) lost (gaps in its seq from %d to %d: dropped by its event bus or in"
            + " failed writes; see the sink's stats)%n", w.getKey().isEmpty() ? "(no id)" : TerminalText.escape(w.getKey()),
            s.lost, s.first, s.last);
      }
    }
    if (v1Lines > 0) {
      out.printf("note: %d line(s) of schema version 1, whose seq was taken when an event was built, not when it was"
          + " written: their order across threads is not exact, so %d decrease(s) of their seq are not violations%n",
          v1Lines, v1Regressions);
    }
    if (violations == 0) {
      out.println(lost > 0 ? "valid (with lost events)" : "valid");
      out.flush();
      return Main.OK;
    }
    out.println(violations + " violation(s)" + (schemaViolations > 0 ? ", " + schemaViolations + " of them against the schema" : "")
        + ":");
    shown.forEach(v -> out.println("  " + TerminalText.escape(v)));
    if (violations > shown.size()) {
      out.println("  ... " + (violations - shown.size()) + " more");
    }
    out.flush();
    return Main.PROBLEM;
  }

  /** Checks the line's place in its writer's sequence: strictly increasing, gaps counted as lost events. */
  private void checkSeq(Map<String, Writer> writers, LineOrigin at) {
    String key = at.writer() == null ? "" : at.writer();
    Writer w = writers.computeIfAbsent(key, k -> new Writer());
    long seq = at.seq();
    if (w.first < 0) {
      w.first = seq;
      w.last = seq;
      w.lines = 1;
      w.lost = Math.max(0, seq - 1);
      return;
    }
    if (seq <= w.last) {
      violation("seq " + seq + " of writer " + (key.isEmpty() ? "(no id)" : key) + " does not increase (previous "
          + w.last + ") (" + at + ")");
    } else {
      w.lost += seq - w.last - 1;
      w.last = seq;
    }
    w.lines++;
  }
}
