package io.tracewire.cli;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.jsonl.JsonlCodec;
import io.tracewire.exporters.jsonl.JsonlReader;
import io.tracewire.exporters.jsonl.ReadOptions;
import io.tracewire.exporters.otel.OtelBridge;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tracewire replay}: re-export a recorded log as OpenTelemetry spans. */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = {"Re-exports a recorded JSONL log as OpenTelemetry spans over OTLP/HTTP, with the original",
        "timestamps and run tree, to look at yesterday's log in Jaeger (or any OTLP backend)."},
    footer = {"", "Examples:", "  tracewire replay events.jsonl --otlp-endpoint http://127.0.0.1:4318/v1/traces",
        "  tracewire replay events.jsonl --otlp-endpoint https://collector:4318/v1/traces --header 'Authorization=Bearer X'"})
final class ReplayCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The JSONL log (its rotated parts are read first).")
  Path file;

  @Option(names = "--otlp-endpoint", required = true, paramLabel = "URL", description = "The OTLP/HTTP traces endpoint.")
  String endpoint;

  @Option(names = "--service-name", description = "service.name of the spans (default: ${DEFAULT-VALUE}).", defaultValue = "tracewire-replay")
  String serviceName;

  @Option(names = "--header", paramLabel = "NAME=VALUE", description = "An HTTP header for the exporter (repeatable).")
  java.util.Map<String, String> headers;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.exists(file)) {
      err.println("tracewire: no such file: " + file);
      return Main.IO;
    }
    OtelBridge.Builder b = OtelBridge.builder().endpoint(endpoint).serviceName(serviceName);
    if (headers != null) {
      headers.forEach(b::header);
    }
    long events = 0;
    long malformed;
    try (OtelBridge bridge = b.build();
        JsonlReader r = JsonlReader.open(JsonlReader.logFiles(file), new JsonlCodec(),
            new ReadOptions(ReadOptions.DEFAULT_MAX_LINE_BYTES, m -> err.println("tracewire: skipped malformed line "
                + m.file() + ":" + m.line() + ": " + m.reason())))) {
      while (r.hasNext()) {
        StreamEvent e = r.next();
        bridge.onEvent(e);
        events++;
      }
      malformed = r.malformedLines();
      boolean flushed = bridge.flush(Duration.ofSeconds(30));
      out.println("replayed " + events + " events (" + malformed + " malformed lines skipped) to " + endpoint
          + "; " + bridge.stats() + (flushed ? "" : "; flush timed out"));
      out.flush();
      return flushed && bridge.stats().spansFailed() == 0 ? Main.OK : Main.PROBLEM;
    }
  }
}
