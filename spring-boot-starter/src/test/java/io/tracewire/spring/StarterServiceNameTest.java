package io.tracewire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.tracewire.exporters.otel.OtelBridge;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The standalone bridge's {@code service.name} in a Boot application. */
class StarterServiceNameTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TracewireAutoConfiguration.class))
      .withPropertyValues("tracewire.otel.enabled=true", "tracewire.otel.endpoint=http://127.0.0.1:9");

  private static String serviceName(OtelBridge bridge) {
    ReadableSpan span = (ReadableSpan) bridge.openTelemetry().getTracer("test").spanBuilder("probe").startSpan();
    return span.toSpanData().getResource().getAttribute(AttributeKey.stringKey("service.name"));
  }

  @Test
  void theServiceNameFollowsSpringApplicationName() {
    runner.withPropertyValues("spring.application.name=weather-app")
        .run(ctx -> assertThat(serviceName(ctx.getBean(OtelBridge.class))).isEqualTo("weather-app"));
  }

  @Test
  void otelServiceNameInTheApplicationsPropertiesWinsOverSpringApplicationName() {
    runner.withPropertyValues("spring.application.name=weather-app", "otel.service.name=weather-api")
        .run(ctx -> assertThat(serviceName(ctx.getBean(OtelBridge.class))).isEqualTo("weather-api"));
  }

  @Test
  void withoutANameItIsTracewiresDefault() {
    runner.run(ctx -> assertThat(serviceName(ctx.getBean(OtelBridge.class))).isEqualTo(OtelBridge.DEFAULT_SERVICE_NAME));
  }
}
