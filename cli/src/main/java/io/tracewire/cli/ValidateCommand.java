package io.tracewire.cli;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.jsonl.JsonlCodec;
import io.tracewire.exporters.jsonl.JsonlReader;
import io.tracewire.exporters.jsonl.ReadOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tracewire validate}: schema and lifecycle checks of a finished JSONL log. */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = {"Checks a JSONL event log (with its rotated parts) against the schema and the run lifecycle:",
        "every line decodes; every run starts once and is closed exactly once by end, error or cancel; nothing",
        "follows a run's close; parents start before their children; seq increases. Prints a summary; exits 1 on violations."},
    footer = {"", "Examples:", "  tracewire validate events.jsonl", "  tracewire validate events.jsonl --max-violations 50"})
final class ValidateCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The JSONL log (its rotated parts NAME.1, NAME.2, ... are read first).")
  Path file;

  @Option(names = "--max-violations", description = "Violations listed in detail (default: ${DEFAULT-VALUE}).", defaultValue = "20")
  int maxShown;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.exists(file)) {
      spec.commandLine().getErr().println("tracewire: no such file: " + file);
      return Main.IO;
    }
    List<String> violations = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    Map<String, Integer> closes = new HashMap<>();
    Set<String> started = new HashSet<>();
    Map<String, String> names = new HashMap<>();
    long events = 0;
    long lastSeq = Long.MIN_VALUE;
    int ok = 0;
    int errors = 0;
    int cancelled = 0;
    ReadOptions opts = new ReadOptions(ReadOptions.DEFAULT_MAX_LINE_BYTES,
        m -> malformed.add(m.file() + ":" + m.line() + ": " + m.reason()));
    try (JsonlReader r = JsonlReader.open(JsonlReader.logFiles(file), new JsonlCodec(), opts)) {
      while (r.hasNext()) {
        StreamEvent e = r.next();
        events++;
        if (e.seq() <= lastSeq) {
          violations.add("seq " + e.seq() + " does not increase (previous " + lastSeq + ") at event " + e.event() + " of " + e.runId());
        }
        lastSeq = e.seq();
        String id = e.runId();
        String ev = e.event();
        if (e.isCustom()) {
          if (!started.contains(id)) {
            violations.add("custom event '" + e.name() + "' of run " + id + " that never started");
          }
          continue;
        }
        if (ev.endsWith("_start")) {
          if (!started.add(id)) {
            violations.add("run " + id + " (" + e.name() + ") starts twice");
          }
          names.put(id, e.name());
          closes.putIfAbsent(id, 0);
          for (String p : e.parentIds()) {
            if (!started.contains(p)) {
              violations.add("run " + id + " (" + e.name() + ") starts before its ancestor " + p + " (or the ancestor is missing)");
              break;
            }
          }
          if (!e.parentIds().isEmpty() && closes.getOrDefault(e.parentIds().get(e.parentIds().size() - 1), 0) > 0) {
            violations.add("run " + id + " (" + e.name() + ") starts after its parent closed");
          }
          continue;
        }
        if (!started.contains(id)) {
          violations.add(ev + " of run " + id + " (" + e.name() + ") that never started");
          continue;
        }
        boolean close = ev.endsWith("_end") || ev.endsWith("_error") || ev.endsWith("_cancel");
        int c = closes.getOrDefault(id, 0);
        if (c > 0) {
          violations.add(ev + " of run " + id + " (" + e.name() + ") after it was closed");
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
        violations.add("run " + e.getKey() + " (" + names.get(e.getKey()) + ") never closed (no end, error or cancel)");
      }
    }
    for (String m : malformed) {
      violations.add("malformed line " + m);
    }
    out.printf("%s: %d events, %d runs (%d ended, %d failed, %d cancelled, %d open), %d malformed lines%n", file, events,
        started.size(), ok, errors, cancelled, started.size() - ok - errors - cancelled, malformed.size());
    if (violations.isEmpty()) {
      out.println("valid");
      out.flush();
      return Main.OK;
    }
    out.println(violations.size() + " violation(s):");
    violations.stream().limit(maxShown).forEach(v -> out.println("  " + v));
    if (violations.size() > maxShown) {
      out.println("  ... " + (violations.size() - maxShown) + " more");
    }
    out.flush();
    return Main.PROBLEM;
  }
}
