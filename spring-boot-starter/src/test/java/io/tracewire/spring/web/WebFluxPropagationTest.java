package io.tracewire.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.Tracewire;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.otel.OtelBridge;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.propagation.TracingWebFilter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A WebFlux Boot app with the starter continues the caller's run with no code of its own: a
 * WebClient from Boot's builder calls its controller over real HTTP (Reactor Netty), and the
 * controller's run is a child of the calling run.
 */
class WebFluxPropagationTest {
  @Test
  void aWebFluxHandlersRunIsAChildOfTheCallingRunAndTraceparentIsOnTheWire() throws Exception {
    try (ConfigurableApplicationContext ctx = start()) {
      assertThat(ctx.getBeansOfType(TracingWebFilter.class)).hasSize(1);
      WebClient web = ctx.getBean(WebClient.Builder.class).build();
      String url = ServletPropagationTest.base(ctx.getEnvironment()) + "/callee";
      String body = Tracewire.trace("caller-webflux",
          () -> web.get().uri(url).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10)));

      ServletPropagationTest.Recorder r = ctx.getBean(ServletPropagationTest.Recorder.class);
      StreamEvent caller = r.awaitStart("caller-webflux");
      StreamEvent callee = r.awaitStart("callee");
      assertThat(callee.parentIds()).as("the callee's parent_ids").containsExactly(caller.runId());
      SpanContext callerSpan = ctx.getBean(OtelBridge.class).spanContextOf(caller.runId());
      assertThat(body).as("headers the callee received")
          .contains("traceparent=00-" + callerSpan.getTraceId() + "-" + callerSpan.getSpanId() + "-")
          .contains("tracewire.run_path=" + caller.runId());
    }
  }

  @Test
  void theWebFilterIsSwitchedOffByItsProperty() {
    try (ConfigurableApplicationContext ctx = start("tracewire.propagation.webflux.enabled=false")) {
      assertThat(ctx.getBeansOfType(TracingWebFilter.class)).isEmpty();
    }
  }

  private static ConfigurableApplicationContext start(String... extra) {
    return new SpringApplicationBuilder(App.class).web(WebApplicationType.REACTIVE)
        .properties("server.port=0", "server.address=127.0.0.1", "tracewire.otel.enabled=true",
            "spring.main.banner-mode=off", "spring.ai.openai.api-key=unused", "spring.ai.anthropic.api-key=unused")
        .properties(extra).run();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    ServletPropagationTest.Recorder recorder() {
      return new ServletPropagationTest.Recorder();
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
    Callee callee() {
      return new Callee();
    }
  }

  @RestController
  static final class Callee {
    @GetMapping("/callee")
    String callee(@RequestHeader(name = "traceparent", required = false) String traceparent,
        @RequestHeader(name = "baggage", required = false) String baggage) {
      return Tracewire.trace("callee", () -> "traceparent=" + traceparent + " baggage=" + baggage);
    }
  }
}
