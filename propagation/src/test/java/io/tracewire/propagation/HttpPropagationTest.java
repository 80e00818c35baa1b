package io.tracewire.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.core.RemoteParent;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.exporters.otel.OtelBridge;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both sides in one JVM over real HTTP: OkHttp and the JDK client inject, the JDK HttpServer
 * filter and a servlet filter in an embedded Tomcat extract. The OtelBridge on both sides shows
 * that the callee's root span is a child of the caller's run span.
 */
class HttpPropagationTest {
  @TempDir
  Path tmp;

  private final TracewirePropagation client = TracewirePropagation.create();
  private final TracewirePropagation server = TracewirePropagation.create();
  private final List<StreamEvent> clientEvents = new CopyOnWriteArrayList<>();
  private final List<StreamEvent> serverEvents = new CopyOnWriteArrayList<>();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private OpenTelemetrySdk sdk;
  private OtelBridge bridge;
  private HttpServer jdkServer;
  private Tomcat tomcat;

  /** The callee's work: a chain "handler" with a child "step", run inside the request. */
  private String handle() {
    Runnable<String, String> step = RunnableLambda.of("step", (String x) -> x.toUpperCase(java.util.Locale.ROOT));
    Runnable<String, String> handler = RunnableLambda.of("handler", (String x) -> step.invoke(x));
    return handler.invoke("pong", RunConfig.builder().listener(bridge).listener(serverEvents::add).build());
  }

  @BeforeEach
  void start() throws Exception {
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    bridge = OtelBridge.builder().openTelemetry(sdk).build();
    jdkServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jdkServer.createContext("/run", exchange -> {
      byte[] body = handle().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    }).getFilters().add(TracingHttpServerFilter.create(server));
    jdkServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    jdkServer.stop(0);
    if (tomcat != null) {
      tomcat.stop();
      tomcat.destroy();
    }
    bridge.close();
    sdk.close();
  }

  private URI jdkUri() {
    return URI.create("http://127.0.0.1:" + jdkServer.getAddress().getPort() + "/run");
  }

  /** Runs chain "client" whose child "call" makes the request; returns the response body. */
  private String callFromAChain(Function<String, String> call) {
    Runnable<String, String> callRun = RunnableLambda.of("call", call::apply);
    Runnable<String, String> root = RunnableLambda.of("client", (String x) -> callRun.invoke(x));
    return root.invoke("ping", RunConfig.builder().listener(bridge).listener(clientEvents::add).build());
  }

