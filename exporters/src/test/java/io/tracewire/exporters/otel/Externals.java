package io.tracewire.exporters.otel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The external services of {@link CollectorIT} and {@link PhoenixDemoIT}, found through the
 * variables that {@code .ci/otelcol-lib.sh}, {@code .ci/jaeger-lib.sh} and {@code .ci/phoenix-lib.sh}
 * export. A missing one skips the test with a message saying what is missing, or fails it when
 * {@code -Dtracewire.requireExternal=true} ({@link ExternalParts}' rule). Stateless; used from the
 * test thread.
 */
final class Externals {
  static final String REQUIRE = "tracewire.requireExternal";

  private Externals() {}

  static boolean required() {
    return Boolean.getBoolean(REQUIRE);
  }

  /** Skips, or fails under {@code -Dtracewire.requireExternal=true}; never returns. */
  static RuntimeException missing(String what) {
    String msg = what + (required() ? " (-D" + REQUIRE + "=true: failing instead of skipping)" : "; skipped");
    System.out.println(msg);
    if (required()) {
      throw new AssertionError(msg);
    }
    Assumptions.abort(msg);
    return new IllegalStateException(msg);
  }

  /** The collector started by {@code start_otelcol}. */
  record Collector(String grpcEndpoint, String httpEndpoint, Path tracesFile, Path logsFile) {
    /**
     * The collector binary, for a private instance: {@code TRACEWIRE_OTELCOL_BIN}, else what
     * {@code .ci/otelcol-build.sh} prints (a cached build returns at once).
     */
    Path binary() throws IOException, InterruptedException {
      String bin = System.getenv("TRACEWIRE_OTELCOL_BIN");
      if (bin != null && !bin.isBlank()) {
        return Path.of(bin);
      }
      Path root = repositoryRoot();
      Path log = Files.createTempFile("otelcol-build", ".log");
      Process p = new ProcessBuilder("bash", ".ci/otelcol-build.sh").directory(root.toFile())
          .redirectError(log.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0 || out.isEmpty()) {
        throw new AssertionError("bash .ci/otelcol-build.sh failed; its stderr: " + Files.readString(log));
      }
      List<String> lines = out.lines().toList();
      return Path.of(lines.get(lines.size() - 1));
    }
  }

  static Collector collector() {
    Map<String, String> v = ExternalParts.require("CollectorIT", "no OpenTelemetry Collector: run .ci/otel-e2e.sh, or "
        + "source .ci/otelcol-lib.sh and start_otelcol", "TRACEWIRE_OTELCOL_GRPC_ENDPOINT", "TRACEWIRE_OTELCOL_HTTP_ENDPOINT",
        "TRACEWIRE_OTELCOL_TRACES_FILE", "TRACEWIRE_OTELCOL_LOGS_FILE");
    return new Collector(v.get("TRACEWIRE_OTELCOL_GRPC_ENDPOINT"), v.get("TRACEWIRE_OTELCOL_HTTP_ENDPOINT"),
        Path.of(v.get("TRACEWIRE_OTELCOL_TRACES_FILE")), Path.of(v.get("TRACEWIRE_OTELCOL_LOGS_FILE")));
  }

  /**
   * Jaeger's query URL when the collector forwards traces to Jaeger ({@code TRACEWIRE_JAEGER_OTLP_GRPC}
   * set before {@code start_otelcol}); {@code null} when it does not and that is allowed.
   */
  static String jaegerQuery() {
    String forward = System.getenv("TRACEWIRE_JAEGER_OTLP_GRPC");
    String query = System.getenv("TRACEWIRE_JAEGER_QUERY_URL");
    if (forward != null && query != null) {
      return query;
    }
    if (required()) {
      throw missing("CollectorIT: no Jaeger behind the collector (TRACEWIRE_JAEGER_OTLP_GRPC and "
          + "TRACEWIRE_JAEGER_QUERY_URL must be set: start_jaeger before start_otelcol)");
    }
    System.out.println("CollectorIT: the collector does not forward to Jaeger (TRACEWIRE_JAEGER_OTLP_GRPC or "
        + "TRACEWIRE_JAEGER_QUERY_URL not set): the Jaeger check is left out");
    return null;
  }

  /** Phoenix started by {@code start_phoenix}. */
  record Phoenix(String url, String otlpHttpEndpoint) {}

  static Phoenix phoenix() {
    Map<String, String> v = ExternalParts.require("PhoenixDemoIT", "no Arize Phoenix: run .ci/otel-e2e.sh, or "
        + "source .ci/phoenix-lib.sh and start_phoenix", "TRACEWIRE_PHOENIX_URL", "TRACEWIRE_PHOENIX_OTLP_HTTP_ENDPOINT");
    return new Phoenix(v.get("TRACEWIRE_PHOENIX_URL").replaceAll("/+$", ""), v.get("TRACEWIRE_PHOENIX_OTLP_HTTP_ENDPOINT"));
  }

  static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve(".ci/otelcol-build.sh"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new AssertionError("no .ci/otelcol-build.sh above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
