package io.tracewire.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.core.Tracewire;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.otel.OtelBridge;
import io.tracewire.propagation.TracewirePropagation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A servlet Boot app with the starter propagates run context with no code of its own: its
 * RestClient and WebClient send the caller's run over real HTTP, and its servlet filter makes the
 * callee's runs children of it.
 */
class ServletPropagationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void aRestClientCallFromARunMakesTheCalleesRunItsChildAndSendsTraceparent() throws Exception {
    try (ConfigurableApplicationContext ctx = start()) {
      String body = get(ctx, "/caller/rest-client");
      assertCalleeIsChildOfCaller(ctx, body, "rest-client");
    }
  }

  @Test
  void aWebClientCallFromARunMakesTheCalleesRunItsChildAndSendsTraceparent() throws Exception {
    try (ConfigurableApplicationContext ctx = start()) {
      String body = get(ctx, "/caller/web-client");
      assertCalleeIsChildOfCaller(ctx, body, "web-client");
    }
  }

  @Test
  void eachIntegrationIsSwitchedOffByItsProperty() throws Exception {
    try (ConfigurableApplicationContext ctx = start("tracewire.propagation.rest-client.enabled=false",
        "tracewire.propagation.web-client.enabled=false")) {
      assertThat(get(ctx, "/caller/rest-client")).doesNotContain("tracewire.run_path");
      assertThat(get(ctx, "/caller/web-client")).doesNotContain("tracewire.run_path");
      assertThat(ctx.getBeansOfType(TracewirePropagation.class)).hasSize(1);
    }
    try (ConfigurableApplicationContext ctx = start("tracewire.propagation.servlet.enabled=false")) {
      String body = get(ctx, "/caller/rest-client");
      assertThat(body).contains("tracewire.run_path");
      Recorder r = ctx.getBean(Recorder.class);
      StreamEvent callee = r.awaitStart("callee");
      assertThat(callee.parentIds()).isEmpty();
    }
  }

  private static void assertCalleeIsChildOfCaller(ConfigurableApplicationContext ctx, String body, String client)
      throws InterruptedException {
    Recorder r = ctx.getBean(Recorder.class);
    StreamEvent caller = r.awaitStart("caller-" + client);
    StreamEvent callee = r.awaitStart("callee");
    assertThat(callee.parentIds()).as("the callee's parent_ids").containsExactly(caller.runId());
    // the wire: traceparent of the caller's span, baggage with the caller's run path
    SpanContext callerSpan = ctx.getBean(OtelBridge.class).spanContextOf(caller.runId());
    assertThat(callerSpan.isValid()).isTrue();
    assertThat(body).as("headers the callee received")
        .contains("traceparent=00-" + callerSpan.getTraceId() + "-" + callerSpan.getSpanId() + "-")
        .contains("tracewire.run_path=" + caller.runId());
    // and the callee's span joined the caller's trace
    assertThat(ctx.getBean(OtelBridge.class).spanContextOf(callee.runId()).getTraceId())
        .isEqualTo(callerSpan.getTraceId());
    assertThat(ctx.getBean(TracewirePropagation.class).stats().remoteParents()).isEqualTo(1);
  }

  static ConfigurableApplicationContext start(String... extra) {
    List<String> props = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
        "tracewire.otel.enabled=true", "spring.main.banner-mode=off",
        "spring.ai.openai.api-key=unused", "spring.ai.anthropic.api-key=unused"));
    props.addAll(List.of(extra));
    return new SpringApplicationBuilder(App.class).web(WebApplicationType.SERVLET)
        .properties(props.toArray(String[]::new)).run();
  }

  static String get(ConfigurableApplicationContext ctx, String path) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base(ctx.getEnvironment()) + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return res.body();
  }

  static String base(Environment env) {
    return "http://127.0.0.1:" + env.getProperty("local.server.port");
  }

  /** Run starts, in arrival order. */
  static final class Recorder implements io.tracewire.core.sink.EventSink {
    final List<StreamEvent> starts = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void export(List<StreamEvent> batch) {
      for (StreamEvent e : batch) {
        if (e.event().endsWith("_start")) {
          starts.add(e);
        }
      }
      notifyAll();
    }

    synchronized StreamEvent awaitStart(String name) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        for (StreamEvent e : starts) {
          if (e.name().equals(name)) {
            return e;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no start of " + name + " in " + starts);
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    Recorder recorder() {
      return new Recorder();
    }

    @Bean(destroyMethod = "close")
    OpenTelemetrySdk openTelemetry() {
      return OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder()
              .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create())).build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
    }

    @Bean
    Endpoints endpoints(RestClient.Builder rest, WebClient.Builder web, Environment env) {
      return new Endpoints(rest.build(), web.build(), env);
    }
  }

  @RestController
  static final class Endpoints {
    private final RestClient rest;
    private final WebClient web;
    private final Environment env;

    Endpoints(RestClient rest, WebClient web, Environment env) {
      this.rest = rest;
      this.web = web;
      this.env = env;
    }

    @GetMapping("/callee")
    String callee(@RequestHeader(name = "traceparent", required = false) String traceparent,
        @RequestHeader(name = "baggage", required = false) String baggage) {
      return Tracewire.trace("callee", () -> "traceparent=" + traceparent + " baggage=" + baggage);
    }

    @GetMapping("/caller/rest-client")
    String viaRestClient() {
      return Tracewire.trace("caller-rest-client",
          () -> rest.get().uri(base(env) + "/callee").retrieve().body(String.class));
    }

    @GetMapping("/caller/web-client")
    String viaWebClient() {
      return Tracewire.trace("caller-web-client",
          () -> web.get().uri(base(env) + "/callee").retrieve().bodyToMono(String.class).block(WAIT));
    }
  }
}