  private static String okhttp(OkHttpClient http, URI uri) {
    try (okhttp3.Response r = http.newCall(new Request.Builder().url(uri.toString()).build()).execute()) {
      return r.body().string();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String jdk(HttpClient http, URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every callee event names the caller's exact chain; only the callee's root carries the marker. */
  private void assertOneTree() {
    assertThat(clientEvents).extracting(StreamEvent::name).containsExactly("client", "call", "call", "client");
    String clientId = clientEvents.get(0).runId();
    String callId = clientEvents.get(1).runId();
    assertThat(serverEvents).extracting(e -> e.event() + " " + e.name())
        .containsExactly("on_chain_start handler", "on_chain_start step", "on_chain_end step", "on_chain_end handler");
    String handlerId = serverEvents.get(0).runId();
    for (StreamEvent e : serverEvents) {
      List<String> expected = new ArrayList<>(List.of(clientId, callId));
      if (e.name().equals("step")) {
        expected.add(handlerId);
      }
      assertThat(e.parentIds()).as(e.event() + " " + e.name()).isEqualTo(expected);
      if (e.name().equals("handler")) {
        assertThat(e.metadata()).containsEntry(RemoteParent.METADATA_KEY, callId);
      } else {
        assertThat(e.metadata()).doesNotContainKey(RemoteParent.METADATA_KEY);
      }
    }
    SpanData call = span("call");
    SpanData handler = span("handler");
    assertThat(handler.getTraceId()).isEqualTo(call.getTraceId());
    assertThat(handler.getParentSpanId()).isEqualTo(call.getSpanId());
    assertThat(handler.getParentSpanContext().isRemote()).isTrue();
    assertThat(span("step").getParentSpanId()).isEqualTo(handler.getSpanId());
    assertThat(server.stats().remoteParents()).isEqualTo(1);
    assertThat(server.stats().rejected()).isZero();
  }

  private SpanData span(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void okHttpToTheJdkServerMakesOneTreeAndOneTrace() {
    OkHttpClient http = new OkHttpClient.Builder().addInterceptor(TracingInterceptor.create(client)).build();
    try {
      assertThat(callFromAChain(x -> okhttp(http, jdkUri()))).isEqualTo("PONG");
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
    assertOneTree();
    assertThat(client.stats().injected()).isEqualTo(1);
  }

  @Test
  void theJdkClientToTheJdkServerMakesOneTreeAndOneTrace() {
    HttpClient http = TracingHttpClient.wrap(HttpClient.newHttpClient(), client);
    assertThat(callFromAChain(x -> jdk(http, jdkUri()))).isEqualTo("PONG");
    assertOneTree();
  }

  @Test
  void theJdkClientsSendAsyncCarriesTheCallersRunAlthoughTheResponseArrivesOnAnotherThread() {
    HttpClient http = TracingHttpClient.wrap(HttpClient.newHttpClient(), client);
    String body = callFromAChain(x -> http.sendAsync(HttpRequest.newBuilder(jdkUri()).build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(HttpResponse::body).join());
    assertThat(body).isEqualTo("PONG");
    assertOneTree();
  }

  @Test
  void theJdkClientToAServletInTomcatMakesOneTreeAndOneTrace() throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(tmp.toString());
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    org.apache.catalina.Context ctx = tomcat.addContext("", tmp.toString());
    Tomcat.addServlet(ctx, "run", new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.getWriter().write(handle());
      }
    });
    ctx.addServletMappingDecoded("/run", "run");
    FilterDef def = new FilterDef();
    def.setFilterName("tracewire");
    def.setFilter(new TracingServletFilter(server));
    ctx.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName("tracewire");
    map.addURLPattern("/*");
    ctx.addFilterMap(map);
    tomcat.start();
    URI uri = URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/run");

    HttpClient http = TracingHttpClient.wrap(HttpClient.newHttpClient(), client);
    assertThat(callFromAChain(x -> jdk(http, uri))).isEqualTo("PONG");
    assertOneTree();
  }

  @Test
  void withoutTheServerFilterTheCalleesRunsAreASeparateTree() throws Exception {
    HttpServer bare = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    bare.createContext("/run", exchange -> {
      byte[] body = handle().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    bare.start();
    try {
      HttpClient http = TracingHttpClient.wrap(HttpClient.newHttpClient(), client);
      callFromAChain(x -> jdk(http, URI.create("http://127.0.0.1:" + bare.getAddress().getPort() + "/run")));
    } finally {
      bare.stop(0);
    }
    assertThat(serverEvents.get(0).parentIds()).isEmpty();
  }

  @Test
  void hostileHeadersOverRealHttpAreIgnoredCountedAndTheRequestSucceeds() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String[][] cases = {
        {"traceparent", "ff-" + "f".repeat(32) + "-" + "f".repeat(16) + "-01"},
        {"traceparent", "00-" + "a".repeat(32) + "-" + "b".repeat(16) + "-01-" + "x".repeat(5000)},
        {"baggage", "tracewire.run_path=../../etc/passwd"},
        {"baggage", "tracewire.run_path=" + "x".repeat(9000)},
        {"tracestate", "k=" + "v".repeat(1000)},
    };
    for (String[] c : cases) {
      HttpRequest.Builder b = HttpRequest.newBuilder(jdkUri()).header(c[0], c[1]);
      if (c[0].equals("tracestate")) {
        b.header("traceparent", "00-" + "a".repeat(32) + "-" + "b".repeat(16) + "-01");
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(c[0]).isEqualTo(200);
      assertThat(r.body()).isEqualTo("PONG");
    }
    PropagationStats s = server.stats();
    assertThat(s.rejectedTraceparent()).isEqualTo(2);
    assertThat(s.rejectedRunPath()).isEqualTo(1);
    assertThat(s.rejectedBaggage()).isEqualTo(1);
    assertThat(s.rejectedTracestate()).isEqualTo(1);
    assertThat(s.remoteParents()).isZero();
    assertThat(serverEvents).filteredOn(e -> e.name().equals("handler"))
        .allSatisfy(e -> assertThat(e.parentIds()).isEmpty());
  }

  @Test
  void theJdkClientWrapperOverridesEveryAbstractMethodOfHttpClient() {
    List<String> missing = new ArrayList<>();
    for (Method m : HttpClient.class.getDeclaredMethods()) {
      if (!Modifier.isAbstract(m.getModifiers()) && !m.getName().equals("newWebSocketBuilder")) {
        continue;
      }
      try {
        TracingHttpClient.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
      } catch (NoSuchMethodException e) {
        missing.add(m.toString());
      }
    }
    assertThat(missing).isEmpty();
  }
}
