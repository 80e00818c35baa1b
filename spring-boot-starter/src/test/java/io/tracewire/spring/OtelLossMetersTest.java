package io.tracewire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tracewire.core.Tracewire;
import io.tracewire.exporters.otel.OtelBridge;
import io.tracewire.exporters.otel.OtlpLogSink;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The bridge's and the OTLP log sink's loss counters in the actuator endpoint, the health details and Micrometer. */
class OtelLossMetersTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TracewireAutoConfiguration.class, TracewireActuatorAutoConfiguration.class))
      .withPropertyValues("tracewire.otel.enabled=true", "tracewire.otel.endpoint=http://127.0.0.1:1",
          "tracewire.otel.logs.enabled=true");

  @Test
  void spanAndLogRecordOutcomesAreMetersNamedLikeTheSinkMeters() {
    runner.run(ctx -> {
      assertThat(ctx).hasNotFailed();
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      ctx.getBean(TracewireMetrics.class).bindTo(registry);
      Tracewire.trace("metered", () -> 1);
      OtelBridge bridge = ctx.getBean(OtelBridge.class);
      for (String outcome : new String[] {"ended", "exported", "failed", "dropped"}) {
        FunctionCounter c = registry.find("tracewire.otel.spans").tags("outcome", outcome).functionCounter();
        assertThat(c).as("tracewire.otel.spans outcome=" + outcome).isNotNull();
      }
      assertThat(registry.find("tracewire.otel.spans").tags("outcome", "ended").functionCounter().count())
          .isEqualTo(bridge.stats().spansEnded()).isEqualTo(1);
      assertThat(registry.find("tracewire.otel.spans").tags("outcome", "dropped").functionCounter().count()).isZero();
      for (String outcome : new String[] {"exported", "failed", "skipped"}) {
        assertThat(registry.find("tracewire.otel.log.records").tags("outcome", outcome).functionCounter())
            .as("tracewire.otel.log.records outcome=" + outcome).isNotNull();
      }
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void theEndpointAndTheHealthShowTheOtelLossCounters() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=health,tracewire").run(ctx -> {
      Map<String, Object> stats = ctx.getBean(TracewireEndpoint.class).stats();
      assertThat(stats).containsKeys("sinks", "otel", "otelLogs");
      assertThat(stats.get("otelLogs")).isEqualTo(ctx.getBean(OtlpLogSink.class).stats());
      Health h = ((org.springframework.boot.health.contributor.HealthIndicator) ctx.getBean("tracewireHealthIndicator"))
          .health();
      assertThat(h.getDetails()).containsKeys("otlp-logs", "otel", "otelLogs");
      assertThat((Map<String, Object>) h.getDetails().get("otel")).containsKeys("spansDropped", "spansFailed", "lossy");
    });
  }
}
