package io.tracewire.spring;

import io.opentelemetry.api.OpenTelemetry;
import io.tracewire.core.Tracewire;
import io.tracewire.dashboard.Dashboard;
import io.tracewire.exporters.otel.OtelBridge;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * The startup report ({@link TracewireStartupReport}): one line saying where traces go, and the
 * warning about the OpenTelemetry Java agent next to a thread-local run context. Present whenever
 * the {@link Tracewire} bean is.
 */
@AutoConfiguration(after = TracewireAutoConfiguration.class)
@ConditionalOnBean(Tracewire.class)
public class TracewireStartupAutoConfiguration {

  @Bean
  TracewireStartupReport tracewireStartupReport(TracewireProperties props, ObjectProvider<Dashboard> dashboard,
      ObjectProvider<OtelBridge> otel, ObjectProvider<OpenTelemetry> openTelemetry) {
    return new TracewireStartupReport(props, dashboard.getIfAvailable(), otel.getIfAvailable(),
        openTelemetry.getIfUnique() != null, System.getenv());
  }
}
