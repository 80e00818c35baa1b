package io.tracewire.exporters.otel;

import static io.tracewire.exporters.otel.OtlpHttpReceiver.attr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Transport selection of a standalone bridge, each case against real receivers on 127.0.0.1: the
 * SDK's OTLP/gRPC exporter to a grpc-java server, its OTLP/HTTP exporter to the JDK HttpServer,
 * chosen by the builder or by the standard {@code otel.exporter.otlp.(traces.)protocol} settings.
 */
class OtlpProtocolTest {
  private static final String PROTOCOL = "otel.exporter.otlp.protocol";
  private static final String TRACES_PROTOCOL = "otel.exporter.otlp.traces.protocol";

  @AfterEach
  void clearProperties() {
    System.clearProperty(PROTOCOL);
    System.clearProperty(TRACES_PROTOCOL);
  }

  private static OtelBridge.Builder standalone(String endpoint) {
    return OtelBridge.builder().endpoint(endpoint).serviceName("grpc-test").scheduleDelay(Duration.ofMillis(50))
        .shutdownHook(false);
  }

  @Test
  void builderGrpcDeliversTheSpanTreeToAGrpcReceiver() throws Exception {
    try (OtlpGrpcReceiver receiver = new OtlpGrpcReceiver();
        OtelBridge bridge = standalone(receiver.endpoint()).protocol(OtlpProtocol.GRPC)
            .header("Authorization", "Bearer a b,c=d").build()) {
      assertThat(OtlpExportTest.run(bridge)).isEqualTo("hi there");
      assertThat(bridge.flush(Duration.ofSeconds(10))).isTrue();

      OtlpExportTest.assertChainTree(receiver.spans());
      ResourceSpans rs = receiver.received.get(0);
      assertThat(attr(rs.getResource().getAttributesList(), "service.name")).isEqualTo("grpc-test");
      assertThat(rs.getScopeSpans(0).getScope().getName()).isEqualTo(OtelBridge.INSTRUMENTATION_SCOPE);
      assertThat(receiver.firstHeader("content-type")).isEqualTo("application/grpc");
      assertThat(receiver.firstHeader("authorization")).isEqualTo("Bearer a b,c=d");
      ExportStats stats = bridge.stats();
      assertThat(stats.spansExported()).isEqualTo(4);
      assertThat(stats.spansFailed()).isZero();
    }
  }

  /** A bridge whose builder sets no protocol, pointed at a gRPC receiver, delivers all spans there. */
  private static void deliversOverGrpcWithoutABuilderProtocol() throws Exception {
    try (OtlpGrpcReceiver receiver = new OtlpGrpcReceiver();
        OtelBridge bridge = standalone(receiver.endpoint()).build()) {
      OtlpExportTest.run(bridge);
      assertThat(bridge.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(receiver.spans()).hasSize(4);
      assertThat(bridge.stats().spansExported()).isEqualTo(4);
    }
  }

  @Test
  void otelExporterOtlpProtocolGrpcSelectsGrpcWhenTheBuilderSetsNone() throws Exception {
    System.setProperty(PROTOCOL, "grpc");
    deliversOverGrpcWithoutABuilderProtocol();
  }

  @Test
  void tracesProtocolWinsOverTheGeneralOne() throws Exception {
    System.setProperty(PROTOCOL, "http/protobuf");
    System.setProperty(TRACES_PROTOCOL, "grpc");
    deliversOverGrpcWithoutABuilderProtocol();
  }

  @Test
  void builderProtocolWinsOverTheOtelSetting() throws Exception {
    System.setProperty(TRACES_PROTOCOL, "grpc");
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(false);
        OtelBridge bridge = standalone(receiver.baseUrl()).protocol(OtlpProtocol.HTTP_PROTOBUF).build()) {
      OtlpExportTest.run(bridge);
      assertThat(bridge.flush(Duration.ofSeconds(10))).isTrue();
      // an endpoint without a path got /v1/traces, as for any http/protobuf endpoint
      assertThat(receiver.spans()).hasSize(4);
    }
  }

  @Test
  void httpProtobufGoesThroughTheJdkSenderWithoutAMultipleProvidersWarning() throws Exception {
    List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
          warnings.add(r);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger senderLog = Logger.getLogger("io.opentelemetry.exporter.internal.SenderUtil");
    senderLog.addHandler(capture);
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(false);
        OtelBridge bridge = standalone(receiver.baseUrl()).build()) {
      OtlpExportTest.run(bridge);
      assertThat(bridge.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(receiver.spans()).hasSize(4);
      // the JDK HttpClient offers an h2c upgrade on cleartext; OkHttp's sender never does
      assertThat(receiver.requestHeaders.get(0).get("Upgrade")).containsExactly("h2c");
    } finally {
      senderLog.removeHandler(capture);
    }
    assertThat(warnings).extracting(LogRecord::getMessage).noneMatch(m -> m.contains("Multiple"));
  }

  @Test
  void aGrpcEndpointWithAPathIsRejectedAtBuild() {
    assertThatThrownBy(() -> OtelBridge.builder().protocol(OtlpProtocol.GRPC).endpoint("http://127.0.0.1:4317/v1/traces")
        .shutdownHook(false).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no path");
  }

  @Test
  void aPathOnTheEndpointIsRejectedWhenTheEnvironmentChoosesGrpc() {
    System.setProperty(PROTOCOL, "grpc");
    assertThatThrownBy(() -> standalone("http://127.0.0.1:4317/v1/traces").build())
        .hasMessageContaining("must not have a path");
  }

  @Test
  void otelNamesMapToTransports() {
    assertThat(OtlpProtocol.configured("grpc")).isEqualTo(OtlpProtocol.GRPC);
    assertThat(OtlpProtocol.configured("http/protobuf")).isEqualTo(OtlpProtocol.HTTP_PROTOBUF);
    assertThat(OtlpProtocol.configured(null)).isEqualTo(OtlpProtocol.HTTP_PROTOBUF);
    assertThat(OtlpProtocol.GRPC.otelName()).isEqualTo("grpc");
  }
}
