package io.tracewire.exporters.otel;

/**
 * The OTLP transport of a standalone bridge ({@link OtelBridge.Builder#protocol}); when the builder
 * sets none, {@code OTEL_EXPORTER_OTLP_TRACES_PROTOCOL} / {@code OTEL_EXPORTER_OTLP_PROTOCOL} (or the
 * {@code otel.exporter.otlp.*} system properties) choose, and http/protobuf is the default.
 */
public enum OtlpProtocol {
  /** OTLP over HTTP with protobuf bodies ({@code POST /v1/traces}, port 4318): the default. */
  HTTP_PROTOBUF("http/protobuf"),
  /**
   * OTLP over gRPC ({@code opentelemetry.proto.collector.trace.v1.TraceService/Export}, port 4317),
   * through the SDK's OkHttp sender ({@code opentelemetry-exporter-sender-okhttp}, a dependency of
   * the exporters module).
   */
  GRPC("grpc");

  private final String otelName;

  OtlpProtocol(String otelName) {
    this.otelName = otelName;
  }

  /** The value of {@code OTEL_EXPORTER_OTLP_PROTOCOL} for this transport. */
  public String otelName() {
    return otelName;
  }

  /**
   * The transport an {@code OTEL_EXPORTER_OTLP_PROTOCOL} value names: {@link #GRPC} for
   * {@code grpc}, {@link #HTTP_PROTOBUF} otherwise (the default; the SDK rejects unknown values).
   */
  static OtlpProtocol configured(String otelName) {
    return GRPC.otelName.equals(otelName) ? GRPC : HTTP_PROTOBUF;
  }
}
