package io.tracewire.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.tracewire.core.Tracewire;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * The cost of the client's tool run on an MCP stdio round trip: {@code tools/call echo} to
 * {@link WeatherServerMain} (which traces its side in both cases), through a plain transport and
 * through {@link McpTracing#traced} with Tracewire installed and a JSONL sink, in alternating
 * rounds so that drift of a loaded machine hits both alike. Prints the median microseconds per
 * call of each round and the medians over rounds. A harness, not a test:
 * {@code java -cp <test class path> io.tracewire.mcp.McpOverheadMain [calls per round] [rounds]}.
 */
public final class McpOverheadMain {
  private McpOverheadMain() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("mcp-overhead");
    double[] plainRounds = new double[rounds];
    double[] tracedRounds = new double[rounds];
    try (Tracewire tw = Tracewire.builder().closeOnShutdown(false)
        .sink(JsonlFileSink.builder(dir.resolve("client.jsonl")).build(), SinkConfig.named("jsonl").withPolicy(OverflowPolicy.DROP_NEWEST))
        .install()) {
      for (int r = 0; r < rounds; r++) {
        double[] both = retried(dir.resolve("round-" + r), calls);
        plainRounds[r] = both[0];
        tracedRounds[r] = both[1];
        System.out.printf("round %d: plain %.1f us, traced %.1f us (median per call)%n", r + 1, plainRounds[r], tracedRounds[r]);
      }
    }
    double p = median(plainRounds);
    double t = median(tracedRounds);
    System.out.printf("median over %d rounds of %d calls: plain %.1f us, traced %.1f us, overhead %.1f us (%.1f%%)%n",
        rounds, calls, p, t, t - p, 100 * (t - p) / p);
  }

  /** A round, run again (up to 5 times) when a call got no answer within the timeout. */
  private static double[] retried(Path dir, int calls) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return round(dir.resolve("attempt-" + attempt), calls);
      } catch (RuntimeException e) {
        System.out.println("  a call was not answered (" + e.getClass().getSimpleName() + "); the round is run again");
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  /**
   * One round against two fresh servers, one per client: warm-up calls, then {@code calls} timed
   * calls of each client, interleaved one by one; returns the two medians.
   */
  private static double[] round(Path dir, int calls) throws Exception {
    McpProcesses.Server plainServer = McpProcesses.start("stdio", dir.resolve("plain"), null);
    McpProcesses.Server tracedServer = McpProcesses.start("stdio", dir.resolve("traced"), null);
    McpSyncClient plain = McpClient.sync(plainServer.transport()).requestTimeout(Duration.ofSeconds(10)).build();
    McpSyncClient traced = McpClient.sync(McpTracing.create().traced(tracedServer.transport()))
        .requestTimeout(Duration.ofSeconds(10)).build();
    McpSchema.CallToolRequest request = McpSchema.CallToolRequest.builder("echo").arguments(Map.of("city", "Bern")).build();
    try {
      plain.initialize();
      traced.initialize();
      long[] p = new long[calls];
      long[] t = new long[calls];
      for (int pass = 0; pass < 2; pass++) {
        // pass 0 warms up both paths and both servers
        for (int i = 0; i < calls; i++) {
          long t0 = System.nanoTime();
          plain.callTool(request);
          long t1 = System.nanoTime();
          traced.callTool(request);
          long t2 = System.nanoTime();
          p[i] = t1 - t0;
          t[i] = t2 - t1;
        }
      }
      Arrays.sort(p);
      Arrays.sort(t);
      return new double[] {p[calls / 2] / 1000.0, t[calls / 2] / 1000.0};
    } finally {
      plain.closeGracefully();
      traced.closeGracefully();
      for (ProcessHandle h : ProcessHandle.current().children().toList()) {
        h.destroy();
      }
    }
  }

  private static double median(double[] xs) {
    double[] c = xs.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
