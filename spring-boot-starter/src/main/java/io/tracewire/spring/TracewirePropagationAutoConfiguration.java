package io.tracewire.spring;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.tracewire.core.RemoteParent;
import io.tracewire.exporters.otel.OtelBridge;
import io.tracewire.propagation.TracewirePropagation;
import io.tracewire.propagation.TracingClientHttpRequestInterceptor;
import io.tracewire.propagation.TracingExchangeFilterFunction;
import io.tracewire.propagation.TracingServletFilter;
import io.tracewire.propagation.TracingWebFilter;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

/**
 * Run context across HTTP with no application code, from {@code tracewire-propagation}: the
 * application's incoming requests continue the caller's run (a Jakarta Servlet filter, or a
 * WebFlux {@code WebFilter}), and the {@code RestClient.Builder} and {@code WebClient.Builder}
 * beans Spring Boot provides send the current run (a {@code ClientHttpRequestInterceptor}, an
 * {@code ExchangeFilterFunction}); Spring AI's MCP client tools send it in each
 * {@code tools/call}'s {@code params._meta} ({@link McpConfiguration}). Each part needs its classes
 * and has its switch,
 * {@code tracewire.propagation.{servlet,webflux,rest-client,web-client,mcp}.enabled} (all on by
 * default; {@code tracewire.propagation.enabled=false} turns them all off). Clients built without
 * Boot's builders are not touched. Requests to {@code tracewire.propagation.skip-hosts} (the chat
 * providers' API hosts by default) carry no run-context headers.
 *
 * <p>{@code traceparent}: the client parts send the current OpenTelemetry span, or, when none
 * is current (the starter's default {@code tracewire.otel.make-spans-current=false}), the span the
 * {@link OtelBridge} made for the calling run, so the callee's spans join the caller's trace
 * either way. For that lookup they turn the bridge's cross-links on ({@link OtelBridge#traceLinks()}).
 *
 * <p>All parts share one {@link TracewirePropagation} bean, whose {@code stats()} count injected,
 * extracted and rejected headers. None of them fails a request: bad incoming headers are ignored
 * and counted.
 */
