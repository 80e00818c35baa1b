package io.tracewire.exporters.otel;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real OTLP/gRPC receiver inside the test JVM: grpc-java's Netty server on 127.0.0.1
 * (plaintext HTTP/2) serving the official {@code opentelemetry.proto.collector.trace.v1.TraceService}
 * and {@code opentelemetry.proto.collector.logs.v1.LogsService} from the opentelemetry-proto
 * artifact. Records what arrives and the metadata (request headers) of every call.
 */
final class OtlpGrpcReceiver implements AutoCloseable {
  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  final List<ResourceSpans> received = new CopyOnWriteArrayList<>();
  final List<ResourceLogs> receivedLogs = new CopyOnWriteArrayList<>();
  final List<Metadata> requestHeaders = new CopyOnWriteArrayList<>();
  final List<String> authorization = new CopyOnWriteArrayList<>();
  private final Server server;

  OtlpGrpcReceiver() throws IOException {
    TraceServiceGrpc.TraceServiceImplBase traces = new TraceServiceGrpc.TraceServiceImplBase() {
      @Override
      public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
        received.addAll(request.getResourceSpansList());
        reply(response, ExportTraceServiceResponse.getDefaultInstance());
      }
    };
    LogsServiceGrpc.LogsServiceImplBase logs = new LogsServiceGrpc.LogsServiceImplBase() {
      @Override
      public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> response) {
        receivedLogs.addAll(request.getResourceLogsList());
        reply(response, ExportLogsServiceResponse.getDefaultInstance());
      }
    };
    ServerInterceptor headers = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata md, ServerCallHandler<Q, R> next) {
        requestHeaders.add(md);
        String auth = md.get(AUTHORIZATION);
        if (auth != null) {
          authorization.add(auth);
        }
        return next.startCall(call, md);
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(ServerInterceptors.intercept(traces, headers))
        .addService(ServerInterceptors.intercept(logs, headers))
        .build()
        .start();
  }

  /** Answers a unary call with {@code value} (success: the request is taken whole). */
  private static <R> void reply(StreamObserver<R> response, R value) {
    response.onNext(value);
    response.onCompleted();
  }

  /** The endpoint, e.g. http://127.0.0.1:43210 (gRPC endpoints have no path). */
  String endpoint() {
    return "http://127.0.0.1:" + server.getPort();
  }

  List<Span> spans() {
    return OtlpHttpReceiver.spansOf(received);
  }

  List<LogRecord> logRecords() {
    return receivedLogs.stream().flatMap(rl -> rl.getScopeLogsList().stream()).flatMap(sl -> sl.getLogRecordsList().stream())
        .toList();
  }

  /** The value of a request header of the first call, or null. */
  String firstHeader(String name) {
    return requestHeaders.isEmpty() ? null
        : requestHeaders.get(0).get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
