package io.tracewire.exporters.otel;

import static io.tracewire.exporters.otel.OtlpHttpReceiver.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.tracewire.core.RunConfig;
import io.tracewire.core.Tracewire;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The log sink over OTLP/gRPC (the module's OkHttp gRPC sender) against a real
 * grpc-java receiver; the transport chosen by the builder, and by {@code otel.exporter.otlp.logs.protocol}
 * when the builder leaves it open.
 */
class OtlpLogGrpcTest {

  private static void runChain(OtlpLogSink sink, List<StreamEvent> seen) {
    RunListener recorder = seen::add;
    try (Tracewire tw = Tracewire.builder().listener(recorder)
        .sink(sink, SinkConfig.named("otlp-logs").withPolicy(OverflowPolicy.BLOCK)).install()) {
      assertThat(OtlpLogSinkTest.chain().invoke(Map.of("question", "q"), RunConfig.builder().tags("grpc").build()))
          .isEqualTo("hi there / sunny in Oslo");
      assertThat(tw.flush(Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  void grpcChosenByTheBuilderDeliversEveryEventOnce() throws Exception {
    try (OtlpGrpcReceiver receiver = new OtlpGrpcReceiver()) {
      OtlpLogSink sink = OtlpLogSink.builder().protocol(OtlpProtocol.GRPC).endpoint(receiver.endpoint())
          .header("Authorization", "Bearer g").build();
      List<StreamEvent> seen = new CopyOnWriteArrayList<>();
      runChain(sink, seen);
      List<LogRecord> records = receiver.logRecords();
      assertThat(records).hasSize(13).hasSize(seen.size());
      assertThat(records.stream().map(r -> attrs(r.getAttributesList()).get("tracewire.event.seq")))
          .containsExactlyElementsOf(seen.stream().map(e -> (Object) e.seq()).toList());
      assertThat(records).extracting(LogRecord::getEventName).contains("gen_ai.client.inference.operation.details",
          "tracewire.on_custom_event", "tracewire.on_tool_end");
      assertThat(receiver.authorization).isNotEmpty().allMatch("Bearer g"::equals);
      assertThat(sink.stats()).isEqualTo(new OtlpLogStats(13, 13, 13, 0, 0, sink.stats().exportCalls(), 0, 0));
    }
  }

  @Test
  void grpcChosenByTheLogsProtocolPropertyWhenTheBuilderIsSilent() throws Exception {
    try (OtlpGrpcReceiver receiver = new OtlpGrpcReceiver()) {
      System.setProperty("otel.exporter.otlp.logs.protocol", "grpc");
      System.setProperty("otel.exporter.otlp.protocol", "http/protobuf");
      System.setProperty("otel.exporter.otlp.logs.endpoint", receiver.endpoint());
      OtlpLogSink sink;
      try {
        sink = OtlpLogSink.builder().build();
      } finally {
        System.clearProperty("otel.exporter.otlp.logs.protocol");
        System.clearProperty("otel.exporter.otlp.protocol");
        System.clearProperty("otel.exporter.otlp.logs.endpoint");
      }
      List<StreamEvent> seen = new CopyOnWriteArrayList<>();
      runChain(sink, seen);
      assertThat(receiver.logRecords()).hasSize(13);
      assertThat(sink.stats().exported()).isEqualTo(13);
    }
  }
}
