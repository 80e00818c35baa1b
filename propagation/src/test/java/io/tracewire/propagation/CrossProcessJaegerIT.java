package io.tracewire.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.SpanContext;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.exporters.otel.OtelBridge;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two JVMs, one Jaeger trace: this JVM runs chain "caller" whose child "call" calls process B
 * ({@link JaegerServiceMain}) with OkHttp; both export through their own OtelBridge as two
 * services. Jaeger must hold one trace with both services' spans, B's root span a child of A's
 * "call" span. Needs {@code TRACEWIRE_JAEGER_OTLP_ENDPOINT} and {@code TRACEWIRE_JAEGER_QUERY_URL}
 * (set by {@code .ci/run} after starting Jaeger); without them it is skipped with a message,
 * unless {@code -Dtracewire.requireExternal=true} or {@code -Dtracewire.jaeger.required=true}.
 */
class CrossProcessJaegerIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aCallAcrossTwoProcessesIsOneTraceInJaeger() throws Exception {
    String otlp = System.getenv("TRACEWIRE_JAEGER_OTLP_ENDPOINT");
    String query = System.getenv("TRACEWIRE_JAEGER_QUERY_URL");
    if (otlp == null || query == null) {
      String msg = "CrossProcessJaegerIT skipped: TRACEWIRE_JAEGER_OTLP_ENDPOINT and TRACEWIRE_JAEGER_QUERY_URL are not set "
          + "(a running Jaeger is missing); .ci/run starts one (see .ci/jaeger-lib.sh)";
      System.out.println(msg);
      if (Boolean.getBoolean("tracewire.requireExternal") || Boolean.getBoolean("tracewire.jaeger.required")) {
        throw new AssertionError(msg);
      }
      Assumptions.abort(msg);
    }
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String serviceA = "tracewire-caller-" + suffix;
    String serviceB = "tracewire-callee-" + suffix;
    Process b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), JaegerServiceMain.class.getName(), otlp, serviceB)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    UUID rootRun = UUID.randomUUID();
    SpanContext root;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      String first = new BufferedReader(new InputStreamReader(b.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertThat(first).as("process B's first line").startsWith("port=");
      URI base = URI.create("http://127.0.0.1:" + first.substring("port=".length()));
      OkHttpClient okhttp = new OkHttpClient.Builder().addInterceptor(TracingInterceptor.create(TracewirePropagation.create()))
          .build();
      try (OtelBridge bridge = OtelBridge.builder().endpoint(otlp).serviceName(serviceA).crossLinks(true)
          .scheduleDelay(Duration.ofMillis(100)).shutdownHook(false).build()) {
        Runnable<String, String> call = RunnableLambda.of("call", (String x) -> {
          try (okhttp3.Response r = okhttp.newCall(new Request.Builder().url(base.resolve("/run").toString()).build()).execute()) {
            return r.body().string();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
        Runnable<String, String> caller = RunnableLambda.of("caller", (String x) -> call.invoke(x));
        assertThat(caller.invoke("ping", RunConfig.builder().listener(bridge).runId(rootRun).build())).isEqualTo("PONG");
        root = bridge.spanContextOf(rootRun.toString());
        assertThat(bridge.flush(Duration.ofSeconds(10))).as("flush A to Jaeger").isTrue();
      } finally {
        okhttp.dispatcher().executorService().shutdown();
        okhttp.connectionPool().evictAll();
      }
      String stopped = http.send(HttpRequest.newBuilder(base.resolve("/stop")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(stopped).startsWith("flushed=true").contains("remoteParents=1");
      assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      b.destroyForcibly();
    }

    URI uri = URI.create(query + "/api/traces/" + root.getTraceId());
    JsonNode trace = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        JsonNode data = JSON.readTree(r.body()).path("data");
        if (data.size() == 1 && data.get(0).path("spans").size() == 4) {
          trace = data.get(0);
          break;
        }
      }
      Thread.sleep(250);
    }
    assertThat(trace).as("trace %s with 4 spans in Jaeger at %s", root.getTraceId(), uri).isNotNull();
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode span : trace.path("spans")) {
      byName.put(span.path("operationName").asText(), span);
    }
    assertThat(byName).containsOnlyKeys("caller", "call", "handler", "step");
    assertThat(parentOf(byName.get("call"))).isEqualTo(byName.get("caller").path("spanID").asText());
    assertThat(parentOf(byName.get("handler"))).as("B's root span is a child of A's call span")
        .isEqualTo(byName.get("call").path("spanID").asText());
    assertThat(parentOf(byName.get("step"))).isEqualTo(byName.get("handler").path("spanID").asText());
    Set<String> services = new HashSet<>();
    trace.path("processes").forEach(p -> services.add(p.path("serviceName").asText()));
    assertThat(services).containsExactlyInAnyOrder(serviceA, serviceB);
    assertThat(service(trace, byName.get("handler"))).isEqualTo(serviceB);
    assertThat(service(trace, byName.get("call"))).isEqualTo(serviceA);
    System.out.println("CrossProcessJaegerIT: trace " + root.getTraceId() + " spans " + serviceA + " and " + serviceB);
  }

  private static String parentOf(JsonNode span) {
    JsonNode refs = span.path("references");
    assertThat(refs.size()).as(span.path("operationName").asText() + " references").isEqualTo(1);
    assertThat(refs.get(0).path("refType").asText()).isEqualTo("CHILD_OF");
    return refs.get(0).path("spanID").asText();
  }

  private static String service(JsonNode trace, JsonNode span) {
    return trace.path("processes").path(span.path("processID").asText()).path("serviceName").asText();
  }

}
