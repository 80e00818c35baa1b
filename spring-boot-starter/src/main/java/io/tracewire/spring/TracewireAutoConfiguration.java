package io.tracewire.spring;

import io.opentelemetry.api.OpenTelemetry;
import io.tracewire.core.sink.EventSink;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.Tracewire;
import io.tracewire.dashboard.Dashboard;
import io.tracewire.exporters.console.ConsoleSink;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import io.tracewire.exporters.otel.OtelBridge;
import io.tracewire.exporters.otel.OtlpEndpoints;
import io.tracewire.exporters.otel.OtlpLogSink;
import io.tracewire.spring.internal.SpringObservedRuns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Installs Tracewire from {@code tracewire.*} properties: a JSONL sink ({@code tracewire.jsonl.path}),
 * a console sink ({@code tracewire.console.enabled}), the OpenTelemetry bridge
 * ({@code tracewire.otel.enabled}; it reuses the application's {@link OpenTelemetry} bean when
 * there is one, else starts a standalone SDK exporting to {@code tracewire.otel.endpoint}) and
 * the dashboard ({@code tracewire.dashboard.enabled}), events as OTLP log records
 * ({@code tracewire.otel.logs.enabled}, linked to their spans when the bridge is on). Every
 * {@link EventSink} bean of the
 * application becomes a sink too (named after its bean), every other {@link RunListener} bean a
 * listener.
 *
 * <p>The {@link Tracewire} bean is installed globally when the context starts and closed when it
 * stops: listeners removed, sinks drained, flushed and closed (waiting up to
 * {@code tracewire.close-timeout}), then the bridge and the dashboard are closed. Settings that
 * cannot work fail the startup with a {@link TracewireConfigurationException} naming the
 * property. A sink that fails later never fails the application: its events are counted as
 * failed ({@link Tracewire#stats()}, the {@code tracewire} actuator endpoint).
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "tracewire.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TracewireProperties.class)
public class TracewireAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty(name = "tracewire.otel.enabled")
  OtelBridge tracewireOtelBridge(TracewireProperties props, ObjectProvider<OpenTelemetry> openTelemetry,
      Environment env, ApplicationContext context) {
    ClassLoader loader = context.getClassLoader() != null ? context.getClassLoader() : getClass().getClassLoader();
    OpenTelemetryVersionCheck.require(loader);
    try {
      return otelBridge(props, openTelemetry, env);
    } catch (LinkageError e) {
      // a version the check could not read, missing some class the bridge links against
      String found = OpenTelemetryVersionCheck.version(loader);
      throw new IncompatibleOpenTelemetryException(found != null ? found : "an unknown version", OpenTelemetryVersionCheck.REQUIRED, e);
    }
  }

  private static OtelBridge otelBridge(TracewireProperties props, ObjectProvider<OpenTelemetry> openTelemetry,
      Environment env) {
    TracewireProperties.Otel o = props.getOtel();
    OtelBridge.Builder b = OtelBridge.builder().captureContent(o.isContentCapture())
        .makeSpansCurrent(o.isMakeSpansCurrent());
    OpenTelemetry app = openTelemetry.getIfUnique();
    if (app != null) {
      b.openTelemetry(app);
    } else {
      b.shutdownHook(false);
      String otelName = otelServiceName(env);
      if (otelName != null) {
        b.serviceName(otelName);
      } else if (applicationName(env) != null) {
        b.fallbackServiceName(applicationName(env));
      }
      if (o.getEndpoint() != null && !o.getEndpoint().isBlank()) {
        try {
          b.endpoint(o.getEndpoint());
        } catch (IllegalArgumentException e) {
          // the message names the endpoint redacted; the value too, so no secret reaches logs
          throw new TracewireConfigurationException("tracewire.otel.endpoint", OtlpEndpoints.redact(o.getEndpoint()),
              e.getMessage(), e);
        }
      }
    }
    return b.build();
  }

  /** Closed by the Tracewire bean's bus (it is one of its sinks), not by the context. */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty(name = "tracewire.otel.logs.enabled")
  OtlpLogSink tracewireOtlpLogSink(TracewireProperties props, ObjectProvider<OtelBridge> otel, Environment env) {
    TracewireProperties.Otel o = props.getOtel();
    OtlpLogSink.Builder b = OtlpLogSink.builder().captureContent(o.isContentCapture());
    String otelName = otelServiceName(env);
    if (otelName != null) {
      b.serviceName(otelName);
    } else if (applicationName(env) != null) {
      b.fallbackServiceName(applicationName(env));
    }
    String property = o.getLogs().getEndpoint() != null ? "tracewire.otel.logs.endpoint" : "tracewire.otel.endpoint";
    String endpoint = o.getLogs().getEndpoint() != null ? o.getLogs().getEndpoint() : o.getEndpoint();
    if (endpoint != null && !endpoint.isBlank()) {
      try {
        b.endpoint(endpoint);
      } catch (IllegalArgumentException e) {
        throw new TracewireConfigurationException(property, OtlpEndpoints.redact(endpoint), e.getMessage(), e);
      }
    }
    OtelBridge bridge = otel.getIfAvailable();
    if (bridge != null) {
      b.bridge(bridge);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new TracewireConfigurationException(property, OtlpEndpoints.redact(endpoint), e.getMessage(), e);
    }
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty(name = "tracewire.dashboard.enabled")
  Dashboard tracewireDashboard(TracewireProperties props) {
    TracewireProperties.Dashboard d = props.getDashboard();
    Dashboard.Builder b = Dashboard.builder();
    try {
      b.port(d.getPort());
    } catch (IllegalArgumentException e) {
      throw new TracewireConfigurationException("tracewire.dashboard.port", d.getPort(), e.getMessage(), e);
    }
    try {
      b.bindAddress(d.getBind());
    } catch (IllegalArgumentException e) {
      throw new TracewireConfigurationException("tracewire.dashboard.bind", d.getBind(), e.getMessage(), e);
    }
    if (d.getToken() != null && !d.getToken().isEmpty()) {
      try {
        b.accessToken(d.getToken());
      } catch (IllegalArgumentException e) {
        throw new TracewireConfigurationException("tracewire.dashboard.token", "(hidden)", e.getMessage(), null);
      }
    }
    try {
      return b.start();
    } catch (UncheckedIOException e) {
      throw new TracewireConfigurationException("tracewire.dashboard.port", d.getPort(),
          "cannot listen on " + d.getBind() + ":" + d.getPort() + " (" + e.getCause().getMessage() + ")", e);
    } catch (IllegalArgumentException e) {
      throw new TracewireConfigurationException("tracewire.dashboard.bind", d.getBind(), e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new TracewireConfigurationException("tracewire.dashboard.token", null,
          "binding the dashboard to " + d.getBind() + " (not loopback) requires an access token", e);
    }
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Tracewire tracewire(TracewireProperties props, ObjectProvider<OtelBridge> otel, ObjectProvider<Dashboard> dashboard,
      ObjectProvider<OtlpLogSink> otlpLogs, ApplicationContext context) {
    Tracewire.Builder b = Tracewire.builder().closeTimeout(props.getCloseTimeout());
    OtelBridge bridge = otel.getIfAvailable();
    if (bridge != null) {
      b.listener(genAiSpans(props, context) == TracewireProperties.GenAiSpans.SPRING
          ? SpringObservedRuns.around(bridge) : bridge);
    }
    for (RunListener l : context.getBeansOfType(RunListener.class).values()) {
      if (l != bridge) {
        b.listener(l);
      }
    }
    TracewireProperties.Jsonl j = props.getJsonl();
    if (j.getPath() != null) {
      JsonlFileSink sink = jsonl(j, bridge);
      SinkConfig sc;
      try {
        sc = SinkConfig.named("jsonl").withPolicy(j.getPolicy()).withCapacity(j.getCapacity());
      } catch (IllegalArgumentException e) {
        throw new TracewireConfigurationException("tracewire.jsonl.capacity", j.getCapacity(), e.getMessage(), e);
      }
      b.sink(sink, sc);
    }
    if (props.getConsole().isEnabled()) {
      b.sink(ConsoleSink.builder().tree(props.getConsole().isTree()).build(),
          SinkConfig.named("console").withPolicy(OverflowPolicy.DROP_NEWEST));
    }
    Dashboard d = dashboard.getIfAvailable();
    if (d != null) {
      b.sink(d.sink(), SinkConfig.named("dashboard").withPolicy(OverflowPolicy.DROP_NEWEST));
    }
    OtlpLogSink logs = otlpLogs.getIfAvailable();
    if (logs != null) {
      b.sink(logs, SinkConfig.named("otlp-logs").withPolicy(OverflowPolicy.DROP_NEWEST));
    }
    for (Map.Entry<String, EventSink> e : context.getBeansOfType(EventSink.class).entrySet()) {
      if (e.getValue() != logs) {
        b.sink(e.getValue(), SinkConfig.named(e.getKey()));
      }
    }
    return b.install();
  }

  /**
   * {@code otel.service.name} as Spring sees it: {@code OTEL_SERVICE_NAME}, the system property, or
   * the application's properties (OpenTelemetry's own configuration reads only the first two).
   */
  private static String otelServiceName(Environment env) {
    String name = env.getProperty("otel.service.name");
    return name == null || name.isBlank() ? null : name.trim();
  }

  private static String applicationName(Environment env) {
    String name = env.getProperty("spring.application.name");
    return name == null || name.isBlank() ? null : name.trim();
  }

  /**
   * The effective {@code tracewire.otel.gen-ai-spans}: {@code auto} is {@code spring} when
   * Spring AI's observations become spans (a Micrometer tracing observation handler is a bean)
   * and the Spring AI bridge is on, else {@code both} (there is nothing to repeat).
   */
  static TracewireProperties.GenAiSpans genAiSpans(TracewireProperties props, ApplicationContext context) {
    TracewireProperties.GenAiSpans mode = props.getOtel().getGenAiSpans();
    if (mode != TracewireProperties.GenAiSpans.AUTO) {
      return mode;
    }
    ClassLoader cl = TracewireAutoConfiguration.class.getClassLoader();
    if (!props.getSpringAi().isEnabled() || !ClassUtils.isPresent(SPRING_AI_CHAT_MODEL, cl)
        || !ClassUtils.isPresent(TRACING_OBSERVATION_HANDLER, cl)) {
      return TracewireProperties.GenAiSpans.BOTH;
    }
    String[] handlers = context.getBeanNamesForType(ClassUtils.resolveClassName(TRACING_OBSERVATION_HANDLER, cl),
        false, false);
    return handlers.length > 0 ? TracewireProperties.GenAiSpans.SPRING : TracewireProperties.GenAiSpans.BOTH;
  }

  private static final String SPRING_AI_CHAT_MODEL = "org.springframework.ai.chat.model.ChatModel";
  private static final String TRACING_OBSERVATION_HANDLER = "io.micrometer.tracing.handler.TracingObservationHandler";

  private static JsonlFileSink jsonl(TracewireProperties.Jsonl j, OtelBridge bridge) {
    Path path = j.getPath();
    Path parent = path.toAbsolutePath().getParent();
    if (parent == null) {
      throw new TracewireConfigurationException("tracewire.jsonl.path", path, "has no directory", null);
    }
    if (!Files.isDirectory(parent)) {
      try {
        Files.createDirectories(parent);
      } catch (IOException | SecurityException e) {
        throw new TracewireConfigurationException("tracewire.jsonl.path", path,
            "the directory " + parent + " does not exist and cannot be created (" + e + ")", null);
      }
    }
    if (Files.isDirectory(path)) {
      throw new TracewireConfigurationException("tracewire.jsonl.path", path, "is a directory, not a file", null);
    }
    try (FileChannel ignored = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      // opened once to fail now, not at the first batch
    } catch (IOException | SecurityException e) {
      throw new TracewireConfigurationException("tracewire.jsonl.path", path, "cannot be written (" + e + ")", e);
    }
    JsonlFileSink.Builder b = JsonlFileSink.builder(path).fsync(j.getFsync());
    if (j.getRotation().getMaxSize() != null) {
      try {
        b.maxFileBytes(j.getRotation().getMaxSize().toBytes());
      } catch (IllegalArgumentException e) {
        throw new TracewireConfigurationException("tracewire.jsonl.rotation.max-size", j.getRotation().getMaxSize(),
            e.getMessage(), e);
      }
    }
    if (j.getRotation().getEvery() != null) {
      try {
        b.rotateEvery(j.getRotation().getEvery());
      } catch (IllegalArgumentException e) {
        throw new TracewireConfigurationException("tracewire.jsonl.rotation.every", j.getRotation().getEvery(),
            e.getMessage(), e);
      }
    }
    if (bridge != null) {
      b.traceLinks(bridge.traceLinks());
    }
    return b.build();
  }
}
