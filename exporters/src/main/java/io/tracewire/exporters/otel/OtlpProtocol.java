package io.tracewire.exporters.otel;

/** The OTLP transport of a standalone bridge. */
public enum OtlpProtocol {
  /** OTLP over HTTP with protobuf bodies ({@code POST /v1/traces}, port 4318): the default. */
  HTTP_PROTOBUF("http/protobuf"),
  /**
   * OTLP over gRPC (port 4317). Needs a gRPC sender on the class path, e.g.
   * {@code io.opentelemetry:opentelemetry-exporter-sender-okhttp}.
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
}