@AutoConfiguration(after = TracewireAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "tracewire.enabled", matchIfMissing = true)
@ConditionalOnClass(TracewirePropagation.class)
@ConditionalOnBooleanProperty(name = "tracewire.propagation.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TracewirePropagationProperties.class)
public class TracewirePropagationAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  TracewirePropagation tracewirePropagation() {
    return TracewirePropagation.create();
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = {"jakarta.servlet.Filter", "org.springframework.boot.web.servlet.FilterRegistrationBean"})
  @ConditionalOnBooleanProperty(name = "tracewire.propagation.servlet.enabled", matchIfMissing = true)
  static class ServletConfiguration {
    /** Just after Spring's own observation filter, so its server span (when there is one) stays the parent. */
    static final int ORDER = TracingWebFilter.ORDER;

    @Bean
    @ConditionalOnMissingBean(name = "tracewireServletFilter")
    FilterRegistrationBean<TracingServletFilter> tracewireServletFilter(TracewirePropagation propagation) {
      FilterRegistrationBean<TracingServletFilter> reg = new FilterRegistrationBean<>(new TracingServletFilter(propagation));
      reg.setName("tracewireServletFilter");
      reg.setOrder(ORDER);
      reg.setAsyncSupported(true);
      return reg;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(name = "org.springframework.web.server.WebFilter")
  @ConditionalOnBooleanProperty(name = "tracewire.propagation.webflux.enabled", matchIfMissing = true)
  static class WebFluxConfiguration {
    @Bean
    @ConditionalOnMissingBean
    TracingWebFilter tracewireWebFilter(TracewirePropagation propagation) {
      return TracingWebFilter.create(propagation);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"org.springframework.boot.restclient.RestClientCustomizer",
      "org.springframework.web.client.RestClient"})
  @ConditionalOnBooleanProperty(name = "tracewire.propagation.rest-client.enabled", matchIfMissing = true)
  static class RestClientConfiguration {
    @Bean
    RestClientCustomizer tracewireRestClientCustomizer(TracewirePropagation propagation,
        TracewirePropagationProperties props, ObjectProvider<OtelBridge> otel) {
      ClientHttpRequestInterceptor tracing = TracingClientHttpRequestInterceptor.create(propagation);
      List<String> skip = List.copyOf(props.getSkipHosts());
      OtelBridge bridge = withCrossLinks(otel.getIfAvailable());
      ClientHttpRequestInterceptor interceptor = (request, body, execution) -> {
        if (skipped(request.getURI(), skip)) {
          return execution.execute(request, body);
        }
        try (Scope ignored = runSpan(bridge)) {
          return tracing.intercept(request, body, execution);
        }
      };
      return builder -> builder.requestInterceptor(interceptor);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"org.springframework.boot.webclient.WebClientCustomizer",
      "org.springframework.web.reactive.function.client.WebClient"})
  @ConditionalOnBooleanProperty(name = "tracewire.propagation.web-client.enabled", matchIfMissing = true)
  static class WebClientConfiguration {
    @Bean
    WebClientCustomizer tracewireWebClientCustomizer(TracewirePropagation propagation,
        TracewirePropagationProperties props, ObjectProvider<OtelBridge> otel) {
      ExchangeFilterFunction tracing = TracingExchangeFilterFunction.create(propagation);
      List<String> skip = List.copyOf(props.getSkipHosts());
      OtelBridge bridge = withCrossLinks(otel.getIfAvailable());
      ExchangeFilterFunction filter = (request, next) -> {
        if (skipped(request.url(), skip)) {
          return next.exchange(request);
        }
        // the filter runs at subscription, on the subscribing thread: the headers are written here
        try (Scope ignored = runSpan(bridge)) {
          return tracing.filter(request, next);
        }
      };
      return builder -> builder.filter(filter);
    }
  }

  /**
   * Spring AI's MCP client tools ({@code spring-ai-mcp}): every {@code tools/call} carries the run
   * context in {@code params._meta} ({@link TracingMcpMetaConverter}). The starter provides the
   * {@code ToolContextToMcpMetaConverter} Spring AI's MCP auto-configuration picks up (its default
   * converter plus the context) and wraps one the application defines.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.ai.mcp.ToolContextToMcpMetaConverter")
  @ConditionalOnBooleanProperty(name = "tracewire.propagation.mcp.enabled", matchIfMissing = true)
  static class McpConfiguration {
    @Bean
    @ConditionalOnMissingBean(org.springframework.ai.mcp.ToolContextToMcpMetaConverter.class)
    org.springframework.ai.mcp.ToolContextToMcpMetaConverter tracewireMcpMetaConverter(TracewirePropagation propagation,
        ObjectProvider<OtelBridge> otel) {
      return new TracingMcpMetaConverter(org.springframework.ai.mcp.ToolContextToMcpMetaConverter.defaultConverter(),
          propagation, withCrossLinks(otel.getIfAvailable()));
    }

    @Bean
    static BeanPostProcessor tracewireMcpMetaConverterPostProcessor(ObjectProvider<TracewirePropagation> propagation,
        ObjectProvider<OtelBridge> otel) {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
          if (bean instanceof org.springframework.ai.mcp.ToolContextToMcpMetaConverter c
              && !(bean instanceof TracingMcpMetaConverter)) {
            return new TracingMcpMetaConverter(c, propagation.getObject(), withCrossLinks(otel.getIfAvailable()));
          }
          return bean;
        }
      };
    }
  }

  private static OtelBridge withCrossLinks(OtelBridge bridge) {
    if (bridge != null) {
      bridge.traceLinks();
    }
    return bridge;
  }

  /**
   * A scope making the calling run's span current while the headers are written, when no span is
   * current and the bridge knows the run's span; a no-op scope otherwise. Never throws.
   */
  static Scope runSpan(OtelBridge bridge) {
    if (bridge == null) {
      return Scope.noop();
    }
    try {
      if (Span.current().getSpanContext().isValid()) {
        return Scope.noop();
      }
      Optional<RemoteParent> run = RemoteParent.current();
      if (run.isEmpty()) {
        return Scope.noop();
      }
      SpanContext sc = bridge.spanContextOf(run.get().runId().toString());
      return sc.isValid() ? Context.current().with(Span.wrap(sc)).makeCurrent() : Scope.noop();
    } catch (RuntimeException | LinkageError e) {
      return Scope.noop();
    }
  }

  /** Whether {@code uri}'s host is one of {@code skipHosts} (exact, or a suffix starting with '.'). */
  static boolean skipped(URI uri, List<String> skipHosts) {
    String host = uri.getHost();
    if (host == null) {
      return false;
    }
    host = host.toLowerCase(Locale.ROOT);
    for (String s : skipHosts) {
      String h = s.trim().toLowerCase(Locale.ROOT);
      if (h.isEmpty()) {
        continue;
      }
      if (h.startsWith(".") ? host.endsWith(h) || host.equals(h.substring(1)) : host.equals(h)) {
        return true;
      }
    }
    return false;
  }
}
