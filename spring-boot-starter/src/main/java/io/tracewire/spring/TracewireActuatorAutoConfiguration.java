package io.tracewire.spring;

import io.tracewire.core.Tracewire;
import io.tracewire.dashboard.Dashboard;
import io.tracewire.exporters.otel.OtelBridge;
import io.tracewire.exporters.otel.OtlpLogSink;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator and Micrometer integration, each part only when its classes are present: the
 * {@code tracewire} endpoint, the {@code tracewire} health contributor and the sink meters
 * ({@link TracewireMetrics}).
 */
@AutoConfiguration(after = TracewireAutoConfiguration.class)
@ConditionalOnBean(Tracewire.class)
public class TracewireActuatorAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  static class EndpointConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    TracewireEndpoint tracewireEndpoint(Tracewire tracewire, ObjectProvider<OtelBridge> otel,
        ObjectProvider<Dashboard> dashboard, ObjectProvider<OtlpLogSink> logs) {
      return new TracewireEndpoint(tracewire, otel.getIfAvailable(), dashboard.getIfAvailable(), logs.getIfAvailable());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class HealthConfiguration {
    @Bean(name = "tracewireHealthIndicator")
    @ConditionalOnMissingBean(name = "tracewireHealthIndicator")
    org.springframework.boot.health.contributor.HealthIndicator tracewireHealthIndicator(Tracewire tracewire,
        ObjectProvider<OtelBridge> otel, ObjectProvider<OtlpLogSink> logs) {
      return new TracewireHealthIndicator(tracewire, otel.getIfAvailable(), logs.getIfAvailable());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class MetricsConfiguration {
    @Bean
    @ConditionalOnMissingBean
    TracewireMetrics tracewireMetrics(Tracewire tracewire, ObjectProvider<OtelBridge> otel,
        ObjectProvider<OtlpLogSink> logs) {
      return new TracewireMetrics(tracewire, otel.getIfAvailable(), logs.getIfAvailable());
    }
  }
}
