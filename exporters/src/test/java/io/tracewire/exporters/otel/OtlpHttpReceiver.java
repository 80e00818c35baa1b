package io.tracewire.exporters.otel;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP receiver inside the test JVM: the JDK's HttpServer on 127.0.0.1 decoding the
 * official {@code ExportTraceServiceRequest} ({@code /v1/traces}) and
 * {@code ExportLogsServiceRequest} ({@code /v1/logs}) protobufs. Optionally holds every request
 * until {@link #release()} (a slow collector). It can listen on a given port, so that a test can
 * stop it and start a new one on the same port (a collector restart).
 * Public for the integration-tests module, which reuses it through this module's test jar.
 */
public final class OtlpHttpReceiver implements AutoCloseable {
  public final List<ResourceSpans> received = new CopyOnWriteArrayList<>();
  public final List<ResourceLogs> receivedLogs = new CopyOnWriteArrayList<>();
  public final List<Map<String, List<String>>> requestHeaders = new CopyOnWriteArrayList<>();
  /** Log export requests that arrived (counted before a slow receiver holds them). */
  final java.util.concurrent.atomic.AtomicInteger logRequests = new java.util.concurrent.atomic.AtomicInteger();
  private final HttpServer server;
  private final CountDownLatch gate;

  public OtlpHttpReceiver(boolean slow) throws IOException {
    this(slow, 0);
  }

  public OtlpHttpReceiver(boolean slow, int port) throws IOException {
    this.gate = new CountDownLatch(slow ? 1 : 0);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/v1/logs", exchange -> {
      try (InputStream raw = exchange.getRequestBody()) {
        logRequests.incrementAndGet();
        gate.await(30, TimeUnit.SECONDS);
        InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
            ? new GZIPInputStream(raw) : raw;
        ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(in.readAllBytes());
        requestHeaders.add(Map.copyOf(exchange.getRequestHeaders()));
        receivedLogs.addAll(request.getResourceLogsList());
        byte[] body = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
          exchange.getResponseBody().write(body);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(503, -1);
      } finally {
        exchange.close();
      }
    });
    server.createContext("/v1/traces", exchange -> {
      try (InputStream raw = exchange.getRequestBody()) {
        gate.await(30, TimeUnit.SECONDS);
        InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
            ? new GZIPInputStream(raw) : raw;
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
        requestHeaders.add(Map.copyOf(exchange.getRequestHeaders()));
        received.addAll(request.getResourceSpansList());
        byte[] body = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
          exchange.getResponseBody().write(body);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(503, -1);
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  /** Base URL without a path, e.g. http://127.0.0.1:43210 */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public void release() {
    gate.countDown();
  }

  public List<Span> spans() {
    return spansOf(received);
  }

  /** The spans of received requests, in order. */
  static List<Span> spansOf(List<ResourceSpans> received) {
    return received.stream().flatMap(rs -> rs.getScopeSpansList().stream()).flatMap(ss -> ss.getSpansList().stream())
        .toList();
  }

  public List<LogRecord> logRecords() {
    return receivedLogs.stream().flatMap(rl -> rl.getScopeLogsList().stream()).flatMap(sl -> sl.getLogRecordsList().stream())
        .toList();
  }

  /** Attributes as plain Java values: String, Long, Double, Boolean, List (arrays), in order. */
  static Map<String, Object> attrs(List<KeyValue> attrs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : attrs) {
      out.put(kv.getKey(), value(kv.getValue()));
    }
    return out;
  }

  static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BOOL_VALUE -> v.getBoolValue();
      case ARRAY_VALUE -> {
        List<Object> l = new ArrayList<>();
        for (AnyValue x : v.getArrayValue().getValuesList()) {
          l.add(value(x));
        }
        yield l;
      }
      case VALUE_NOT_SET -> null;
      default -> v.toString();
    };
  }

  public static String attr(List<KeyValue> attrs, String key) {
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(key)) {
        var v = kv.getValue();
        return switch (v.getValueCase()) {
          case STRING_VALUE -> v.getStringValue();
          case INT_VALUE -> Long.toString(v.getIntValue());
          case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
          case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
          case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(x -> x.getStringValue()).toList().toString();
          default -> v.toString();
        };
      }
    }
    return null;
  }

  @Override
  public void close() {
    gate.countDown();
    server.stop(0);
  }
}
