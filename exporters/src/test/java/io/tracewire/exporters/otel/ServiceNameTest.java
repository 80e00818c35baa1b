package io.tracewire.exporters.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.ReadableSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A standalone bridge's {@code service.name}, in OpenTelemetry's order of precedence. */
class ServiceNameTest {
  @AfterEach
  void clear() {
    System.clearProperty("otel.service.name");
    System.clearProperty("otel.resource.attributes");
  }

  private static String serviceName(OtelBridge.Builder b) {
    try (OtelBridge bridge = b.endpoint("http://127.0.0.1:9/v1/traces").shutdownHook(false).build()) {
      ReadableSpan span = (ReadableSpan) bridge.openTelemetry().getTracer("test").spanBuilder("probe").startSpan();
      return span.toSpanData().getResource().getAttribute(AttributeKey.stringKey("service.name"));
    }
  }

  @Test
  void withoutAnySettingItIsTheDefault() {
    assertThat(serviceName(OtelBridge.builder())).isEqualTo(OtelBridge.DEFAULT_SERVICE_NAME);
  }

  @Test
  void theFallbackReplacesTheDefault() {
    assertThat(serviceName(OtelBridge.builder().fallbackServiceName("weather-app"))).isEqualTo("weather-app");
  }

  @Test
  void serviceNameInTheResourceAttributesWinsOverTheFallbackAndTheDefault() {
    System.setProperty("otel.resource.attributes", "service.name=from-attributes,team=llm");
    assertThat(serviceName(OtelBridge.builder())).isEqualTo("from-attributes");
    assertThat(serviceName(OtelBridge.builder().fallbackServiceName("weather-app"))).isEqualTo("from-attributes");
  }

  @Test
  void otelServiceNameWinsOverTheResourceAttributesAndTheFallback() {
    System.setProperty("otel.resource.attributes", "service.name=from-attributes");
    System.setProperty("otel.service.name", "from-otel-service-name");
    assertThat(serviceName(OtelBridge.builder().fallbackServiceName("weather-app")))
        .isEqualTo("from-otel-service-name");
  }

  @Test
  void theBuilderServiceNameWinsOverEverything() {
    System.setProperty("otel.service.name", "from-otel-service-name");
    assertThat(serviceName(OtelBridge.builder().serviceName("explicit").fallbackServiceName("weather-app")))
        .isEqualTo("explicit");
  }
}
