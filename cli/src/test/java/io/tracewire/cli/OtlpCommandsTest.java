package io.tracewire.cli;

import static io.tracewire.cli.OtlpReceiver.attr;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracewire.core.event.StreamEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OTLP options of {@code demo} and {@code replay}, against a real OTLP/HTTP receiver on 127.0.0.1. */
class OtlpCommandsTest {
  @TempDir
  Path dir;

  /** A valid log of {@code n} root chain runs, each a start and an end event. */
  static List<StreamEvent> runs(int n) {
    List<StreamEvent> l = new ArrayList<>(2 * n);
    long seq = 1;
    for (int i = 0; i < n; i++) {
      String id = String.format("00000000-0000-4000-8000-%012d", i + 1);
      l.add(LogFixtures.ev(seq++, i, "on_chain_start", "run-" + i, id, List.of(), Map.of("input", "in-" + i)));
      l.add(LogFixtures.ev(seq++, i + 1, "on_chain_end", "run-" + i, id, List.of(), Map.of("output", "out-" + i)));
    }
    return l;
  }

  @Test
  void replayExportsEveryRunOfALogLargerThanTheSdksSpanQueue() throws Exception {
    Path log = LogFixtures.write(dir.resolve("big.jsonl"), runs(5_000));
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      CliTest.Result r = CliTest.run("replay", log.toString(), "--otlp-endpoint", receiver.base() + "/v1/traces");
      assertThat(r.code()).as(r.out() + r.err()).isZero();
      assertThat(receiver.spans).as(r.out()).hasSize(5_000);
      Set<String> names = new HashSet<>();
      receiver.spans.forEach(s -> names.add(s.getName()));
      assertThat(names).hasSize(5_000);
      assertThat(r.out()).contains("replayed 10000 events").contains("spansExported=5000").contains("spansDropped=0");
    }
  }

  @Test
  void replaySendsTheLogsEventsAsLogRecordsAndSpansWithOpenInferenceKinds() throws Exception {
    Path log = LogFixtures.write(dir.resolve("chain.jsonl"), LogFixtures.chain());
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      CliTest.Result r = CliTest.run("replay", log.toString(), "--otlp-endpoint", receiver.base(), "--otlp-logs",
          "--open-inference");
      assertThat(r.code()).as(r.out() + r.err()).isZero();
      List<String> kinds = new ArrayList<>();
      for (Span s : receiver.spans) {
        kinds.add(attr(s.getAttributesList(), "openinference.span.kind"));
      }
      assertThat(kinds).containsExactlyInAnyOrder("AGENT", "LLM", "TOOL");
      // the default log kinds: every event but stream chunks
      assertThat(receiver.logs).extracting(LogRecord::getEventName).contains("tracewire.on_chain_start",
          "gen_ai.client.inference.operation.details", "tracewire.on_tool_error").hasSize(LogFixtures.chain().size() - 4);
      assertThat(r.out()).contains("records").contains("exported=" + (LogFixtures.chain().size() - 4));
    }
  }

  @Test
  void demoSendsLogRecordsAndOpenInferenceSpansWhenAsked() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      CliTest.Result r = CliTest.run("demo", "--delay-ms", "0", "--otlp-endpoint", receiver.base() + "/v1/traces",
          "--otlp-logs", "--open-inference");
      assertThat(r.code()).as(r.out() + r.err()).isZero();
      assertThat(receiver.spans).hasSize(4);
      List<String> kinds = new ArrayList<>();
      for (Span s : receiver.spans) {
        kinds.add(attr(s.getAttributesList(), "openinference.span.kind"));
      }
      assertThat(kinds).containsExactlyInAnyOrder("CHAIN", "PROMPT", "LLM", "CHAIN");
      assertThat(receiver.logs).extracting(LogRecord::getEventName)
          .contains("tracewire.on_chain_start", "gen_ai.client.inference.operation.details", "tracewire.on_chain_end")
          .doesNotContain("tracewire.on_chat_model_stream");
    }
  }

  @Test
  void aGrpcProtocolWithAnHttpTracesUrlIsAUsageErrorThatSaysWhatToChange() {
    CliTest.Result r = CliTest.run("demo", "--delay-ms", "0", "--otlp-protocol", "grpc", "--otlp-endpoint",
        "http://127.0.0.1:4318/v1/traces");
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err()).contains("grpc").contains("http://127.0.0.1:4318").contains("--otlp-protocol http/protobuf");
    r = CliTest.run("replay", dir.resolve("any.jsonl").toString(), "--otlp-protocol", "grpc", "--otlp-endpoint",
        "http://127.0.0.1:4318/v1/traces");
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
  }

  @Test
  void credentialsInAnOtlpEndpointAreAUsageErrorThatDoesNotRepeatThem() {
    for (String endpoint : new String[] {"http://bob:s3cr3t@127.0.0.1:4318/v1/traces",
        "http://127.0.0.1:4318/v1/traces?api_key=s3cr3t", "http ://bad host/?api_key=s3cr3t"}) {
      CliTest.Result r = CliTest.run("demo", "--delay-ms", "0", "--otlp-endpoint", endpoint);
      assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
      assertThat(r.out() + r.err()).as(endpoint).doesNotContain("s3cr3t").contains("--otlp-endpoint");
    }
    CliTest.Result r = CliTest.run("demo", "--delay-ms", "0", "--otlp-endpoint", "http://127.0.0.1:4318/v1/traces?api_key=s3cr3t");
    assertThat(r.err()).contains("http://127.0.0.1:4318/v1/traces?***").contains("header");
  }

  @Test
  void theProtocolChosenByOtelExporterOtlpProtocolAppliesAndItsMismatchIsAUsageError() {
    // the SDK reads otel.* system properties like the OTEL_* variables; the CLI resolves them the same way
    String old = System.setProperty("otel.exporter.otlp.protocol", "grpc");
    try {
      CliTest.Result r = CliTest.run("demo", "--delay-ms", "0", "--otlp-endpoint", "http://127.0.0.1:4318/v1/traces");
      assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
      assertThat(r.err()).contains("OTEL_EXPORTER_OTLP_PROTOCOL").contains("grpc");
    } finally {
      if (old == null) {
        System.clearProperty("otel.exporter.otlp.protocol");
      } else {
        System.setProperty("otel.exporter.otlp.protocol", old);
      }
    }
  }

  @Test
  void helpNamesTheProtocolChoiceAndTheNewSwitches() {
    for (String cmd : new String[] {"demo", "replay"}) {
      CliTest.Result help = CliTest.run(cmd, "--help");
      assertThat(help.code()).isZero();
      assertThat(help.out()).contains("--otlp-protocol").contains("OTEL_EXPORTER_OTLP_PROTOCOL").contains("grpc")
          .contains("--otlp-logs").contains("--open-inference");
    }
  }
}
