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
        // fresh server processes each round: long stdio sessions of the SDK 2.0.1 server were seen to stop
        // answering after a few hundred back-to-back calls (with and without tracing), so rounds stay short
        plainRounds[r] = retried(dir.resolve("plain-" + r), null, calls);
        tracedRounds[r] = retried(dir.resolve("traced-" + r), McpTracing.create(), calls);
        System.out.printf("round %d: plain %.1f us, traced %.1f us (median per call)%n", r + 1, plainRounds[r], tracedRounds[r]);
      }
    }
    double p = median(plainRounds);
    double t = median(tracedRounds);
    System.out.printf("median over %d rounds of %d calls: plain %.1f us, traced %.1f us, overhead %.1f us (%.1f%%)%n",
        rounds, calls, p, t, t - p, 100 * (t - p) / p);
  }

  /** A round, run again (up to 3 times) when a call got no answer within the timeout. */
  private static double retried(Path dir, McpTracing tracing, int calls) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return round(dir.resolve("attempt-" + attempt), tracing, calls);
      } catch (RuntimeException e) {
        System.out.println("  a call was not answered (" + e.getClass().getSimpleName() + "); the round is run again");
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** One round against a fresh server: warm-up calls, then the median of {@code calls} timed ones. */
  private static double round(Path dir, McpTracing tracing, int calls) throws Exception {
    McpProcesses.Server server = McpProcesses.start("stdio", dir, null);
    McpSyncClient client = McpClient.sync(tracing == null ? server.transport() : tracing.traced(server.transport()))
        .requestTimeout(Duration.ofSeconds(10)).build();
    try {
      client.initialize();
      measure(client, calls);
      return measure(client, calls);
    } finally {
      client.closeGracefully();
      for (ProcessHandle h : ProcessHandle.current().children().toList()) {
        h.destroy();
      }
    }
  }

  private static double measure(McpSyncClient client, int calls) {
    long[] nanos = new long[calls];
    McpSchema.CallToolRequest request = McpSchema.CallToolRequest.builder("echo").arguments(Map.of("city", "Bern")).build();
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      client.callTool(request);
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    return nanos[calls / 2] / 1000.0;
  }

  private static double median(double[] xs) {
    double[] c = xs.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
