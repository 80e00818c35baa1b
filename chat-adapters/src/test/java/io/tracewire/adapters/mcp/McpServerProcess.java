package io.tracewire.adapters.mcp;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.jsonl.JsonlCodec;
import io.tracewire.exporters.jsonl.JsonlReader;
import io.tracewire.exporters.jsonl.ReadOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Forks {@link WeatherMcpServer} in its own JVM (this JVM's class path) and reads its event log.
 * For stdio, the MCP client starts the process itself from {@link #stdioCommand}; for Streamable
 * HTTP, {@link #startHttp} starts it and {@link #close} stops it by closing its stdin.
 */
public final class McpServerProcess implements AutoCloseable {
  /**
   * stdout is the stdio transport's channel: a logging backend on the class path (Logback, in the
   * Spring tests) would write into it, so the server's SLF4J logging goes nowhere.
   */
  private static final String QUIET_SLF4J = "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider";

  private final Process process;
  private final int port;

  private McpServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The command line of a stdio server logging to {@code dir}. */
  public static List<String> stdioCommand(Path dir) {
    return List.of(java(), "-Xmx192m", QUIET_SLF4J, "-cp", System.getProperty("java.class.path"),
        WeatherMcpServer.class.getName(), "stdio", dir.toString());
  }

  /** Starts a Streamable HTTP server logging to {@code dir}; waits for its port. */
  public static McpServerProcess startHttp(Path dir) throws IOException {
    Process p = new ProcessBuilder(java(), "-Xmx192m", QUIET_SLF4J, "-cp", System.getProperty("java.class.path"),
        WeatherMcpServer.class.getName(), "http", dir.toString())
        .redirectError(dir.resolve("http-server.stderr").toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("port=")) {
        return new McpServerProcess(p, Integer.parseInt(line.substring(5)));
      }
    }
    p.destroyForcibly();
    throw new IOException("the MCP server exited before printing its port; see " + dir.resolve("http-server.stderr")
        + ": " + Files.readString(dir.resolve("http-server.stderr")));
  }

  /** The Streamable HTTP endpoint. */
  public String url() {
    return "http://127.0.0.1:" + port + "/mcp";
  }

  /** The server's events, in the order it logged them. */
  public static List<StreamEvent> events(Path dir) throws IOException {
    List<StreamEvent> events = new ArrayList<>();
    Path f = dir.resolve(WeatherMcpServer.LOG);
    try (JsonlReader r = JsonlReader.open(JsonlReader.logFiles(f), new JsonlCodec(),
        new ReadOptions(ReadOptions.DEFAULT_MAX_LINE_BYTES, null))) {
      while (r.hasNext()) {
        events.add(r.next());
      }
    }
    return events;
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
