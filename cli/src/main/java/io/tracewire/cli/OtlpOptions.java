package io.tracewire.cli;

import io.tracewire.exporters.otel.OtelBridge;
import io.tracewire.exporters.otel.OtlpEndpoints;
import io.tracewire.exporters.otel.OtlpLogSink;
import io.tracewire.exporters.otel.OtlpProtocol;
import java.net.URI;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The OTLP options {@code demo} and {@code replay} share (a picocli mixin): the transport, OTLP log
 * records, OpenInference attributes. Resolves the transport once, from the option or the
 * {@code OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL} settings, and rejects an endpoint that does not fit
 * it as a usage error. Used on the command's thread only.
 */
final class OtlpOptions {
  static final String PROTOCOL_HELP = "The OTLP transport: http/protobuf (OTLP/HTTP, port 4318; the endpoint is the "
      + "traces URL, e.g. http://127.0.0.1:4318/v1/traces) or grpc (OTLP/gRPC, port 4317; the endpoint has no path, "
      + "e.g. http://127.0.0.1:4317). Default: OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, then OTEL_EXPORTER_OTLP_PROTOCOL "
      + "(or their otel.* system properties), else http/protobuf.";

  @Option(names = "--otlp-protocol", paramLabel = "PROTOCOL", description = PROTOCOL_HELP)
  String protocol;

  @Option(names = "--otlp-logs", description = "Also send the events (all but stream chunks) as OTLP log records to "
      + "the same collector, over the same transport (/v1/logs for http/protobuf), linked to their spans.")
  boolean logs;

  @Option(names = "--open-inference", description = "Also put OpenInference attributes on the spans "
      + "(openinference.span.kind, llm.*, tool.name), which Arize Phoenix needs to show span kinds.")
  boolean openInference;

  /** Where OTEL_* settings are read: system properties first, then the environment (as the SDK does). */
  Function<String, String> settings = key -> {
    String v = System.getProperty(key.toLowerCase(Locale.ROOT).replace('_', '.'));
    return v != null && !v.isBlank() ? v.trim() : System.getenv(key);
  };

  /** The transport that applies and where it was chosen. */
  record Transport(OtlpProtocol protocol, String source) {}

  /**
   * The transport for {@code endpoint}, checked against it.
   *
   * @throws CommandLine.ParameterException for an unknown protocol, or an endpoint that does not fit it
   */
  Transport transport(CommandLine cl, String endpointOption, String endpoint) {
    String value = protocol;
    String source = "--otlp-protocol";
    for (String key : new String[] {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"}) {
      if (value == null || value.isBlank()) {
        value = settings.apply(key);
        source = key;
      }
    }
    OtlpProtocol p;
    if (value == null || value.isBlank()) {
      p = OtlpProtocol.HTTP_PROTOBUF;
      source = "the default";
    } else if (value.trim().equals(OtlpProtocol.GRPC.otelName())) {
      p = OtlpProtocol.GRPC;
    } else if (value.trim().equals(OtlpProtocol.HTTP_PROTOBUF.otelName())) {
      p = OtlpProtocol.HTTP_PROTOBUF;
    } else {
      throw new CommandLine.ParameterException(cl, "unsupported OTLP protocol '" + value + "' from " + source
          + ": use http/protobuf or grpc");
    }
    URI uri;
    try {
      uri = URI.create(OtlpEndpoints.check(endpoint, endpointOption));
    } catch (IllegalArgumentException e) {
      // the check's message shows the endpoint redacted (no user info, no query)
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    String path = uri.getPath();
    if (p == OtlpProtocol.GRPC && path != null && !path.isEmpty() && !path.equals("/")) {
      String port = uri.getPort() == 4318 ? "4317" : uri.getPort() < 0 ? "4317" : Integer.toString(uri.getPort());
      throw new CommandLine.ParameterException(cl, endpointOption + " " + OtlpEndpoints.redact(endpoint) + " has a path, but the OTLP "
          + "protocol is grpc (from " + source + "), whose endpoint has none: use e.g. " + uri.getScheme() + "://"
          + uri.getHost() + ":" + port + ", or --otlp-protocol http/protobuf to send OTLP/HTTP to this URL");
    }
    return new Transport(p, source);
  }

  /** Checks that the switches that need an OTLP endpoint have one. */
  void requireEndpointFor(CommandLine cl, String endpoint) {
    if (endpoint == null && (logs || openInference || protocol != null)) {
      throw new CommandLine.ParameterException(cl, (logs ? "--otlp-logs" : openInference ? "--open-inference"
          : "--otlp-protocol") + " needs --otlp-endpoint");
    }
  }

  /** The bridge's builder for this endpoint and transport, with OpenInference when asked. */
  OtelBridge.Builder bridge(String endpoint, Transport t) {
    return OtelBridge.builder().endpoint(endpoint).protocol(t.protocol()).openInference(openInference);
  }

  /** The log sink for the traces endpoint's collector, or {@code null} without {@code --otlp-logs}. */
  OtlpLogSink logSink(String endpoint, Transport t, OtelBridge bridge, String serviceName,
      java.util.Map<String, String> headers) {
    if (!logs) {
      return null;
    }
    OtlpLogSink.Builder b = OtlpLogSink.builder().endpoint(logsEndpoint(endpoint, t.protocol())).protocol(t.protocol())
        .serviceName(serviceName).bridge(bridge);
    if (headers != null) {
      headers.forEach(b::header);
    }
    return b.build();
  }

  /** The collector's logs endpoint: gRPC's is the traces one; for OTLP/HTTP {@code /v1/traces} becomes {@code /v1/logs}. */
  static String logsEndpoint(String tracesEndpoint, OtlpProtocol p) {
    if (p == OtlpProtocol.GRPC) {
      return tracesEndpoint;
    }
    String trimmed = tracesEndpoint.replaceAll("/+$", "");
    if (trimmed.endsWith("/v1/traces")) {
      return trimmed.substring(0, trimmed.length() - "/v1/traces".length()) + "/v1/logs";
    }
    URI uri = URI.create(trimmed);
    return uri.getPath() == null || uri.getPath().isEmpty() ? trimmed : uri.getScheme() + "://" + uri.getRawAuthority();
  }
}
