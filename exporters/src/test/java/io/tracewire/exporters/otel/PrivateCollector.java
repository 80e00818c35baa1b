package io.tracewire.exporters.otel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A collector process of the test's own, from the binary of {@code .ci/otelcol-build.sh}, with the
 * same receivers and file exporters as {@code .ci/otelcol-lib.sh} on free 127.0.0.1 ports, for the
 * fault cases: {@link #stop} / {@link #restart} (same ports, files appended to), {@link #pause} /
 * {@link #resume} (SIGSTOP / SIGCONT: connections are still accepted by the kernel, nothing is
 * answered). Used from the test thread only; {@link #close} stops it whatever its state.
 */
final class PrivateCollector implements AutoCloseable {
  private final Path binary;
  private final Path config;
  private final Path log;
  private final Path traces;
  private final Path logs;
  private final int grpcPort;
  private final int httpPort;
  private Process process;
  private boolean paused;

  private PrivateCollector(Path binary, Path dir) throws IOException {
    this.binary = binary;
    this.grpcPort = freePort();
    this.httpPort = freePort();
    this.config = dir.resolve("otelcol.yaml");
    this.log = dir.resolve("otelcol.log");
    this.traces = dir.resolve("traces.jsonl");
    this.logs = dir.resolve("logs.jsonl");
    Files.writeString(config, """
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:%d
              http:
                endpoint: 127.0.0.1:%d
        exporters:
          file/traces:
            path: %s
            format: json
            append: true
            flush_interval: 100ms
          file/logs:
            path: %s
            format: json
            append: true
            flush_interval: 100ms
        service:
          telemetry:
            metrics:
              level: none
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [file/traces]
            logs:
              receivers: [otlp]
              exporters: [file/logs]
        """.formatted(grpcPort, httpPort, traces, logs));
  }

  static PrivateCollector start(Path binary, Path dir) throws IOException, InterruptedException {
    PrivateCollector c = new PrivateCollector(binary, dir);
    c.launch();
    return c;
  }

  String grpcEndpoint() {
    return "http://127.0.0.1:" + grpcPort;
  }

  String httpEndpoint() {
    return "http://127.0.0.1:" + httpPort;
  }

  Path tracesFile() {
    return traces;
  }

  Path logsFile() {
    return logs;
  }

  private void launch() throws IOException, InterruptedException {
    process = new ProcessBuilder(binary.toString(), "--config", config.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!(accepts(grpcPort) && accepts(httpPort))) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new AssertionError("the private collector did not start; its log:\n" + Files.readString(log));
      }
      Thread.sleep(50);
    }
  }

  /** SIGTERM and wait (the file exporter flushes on shutdown), then until both ports are closed. */
  void stop() throws InterruptedException, IOException {
    resume();
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((accepts(grpcPort) || accepts(httpPort)) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  void restart() throws IOException, InterruptedException {
    stop();
    launch();
  }

  void pause() throws IOException, InterruptedException {
    signal("STOP");
    paused = true;
  }

  void resume() throws IOException, InterruptedException {
    if (paused) {
      signal("CONT");
      paused = false;
    }
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
