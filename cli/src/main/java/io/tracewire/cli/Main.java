package io.tracewire.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tracewire} command. Data goes to stdout, progress and diagnostics to stderr.
 *
 * <p>Exit codes: 0 success; 1 the command ran and found a problem (a failed run, lifecycle
 * violations); 2 usage error; 3 input/output error; 130 interrupted.
 */
@Command(name = "tracewire", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Event tracing for LLM applications: run the demo, follow and check JSONL event logs, benchmark.",
    subcommands = {DemoCommand.class, TailCommand.class, ValidateCommand.class, ReplayCommand.class, ServeCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 problem found, 2 usage error, 3 I/O error, 130 interrupted.",
        "Examples:", "  java -jar tracewire.jar demo", "  java -jar tracewire.jar bench --json"})
public final class Main implements java.lang.Runnable {
  static final int OK = 0;
  static final int PROBLEM = 1;
  static final int USAGE = 2;
  static final int IO = 3;
  static final int INTERRUPTED = 130;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Libraries in the CLI log through SLF4J, which has no provider here: keep its start-up notice off stderr.
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    System.exit(run(args));
  }

  /** Runs the command line in-process and returns the exit code (used by tests). */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? USAGE : t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException ? IO : PROBLEM);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      commandLine.getErr().println("tracewire: " + io.tracewire.exporters.console.TerminalText.escape(ex.getMessage()));
      if (ex instanceof CommandLine.ParameterException) {
        return USAGE;
      }
      return commandLine.getExitCodeExceptionMapper().getExitCode(ex);
    });
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"tracewire " + (v == null ? "development build" : v), "Java " + System.getProperty("java.version")};
    }
  }
}
