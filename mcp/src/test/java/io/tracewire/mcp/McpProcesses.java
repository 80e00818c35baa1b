package io.tracewire.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.jsonl.JsonlCodec;
import io.tracewire.exporters.jsonl.JsonlReader;
import io.tracewire.exporters.jsonl.ReadOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starting {@link WeatherServerMain} in its own JVM and connecting to it, over stdio or Streamable HTTP. */
final class McpProcesses {
  static final McpJsonMapper JSON = new JacksonMcpJsonMapper(new ObjectMapper());

  private McpProcesses() {}

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A connection to a server process: the client transport and, over http, the process to stop. */
  record Server(McpClientTransport transport, Process process) {
    /** Stops an http server (stdio servers are stopped by closing the client) and waits for it. */
    void stop() throws InterruptedException {
      if (process != null) {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }

  static Server start(String mode, Path dir, String otlp, String... extra) throws Exception {
    Files.createDirectories(dir);
    List<String> args = new ArrayList<>(List.of("-Dweather.untraced=" + Boolean.getBoolean("weather.untraced"),
        "-cp", System.getProperty("java.class.path"),
        WeatherServerMain.class.getName(), mode, dir.toString(), otlp == null ? "-" : otlp));
    args.addAll(List.of(extra));
    if (mode.equals("stdio")) {
      return new Server(new StdioClientTransport(ServerParameters.builder(java()).args(args).build(), JSON), null);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(args);
    // not inherited: a server left running after a failed test must not hold the test JVM's (and so
    // surefire's) stderr open, which makes surefire wait for it
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("server-" + mode + ".err").toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    if (first == null || !first.startsWith("port=")) {
      p.destroyForcibly();
      throw new IllegalStateException("the http server did not start: " + first + "; see " + dir);
    }
    String base = "http://127.0.0.1:" + first.substring("port=".length());
    return new Server(HttpClientStreamableHttpTransport.builder(base).endpoint("/mcp").jsonMapper(JSON).build(), p);
  }

  /** Waits until a stats file the server writes when it stops exists (the process is gone by then). */
  static String stats(Path dir, String mode) throws Exception {
    Path f = dir.resolve("server-" + mode + ".stats");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(f) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return Files.readString(f);
  }

  /**
   * Runs a client scenario on a thread of its own. OtelBridge closes the scope of a run that
   * ended on another thread (an MCP request run ends on the transport's) at its next event on the
   * starting thread; a scenario's bridge is closed after it, so its thread is not reused.
   */
  static <T> T onFreshThread(java.util.concurrent.Callable<T> scenario) throws Exception {
    java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      return one.submit(scenario).get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    } finally {
      one.shutdownNow();
    }
  }

  static List<StreamEvent> read(Path file) throws Exception {
    List<StreamEvent> events = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(JsonlReader.logFiles(file), new JsonlCodec(),
        new ReadOptions(ReadOptions.DEFAULT_MAX_LINE_BYTES, null))) {
      while (r.hasNext()) {
        events.add(r.next());
      }
    }
    return events;
  }

  static Map<String, Object> attrs(List<KeyValue> kvs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      m.put(kv.getKey(), switch (v.getValueCase()) {
        case STRING_VALUE -> v.getStringValue();
        case INT_VALUE -> v.getIntValue();
        case BOOL_VALUE -> v.getBoolValue();
        case DOUBLE_VALUE -> v.getDoubleValue();
        default -> v.toString();
      });
    }
    return m;
  }
}
