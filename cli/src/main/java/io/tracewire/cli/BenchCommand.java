package io.tracewire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracewire.bench.Comparison;
import io.tracewire.bench.Harness;
import io.tracewire.bench.LangChainSide;
import io.tracewire.bench.Workloads;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracewire bench}: the standard workloads, optionally side by side with LangChain. */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = {"Runs the standard workloads (W1 chat stream, W2 chain stream, W3 many small runs, W4 concurrent streams,",
        "M1 memory, and on JDK 21+ W5 concurrent streams on virtual threads) and prints events/s, microseconds per event and the overhead per event against the plain stream."},
    footer = {"", "Examples:", "  tracewire bench", "  tracewire bench --full --json", "  tracewire bench --full --json --workloads W1,W3",
        "  tracewire bench --full --vs-langchain"})
final class BenchCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--full", description = "The published sizes (W1 1,000 words, W3 2,000 runs, W4 100 streams, M1 10,000 words, W5 10,000 streams), each warmed up until the JIT has been idle for 0.5 s (at most 20 s).")
  boolean full;

  @Option(names = "--json", description = "Print JSON: {\"workloads\": [{name, events, wall_ms_median, events_per_s, us_per_event, overhead_us_per_event}]}.")
  boolean json;

  @Option(names = "--runs", description = "Timed runs per workload (default: ${DEFAULT-VALUE}).", defaultValue = "5")
  int runs;

  @Option(names = "--workloads", split = ",", paramLabel = "NAME",
      description = "Run only these workloads, comma-separated (for example W1,W3; default: all).")
  List<String> only;

  @Option(names = "--vs-langchain", description = "Also run the same workloads on langchain-core " + LangChainSide.LANGCHAIN_CORE_VERSION
      + " (needs python3; installs it into ~/.cache/tracewire on first use) and print the ratio per workload.")
  boolean vsLangChain;

  @Override
  public Integer call() throws Exception {
    if (runs < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be >= 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    err.println("running Tracewire workloads" + (full ? " (full size)" : " (small; --full for the published sizes)"));
    err.flush();
    List<Harness.Result> results = new Harness(runs, 2, full ? 20_000 : 0).run(selected(Workloads.all(full)));
    JsonNode python = null;
    if (vsLangChain) {
      if (!LangChainSide.pythonAvailable()) {
        err.println("tracewire: --vs-langchain needs python3 on the PATH");
        return Main.PROBLEM;
      }
      err.println("running LangChain workloads");
      err.flush();
      python = LangChainSide.run(full, runs);
    }
    if (json) {
      out.println(python == null ? Harness.json(results) : Comparison.json(results, python));
    } else {
      out.print(Harness.table(results));
      if (python != null) {
        out.println();
        out.println("side by side (langchain-core " + python.path("langchain_core").asText() + ", Python "
            + python.path("python").asText() + "):");
        out.print(Comparison.table(results, python));
      }
    }
    out.flush();
    return Main.OK;
  }

  /** The workloads {@code --workloads} names, in their standard order; all without it. */
  private List<Workloads.Workload> selected(List<Workloads.Workload> all) {
    if (only == null) {
      return all;
    }
    List<String> known = all.stream().map(Workloads.Workload::name).toList();
    for (String name : only) {
      if (!known.contains(name)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "unknown workload '" + name + "' for --workloads; this JVM has " + String.join(", ", known));
      }
    }
    return all.stream().filter(w -> only.contains(w.name())).toList();
  }
}
