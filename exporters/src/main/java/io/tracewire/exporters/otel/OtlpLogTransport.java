package io.tracewire.exporters.otel;

import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporterBuilder;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the OTLP log record exporter of an {@link OtlpLogSink}. Precedence for each setting:
 * the sink's builder, then the logs-specific {@code otel.exporter.otlp.logs.*} system property
 * or {@code OTEL_EXPORTER_OTLP_LOGS_*} variable, then the general {@code otel.exporter.otlp.*} /
 * {@code OTEL_EXPORTER_OTLP_*} one (a system property wins over the variable of the same name),
 * then the OTLP defaults (http/protobuf to {@code http://localhost:4318/v1/logs}, gRPC to
 * {@code http://localhost:4317}, 10 s timeout, no compression). Used at build time only.
 */
final class OtlpLogTransport {
  static final String LOGS_PATH = "/v1/logs";

  /** Resolved settings; {@code endpoint} is {@code null} for the exporter's default. */
  record Settings(OtlpProtocol protocol, String protocolSource, String endpoint, Map<String, String> headers,
      Duration timeout, String compression) {}

  private final Function<String, String> env;
  private final Function<String, String> properties;

  OtlpLogTransport(Function<String, String> env, Function<String, String> properties) {
    this.env = env;
    this.properties = properties;
  }

  static OtlpLogTransport system() {
    return new OtlpLogTransport(System::getenv, System::getProperty);
  }

  /** The value of {@code otel.<key>} as a system property, else of {@code OTEL_<KEY>} in the environment. */
  String config(String key) {
    String v = properties.apply("otel." + key);
    if (v == null || v.isBlank()) {
      v = env.apply("OTEL_" + key.replace('.', '_').toUpperCase(Locale.ROOT));
    }
    return v == null || v.isBlank() ? null : v.trim();
  }

  private String logsOrGeneral(String setting) {
    String v = config("exporter.otlp.logs." + setting);
    return v != null ? v : config("exporter.otlp." + setting);
  }

  Settings resolve(OtlpLogSink.Builder b) {
    OtlpProtocol protocol = b.protocol;
    String source = "builder";
    if (protocol == null) {
      String v = config("exporter.otlp.logs.protocol");
      source = "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL";
      if (v == null) {
        v = config("exporter.otlp.protocol");
        source = "OTEL_EXPORTER_OTLP_PROTOCOL";
      }
      if (v == null) {
        protocol = OtlpProtocol.HTTP_PROTOBUF;
        source = "default";
      } else {
        protocol = parseProtocol(v, source);
      }
    }
    String endpoint;
    if (b.endpoint != null) {
      endpoint = protocol == OtlpProtocol.GRPC ? b.endpoint : withLogsPath(b.endpoint);
    } else if (config("exporter.otlp.logs.endpoint") != null) {
      endpoint = OtlpEndpoints.check(config("exporter.otlp.logs.endpoint"),
          "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT (otel.exporter.otlp.logs.endpoint)");
    } else if (config("exporter.otlp.endpoint") != null) {
      String base = OtlpEndpoints.check(config("exporter.otlp.endpoint"),
          "OTEL_EXPORTER_OTLP_ENDPOINT (otel.exporter.otlp.endpoint)");
      endpoint = protocol == OtlpProtocol.GRPC ? base : base.replaceAll("/+$", "") + LOGS_PATH;
    } else {
      endpoint = null;
    }
    Map<String, String> headers = new LinkedHashMap<>(parseHeaders(logsOrGeneral("headers")));
    headers.putAll(b.headers);
    Duration timeout = b.exportTimeout;
    if (timeout == null) {
      String t = logsOrGeneral("timeout");
      timeout = t == null ? null : Duration.ofMillis(parseMillis(t));
    }
    String compression = logsOrGeneral("compression");
    if (compression != null && !compression.equals("gzip") && !compression.equals("none")) {
      throw new IllegalArgumentException("unsupported OTLP compression '" + compression + "' (use gzip or none)");
    }
    return new Settings(protocol, source, endpoint, Map.copyOf(headers), timeout, compression);
  }

  LogRecordExporter create(OtlpLogSink.Builder b) {
    Settings s = resolve(b);
    if (s.protocol() == OtlpProtocol.GRPC) {
      OtlpGrpcLogRecordExporterBuilder g = OtlpGrpcLogRecordExporter.builder().setComponentLoader(JdkHttpSenderFirst.create());
      if (s.endpoint() != null) {
        g.setEndpoint(s.endpoint());
      }
      s.headers().forEach(g::addHeader);
      if (s.timeout() != null) {
        g.setTimeout(s.timeout());
      }
      if (s.compression() != null) {
        g.setCompression(s.compression());
      }
      if (b.retryPolicySet) {
        g.setRetryPolicy(b.retryPolicy);
      }
      return g.build();
    }
    // OkHttp's sender is there for gRPC: keep OTLP/HTTP on the JDK one
    OtlpHttpLogRecordExporterBuilder h = OtlpHttpLogRecordExporter.builder().setComponentLoader(JdkHttpSenderFirst.create());
    if (s.endpoint() != null) {
      h.setEndpoint(s.endpoint());
    }
    s.headers().forEach(h::addHeader);
    if (s.timeout() != null) {
      h.setTimeout(s.timeout());
    }
    if (s.compression() != null) {
      h.setCompression(s.compression());
    }
    if (b.retryPolicySet) {
      h.setRetryPolicy(b.retryPolicy);
    }
    return h.build();
  }

  static OtlpProtocol parseProtocol(String value, String source) {
    for (OtlpProtocol p : OtlpProtocol.values()) {
      if (p.otelName().equals(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unsupported OTLP protocol '" + value + "' from " + source
        + " (the log sink supports http/protobuf and grpc)");
  }

  /** For http/protobuf a base URL without a path gets {@code /v1/logs}. */
  static String withLogsPath(String endpoint) {
    String path = URI.create(endpoint).getPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return endpoint.replaceAll("/+$", "") + LOGS_PATH;
    }
    return endpoint;
  }

  /** {@code key=value,key2=value2} with URL-encoded values, as OTEL_EXPORTER_OTLP_HEADERS. */
  static Map<String, String> parseHeaders(String spec) {
    Map<String, String> out = new LinkedHashMap<>();
    if (spec == null) {
      return out;
    }
    for (String part : spec.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = part.substring(0, eq).trim();
      String value = URLDecoder.decode(part.substring(eq + 1).trim(), StandardCharsets.UTF_8);
      if (!key.isEmpty()) {
        out.put(key, value);
      }
    }
    return out;
  }

  private static long parseMillis(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("OTLP timeout must be a number of milliseconds, got '" + v + "'", e);
    }
  }
}
