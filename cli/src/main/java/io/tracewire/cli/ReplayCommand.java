package io.tracewire.cli;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.sink.EventBus;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.sink.SinkStats;
import io.tracewire.exporters.jsonl.JsonlCodec;
import io.tracewire.exporters.jsonl.JsonlReader;
import io.tracewire.exporters.console.TerminalText;
import io.tracewire.exporters.jsonl.ReadOptions;
import io.tracewire.exporters.otel.ExportStats;
import io.tracewire.exporters.otel.OtelBridge;
import io.tracewire.exporters.otel.OtlpLogSink;
import io.tracewire.exporters.otel.OtlpLogStats;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tracewire replay}: re-export a recorded log as OpenTelemetry spans (and, with
 * {@code --otlp-logs}, log records). A batch tool: it waits for the collector rather than drop,
 * flushing the span exporter every {@value #FLUSH_EVERY_SPANS} spans so that the SDK's batch
 * queue never overflows; any span or record that is still lost (failed export, dropped) is
 * reported and makes the exit code 1.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = {"Re-exports a recorded JSONL log as OpenTelemetry spans over OTLP (http/protobuf or grpc, see",
        "--otlp-protocol), with the original timestamps and run tree, to look at yesterday's log in Jaeger,",
        "Phoenix or any OTLP backend. Waits for the collector instead of dropping spans; exits 1 if any",
        "span or log record was lost."},
    footer = {"", "Examples:", "  tracewire replay events.jsonl --otlp-endpoint http://127.0.0.1:4318/v1/traces",
        "  tracewire replay events.jsonl --otlp-endpoint https://collector:4318/v1/traces --header 'Authorization=Bearer X'",
        "  tracewire replay events.jsonl --otlp-protocol grpc --otlp-endpoint http://127.0.0.1:4317 --otlp-logs",
        "  tracewire replay events.jsonl --otlp-endpoint http://127.0.0.1:6006/v1/traces --open-inference   (Phoenix)"})
final class ReplayCommand implements Callable<Integer> {
  /** Spans ended between two flushes: well below the SDK's default span queue of 2,048. */
  static final int FLUSH_EVERY_SPANS = 512;
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The JSONL log (its rotated parts are read first).")
  Path file;

  @Option(names = "--otlp-endpoint", required = true, paramLabel = "URL",
      description = "The OTLP traces endpoint: for http/protobuf the traces URL (a URL without a path gets /v1/traces), "
          + "for grpc scheme://host:port.")
  String endpoint;

  @Mixin
  OtlpOptions otlp;

  @Option(names = "--service-name", description = "service.name of the spans (default: ${DEFAULT-VALUE}).", defaultValue = "tracewire-replay")
  String serviceName;

  @Option(names = "--header", paramLabel = "NAME=VALUE", description = "A header for the exporters, e.g. an API key (repeatable).")
  java.util.Map<String, String> headers;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    OtlpOptions.Transport transport = otlp.transport(spec.commandLine(), "--otlp-endpoint", endpoint);
    if (!Files.exists(file)) {
      err.println("tracewire: no such file: " + TerminalText.escape(file.toString()));
      return Main.IO;
    }
    OtelBridge.Builder b = otlp.bridge(endpoint, transport).serviceName(serviceName);
    if (headers != null) {
      headers.forEach(b::header);
    }
    long events = 0;
    long malformed;
    try (OtelBridge bridge = b.build();
        JsonlReader r = JsonlReader.open(JsonlReader.logFiles(file), new JsonlCodec(),
            new ReadOptions(ReadOptions.DEFAULT_MAX_LINE_BYTES, m -> err.println("tracewire: skipped malformed line "
                + TerminalText.escape(m.toString()))))) {
      OtlpLogSink logs = otlp.logSink(endpoint, transport, bridge, serviceName, headers);
      // a batch tool waits for the collector: BLOCK, never drop
      EventBus bus = logs == null ? null
          : EventBus.builder().sink(logs, SinkConfig.named(OtlpLogSink.DEFAULT_NAME).withPolicy(OverflowPolicy.BLOCK)).build();
      boolean flushed = true;
      try {
        long terminal = 0;
        while (r.hasNext()) {
          StreamEvent e = r.next();
          bridge.onEvent(e);
          if (bus != null) {
            bus.onEvent(e);
          }
          events++;
          if (ends(e.event()) && ++terminal % FLUSH_EVERY_SPANS == 0) {
            // back-pressure: the SDK's batch processor drops what its queue cannot hold, so let it drain
            flushed &= bridge.flush(FLUSH_TIMEOUT);
          }
        }
        malformed = r.malformedLines();
        flushed &= bridge.flush(FLUSH_TIMEOUT);
      } finally {
        if (bus != null) {
          flushed &= bus.close(FLUSH_TIMEOUT);
        }
      }
      ExportStats st = bridge.stats();
      boolean lost = st.spansLost() > 0 || st.spansNotExported() > 0;
      StringBuilder line = new StringBuilder("replayed " + events + " events (" + malformed + " malformed lines skipped) to "
          + endpoint + " over " + transport.protocol().otelName() + "; " + st);
      if (logs != null) {
        OtlpLogStats ls = logs.stats();
        SinkStats bs = bus.stats(OtlpLogSink.DEFAULT_NAME);
        line.append("; log records: ").append(ls);
        lost |= ls.failed() > 0 || bs.dropped() > 0 || bs.failed() > 0;
      }
      if (!flushed) {
        line.append("; flush timed out");
      }
      out.println(line);
      out.flush();
      if (lost) {
        err.println("tracewire: not everything reached the collector: " + st.spansFailed() + " spans failed, "
            + st.spansDropped() + " dropped, " + st.spansNotExported() + " not exported"
            + (logs != null ? ", " + logs.stats().failed() + " log records failed" : ""));
      }
      return flushed && !lost ? Main.OK : Main.PROBLEM;
    }
  }

  private static boolean ends(String event) {
    return event.endsWith("_end") || event.endsWith("_error") || event.endsWith("_cancel");
  }
}
