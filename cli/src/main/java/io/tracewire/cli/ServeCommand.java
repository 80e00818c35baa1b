package io.tracewire.cli;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.dashboard.Dashboard;
import io.tracewire.exporters.jsonl.JsonlCodec;
import io.tracewire.exporters.jsonl.JsonlReader;
import io.tracewire.exporters.console.TerminalText;
import io.tracewire.exporters.jsonl.ReadOptions;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tracewire serve}: the live dashboard over JSONL logs. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = {"Serves the live dashboard over a JSONL log (or every *.jsonl file in a directory), loading what is",
        "there and following new events. Binds to 127.0.0.1 unless told otherwise; any other address needs --token."},
    footer = {"", "Examples:", "  tracewire serve events.jsonl", "  tracewire serve logs/ --port 8080",
        "  tracewire serve events.jsonl --bind 0.0.0.0 --token $(openssl rand -hex 16)"})
final class ServeCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE|DIR", description = "A JSONL log, or a directory of them.")
  Path path;

  @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).", defaultValue = "7070")
  int port;

  @Option(names = "--bind", description = "Bind address (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
  String bind;

  @Option(names = "--token", description = "Access token (at least 16 characters); required for a non-loopback bind.")
  String token;

  @Option(names = "--no-follow", description = "Load the log and serve it without following new events.")
  boolean noFollow;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString(), null, "no such file or directory");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--bind " + bind + ": unknown host");
    }
    if (!address.isLoopbackAddress() && token == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--bind " + bind
          + " is not a loopback address: anyone who can reach it could read every event; set --token <at least 16 characters>");
    }
    List<Path> files = LogFiles.resolve(path);
    Dashboard.Builder b = Dashboard.builder().port(port).bindAddress(bind);
    if (token != null) {
      b.accessToken(token);
    }
    JsonlCodec codec = new JsonlCodec();
    ReadOptions options = new ReadOptions(ReadOptions.DEFAULT_MAX_LINE_BYTES,
        m -> err.println("tracewire: skipped malformed line " + TerminalText.escape(m.toString())));
    CountDownLatch stop = new CountDownLatch(1);
    try (Dashboard dashboard = b.start()) {
      out.println("dashboard at " + dashboard.uri() + " (Ctrl-C to stop)");
      out.flush();
      List<Thread> readers = new ArrayList<>();
      List<CatchUpFollower> followers = new ArrayList<>();
      for (Path f : files) {
        CatchUpFollower follower = noFollow ? null : new CatchUpFollower(f, true, codec, options);
        if (follower != null) {
          followers.add(follower);
        }
        Thread t = new Thread(() -> {
          try {
            if (follower == null) {
              try (JsonlReader r = JsonlReader.open(JsonlReader.logFiles(f), codec, options)) {
                while (r.hasNext()) {
                  dashboard.ingestBlocking(r.next());
                }
              }
              return;
            }
            while (stop.getCount() > 0) {
              StreamEvent e = follower.poll(Duration.ofMillis(200));
              if (e != null && !dashboard.ingestBlocking(e)) {
                return;
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            if (stop.getCount() > 0) {
              err.println("tracewire: reading " + TerminalText.escape(f.toString()) + " failed: "
                  + TerminalText.escape(String.valueOf(e.getMessage())));
              err.flush();
            }
          }
        }, "tracewire-serve-" + f.getFileName());
        t.setDaemon(true);
        t.start();
        readers.add(t);
      }
      Thread hook = new Thread(() -> {
        stop.countDown();
        for (CatchUpFollower f : followers) {
          try {
            f.close();
          } catch (Exception ignored) {
            // shutting down
          }
        }
      }, "tracewire-serve-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      stop.await();
      return Main.INTERRUPTED;
    }
  }
}
