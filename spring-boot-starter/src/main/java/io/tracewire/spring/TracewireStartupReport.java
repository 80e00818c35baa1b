package io.tracewire.spring;

import io.opentelemetry.context.Context;
import io.tracewire.core.RunContext;
import io.tracewire.core.context.RunContextStorage;
import io.tracewire.dashboard.Dashboard;
import io.tracewire.exporters.otel.OtelBridge;
import io.tracewire.exporters.otel.OtlpEndpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Says at startup, in one {@code INFO} line of the {@code io.tracewire.spring.TracewireStartupReport}
 * logger ({@code java.util.logging}, which Spring Boot routes to its logging system), where the
 * traces go: the JSONL file, the dashboard URL and the OTLP endpoint, each only when it is on.
 * Endpoints are printed without user info, query or fragment, so credentials in a URL never
 * reach the log.
 *
 * <p>It also warns once per JVM when the OpenTelemetry Java agent is present but the run-context
 * storage is the thread-local one: the agent then carries the OpenTelemetry context (one trace in
 * Jaeger) across threads that the run context does not cross, so JSONL, {@code tail} and the
 * dashboard show the pieces as separate trees. The agent is detected the way
 * {@code OtelRunContextStorage} tells it apart: its bootstrap class on the system class loader, or
 * a {@code Context.current()} that is a new wrapper on every call.
 *
 * <p>Runs once, on the thread that refreshes the context, after every singleton exists. Never
 * throws and never fails the startup.
 */
final class TracewireStartupReport implements SmartInitializingSingleton {
  private static final Logger LOG = Logger.getLogger(TracewireStartupReport.class.getName());
  /** The OpenTelemetry Java agent's entry class, on the system class path under {@code -javaagent}. */
  static final String AGENT_CLASS = "io.opentelemetry.javaagent.OpenTelemetryAgent";
  private static final AtomicBoolean AGENT_WARNED = new AtomicBoolean();

  private final TracewireProperties props;
  private final Dashboard dashboard;
  private final OtelBridge bridge;
  private final boolean appOpenTelemetry;
  private final Map<String, String> env;

  TracewireStartupReport(TracewireProperties props, Dashboard dashboard, OtelBridge bridge, boolean appOpenTelemetry,
      Map<String, String> env) {
    this.props = props;
    this.dashboard = dashboard;
    this.bridge = bridge;
    this.appOpenTelemetry = appOpenTelemetry;
    this.env = env;
  }

  @Override
  public void afterSingletonsInstantiated() {
    try {
      LOG.info(summary());
      agentWarning(agentPresent(), RunContext.storageName()).ifPresent(w -> warnOnce(AGENT_WARNED, w));
    } catch (RuntimeException | LinkageError e) {
      LOG.fine("Tracewire: the startup report failed: " + e);
    }
  }

  /** The startup line: what is on and where it goes. */
  String summary() {
    List<String> parts = new ArrayList<>();
    Path jsonl = props.getJsonl().getPath();
    if (jsonl != null) {
      parts.add("JSONL " + jsonl.toAbsolutePath().normalize());
    }
    if (dashboard != null) {
      parts.add("dashboard " + dashboard.uri());
    }
    if (bridge != null) {
      parts.add("OTLP spans " + (appOpenTelemetry ? "through the application's OpenTelemetry bean"
          : endpoint(props.getOtel().getEndpoint(), "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")));
    }
    if (props.getOtel().getLogs().isEnabled()) {
      String e = props.getOtel().getLogs().getEndpoint() != null ? props.getOtel().getLogs().getEndpoint()
          : props.getOtel().getEndpoint();
      parts.add("OTLP logs " + endpoint(e, "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"));
    }
    if (props.getConsole().isEnabled()) {
      parts.add("console");
    }
    if (parts.isEmpty()) {
      return "Tracewire: tracing to no output (set tracewire.jsonl.path, tracewire.dashboard.enabled or "
          + "tracewire.otel.enabled; see docs/spring.md)";
    }
    return "Tracewire: tracing to " + String.join(", ", parts);
  }

  private String endpoint(String configured, String signalVariable) {
    if (configured != null && !configured.isBlank()) {
      return safe(configured);
    }
    String fromEnv = env.get(signalVariable);
    if (fromEnv == null || fromEnv.isBlank()) {
      fromEnv = env.get("OTEL_EXPORTER_OTLP_ENDPOINT");
    }
    if (fromEnv != null && !fromEnv.isBlank()) {
      return safe(fromEnv) + " (from the environment)";
    }
    return "http://localhost:4318 (the OpenTelemetry default)";
  }

  /** {@code url} without user info, query and fragment; a placeholder when it does not parse. */
  static String safe(String url) {
    return OtlpEndpoints.redact(url.trim());
  }

  /** The warning for {@code agentPresent} with the run-context storage {@code storage}, if one is due. */
  static java.util.Optional<String> agentWarning(boolean agentPresent, String storage) {
    if (!agentPresent || !RunContextStorage.THREAD_LOCAL.equals(storage)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of("Tracewire: the OpenTelemetry Java agent is present but the run-context storage is "
        + storage + ": the agent carries spans across threads"
        + " that runs do not cross, so Jaeger shows one trace where the JSONL log, tracewire tail and the dashboard"
        + " show several trees. Remove -D" + RunContextStorage.PROPERTY + "=threadlocal (the otel storage of"
        + " tracewire-exporters is then chosen) or make sure tracewire-exporters and opentelemetry-context are on the"
        + " class path; see docs/context.md");
  }

  /** Logs {@code warning} unless {@code flag} says it was logged already. */
  static void warnOnce(AtomicBoolean flag, String warning) {
    if (flag.compareAndSet(false, true)) {
      LOG.warning(warning);
    }
  }

  /** Whether the OpenTelemetry Java agent runs in this JVM. */
  static boolean agentPresent() {
    try {
      if (ClassLoader.getSystemClassLoader().getResource(AGENT_CLASS.replace('.', '/') + ".class") != null) {
        return true;
      }
    } catch (RuntimeException e) {
      // a restricted class loader: fall through to the context check
    }
    try {
      // the agent's context storage hands out a new wrapper on every read (see OtelRunContextStorage)
      return Context.current() != Context.current();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
