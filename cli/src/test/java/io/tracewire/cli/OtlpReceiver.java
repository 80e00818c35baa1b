package io.tracewire.cli;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real OTLP/HTTP receiver on 127.0.0.1 for the CLI tests: the JDK's HTTP server decoding
 * {@code POST /v1/traces} and {@code POST /v1/logs} with the official opentelemetry-proto classes.
 */
final class OtlpReceiver implements AutoCloseable {
  final List<Span> spans = new CopyOnWriteArrayList<>();
  final List<LogRecord> logs = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", ex -> {
      ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(ex.getRequestBody().readAllBytes());
      for (ResourceSpans rs : req.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          spans.addAll(ss.getSpansList());
        }
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.createContext("/v1/logs", ex -> {
      ExportLogsServiceRequest req = ExportLogsServiceRequest.parseFrom(ex.getRequestBody().readAllBytes());
      for (ResourceLogs rl : req.getResourceLogsList()) {
        for (ScopeLogs sl : rl.getScopeLogsList()) {
          logs.addAll(sl.getLogRecordsList());
        }
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
  }

  /** {@code http://127.0.0.1:<port>}, without a path. */
  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  static String attr(List<KeyValue> attrs, String key) {
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(key)) {
        var v = kv.getValue();
        return v.hasStringValue() ? v.getStringValue() : v.toString().trim();
      }
    }
    return null;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
