package io.tracewire.exporters.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the log sink's transport settings are resolved from the builder, {@code otel.*} properties and {@code OTEL_*} variables. */
class OtlpLogTransportTest {

  private static OtlpLogTransport.Settings resolve(Map<String, String> env, Map<String, String> props, OtlpLogSink.Builder b) {
    return new OtlpLogTransport(env::get, props::get).resolve(b);
  }

  @Test
  void theLogsProtocolVariableWinsOverTheGeneralOneWhenTheBuilderIsSilent() {
    var s = resolve(Map.of("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "grpc", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        Map.of(), OtlpLogSink.builder());
    assertThat(s.protocol()).isEqualTo(OtlpProtocol.GRPC);
    assertThat(s.protocolSource()).isEqualTo("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL");
    assertThat(resolve(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), Map.of(), OtlpLogSink.builder()).protocol())
        .isEqualTo(OtlpProtocol.GRPC);
    assertThat(resolve(Map.of(), Map.of(), OtlpLogSink.builder()).protocol()).isEqualTo(OtlpProtocol.HTTP_PROTOBUF);
  }

  @Test
  void aSystemPropertyWinsOverItsVariableAndTheBuilderOverBoth() {
    var s = resolve(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), Map.of("otel.exporter.otlp.protocol", "http/protobuf"),
        OtlpLogSink.builder());
    assertThat(s.protocol()).isEqualTo(OtlpProtocol.HTTP_PROTOBUF);
    s = resolve(Map.of("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "grpc"), Map.of(),
        OtlpLogSink.builder().protocol(OtlpProtocol.HTTP_PROTOBUF));
    assertThat(s.protocol()).isEqualTo(OtlpProtocol.HTTP_PROTOBUF);
    assertThat(s.protocolSource()).isEqualTo("builder");
  }

  @Test
  void anUnsupportedProtocolFailsTheBuildNamingItsSource() {
    assertThatThrownBy(() -> resolve(Map.of("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "http/json"), Map.of(), OtlpLogSink.builder()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http/json")
        .hasMessageContaining("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL");
  }

  @Test
  void endpointsGetTheLogsPathForHttpOnly() {
    assertThat(resolve(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"), Map.of(), OtlpLogSink.builder())
        .endpoint()).isEqualTo("http://collector:4318/v1/logs");
    assertThat(resolve(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
        Map.of(), OtlpLogSink.builder()).endpoint()).isEqualTo("http://collector:4317");
    assertThat(resolve(Map.of("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "http://c:4318/custom", "OTEL_EXPORTER_OTLP_ENDPOINT",
        "http://other:4318"), Map.of(), OtlpLogSink.builder()).endpoint()).isEqualTo("http://c:4318/custom");
    assertThat(resolve(Map.of(), Map.of(), OtlpLogSink.builder().endpoint("http://c:4318")).endpoint())
        .isEqualTo("http://c:4318/v1/logs");
    assertThat(resolve(Map.of(), Map.of(), OtlpLogSink.builder().endpoint("http://c:4318/my/logs")).endpoint())
        .isEqualTo("http://c:4318/my/logs");
    assertThat(resolve(Map.of(), Map.of(), OtlpLogSink.builder()).endpoint()).isNull();
  }

  @Test
  void headersTimeoutAndCompressionComeFromTheEnvironmentAndTheBuilderWins() {
    var s = resolve(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%20b,tenant=t1", "OTEL_EXPORTER_OTLP_LOGS_TIMEOUT", "2500",
        "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"), Map.of(), OtlpLogSink.builder().header("tenant", "t2"));
    assertThat(s.headers()).isEqualTo(Map.of("api-key", "a b", "tenant", "t2"));
    assertThat(s.timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(s.compression()).isEqualTo("gzip");
    assertThat(resolve(Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "100"), Map.of(),
        OtlpLogSink.builder().exportTimeout(Duration.ofSeconds(3))).timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> resolve(Map.of("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd"), Map.of(), OtlpLogSink.builder()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theChosenProtocolBuildsTheMatchingOtlpExporter() {
    LogRecordExporter http = new OtlpLogTransport(Map.<String, String>of()::get, Map.<String, String>of()::get)
        .create(OtlpLogSink.builder().endpoint("http://127.0.0.1:4318"));
    LogRecordExporter grpc = new OtlpLogTransport(Map.of("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "grpc")::get,
        Map.<String, String>of()::get).create(OtlpLogSink.builder());
    try {
      assertThat(http).isInstanceOf(OtlpHttpLogRecordExporter.class);
      assertThat(http.toString()).contains("http://127.0.0.1:4318/v1/logs");
      assertThat(grpc).isInstanceOf(OtlpGrpcLogRecordExporter.class);
    } finally {
      http.shutdown();
      grpc.shutdown();
    }
  }
}
