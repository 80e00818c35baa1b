package io.tracewire.exporters.otel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.core.RunConfig;
import io.tracewire.core.Tracewire;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * End to end through a real OpenTelemetry Collector (the test collector of {@code .ci/otelcol}:
 * {@code source .ci/otelcol-lib.sh; start_otelcol}): a chain's log records sent over OTLP/HTTP and
 * over OTLP/gRPC, read back from the collector's file exporter. Needs
 * {@code TRACEWIRE_OTELCOL_HTTP_ENDPOINT}, {@code TRACEWIRE_OTELCOL_GRPC_ENDPOINT} and
 * {@code TRACEWIRE_OTELCOL_LOGS_FILE}; without them it is skipped with a message, unless
 * {@code -Dtracewire.requireExternal=true}.
 */
class OtlpLogCollectorIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aChainsRecordsArriveOnceThroughTheCollectorOverHttpAndGrpc() throws Exception {
    Map<String, String> env = ExternalParts.require("OtlpLogCollectorIT", "a running test collector is missing; run "
        + "'source .ci/otelcol-lib.sh; start_otelcol' first", "TRACEWIRE_OTELCOL_HTTP_ENDPOINT",
        "TRACEWIRE_OTELCOL_GRPC_ENDPOINT", "TRACEWIRE_OTELCOL_LOGS_FILE");
    String http = env.get("TRACEWIRE_OTELCOL_HTTP_ENDPOINT");
    String grpc = env.get("TRACEWIRE_OTELCOL_GRPC_ENDPOINT");
    String file = env.get("TRACEWIRE_OTELCOL_LOGS_FILE");
    for (OtlpProtocol protocol : OtlpProtocol.values()) {
      String service = "tracewire-logs-it-" + protocol.name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
      OtlpLogSink sink = OtlpLogSink.builder().protocol(protocol).endpoint(protocol == OtlpProtocol.GRPC ? grpc : http)
          .serviceName(service).build();
      List<StreamEvent> seen = new CopyOnWriteArrayList<>();
      RunListener recorder = seen::add;
      try (Tracewire tw = Tracewire.builder().listener(recorder)
          .sink(sink, SinkConfig.named("otlp-logs").withPolicy(OverflowPolicy.BLOCK)).install()) {
        assertThat(OtlpLogSinkTest.chain().invoke(Map.of("question", "q"), RunConfig.builder().tags("it").build()))
            .isEqualTo("hi there / sunny in Oslo");
        assertThat(tw.flush(Duration.ofSeconds(10))).isTrue();
      }
      assertThat(sink.stats().exported()).as(protocol + " exported").isEqualTo(seen.size());

      List<Long> seqs = List.of();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        seqs = recordsOf(Path.of(file), service);
        if (seqs.size() >= seen.size()) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(seqs).as(protocol + ": every event once, in order")
          .containsExactlyElementsOf(seen.stream().map(StreamEvent::seq).toList());
    }
  }

  /** The {@code tracewire.event.seq} of every record of {@code service} in the collector's file, in file order. */
  private static List<Long> recordsOf(Path file, String service) throws Exception {
    List<Long> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank() || !line.contains(service)) {
        continue;
      }
      JsonNode root;
      try {
        root = JSON.readTree(line);
      } catch (Exception partialLine) {
        continue;
      }
      for (JsonNode rl : root.path("resourceLogs")) {
        if (!service.equals(attr(rl.path("resource").path("attributes"), "service.name"))) {
          continue;
        }
        for (JsonNode sl : rl.path("scopeLogs")) {
          for (JsonNode r : sl.path("logRecords")) {
            String seq = attr(r.path("attributes"), "tracewire.event.seq");
            out.add(Long.parseLong(seq));
          }
        }
      }
    }
    return out;
  }

  private static String attr(JsonNode attrs, String key) {
    for (JsonNode kv : attrs) {
      if (key.equals(kv.path("key").asText())) {
        JsonNode v = kv.path("value");
        return v.has("stringValue") ? v.get("stringValue").asText() : v.path("intValue").asText();
      }
    }
    return null;
  }
}
