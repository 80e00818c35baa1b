package io.tracewire.exporters.otel;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SDK's service loader for Tracewire's OTLP exporters (the bridge's standalone SDK and the log
 * sink), except that of several {@link HttpSenderProvider}s it offers only the JDK's: OkHttp's
 * sender is on the class path for gRPC and would otherwise compete for OTLP/HTTP, with a
 * "multiple providers" warning and an arbitrary pick. When the application names a provider
 * through {@value #HTTP_SENDER_PREFERENCE} (system property or the matching environment variable),
 * every provider is offered and the SDK honours that choice. Other service types pass through.
 * Stateless; thread-safe; used when exporters are built.
 */
final class JdkHttpSenderFirst implements ComponentLoader {
  static final String HTTP_SENDER_PREFERENCE = "io.opentelemetry.sdk.common.export.HttpSenderProvider";
  private static final String JDK_HTTP_SENDER = "io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider";
  private final ComponentLoader delegate;

  private JdkHttpSenderFirst(ComponentLoader delegate) {
    this.delegate = delegate;
  }

  /** Over the class loader the SDK's autoconfiguration uses by default. */
  static ComponentLoader create() {
    return new JdkHttpSenderFirst(ComponentLoader.forClassLoader(AutoConfiguredOpenTelemetrySdk.class.getClassLoader()));
  }

  @Override
  public <T> Iterable<T> load(Class<T> spiClass) {
    Iterable<T> all = delegate.load(spiClass);
    if (spiClass != HttpSenderProvider.class || preferenceSet()) {
      return all;
    }
    List<T> providers = new ArrayList<>();
    List<T> jdk = new ArrayList<>();
    for (T p : all) {
      providers.add(p);
      if (p.getClass().getName().equals(JDK_HTTP_SENDER)) {
        jdk.add(p);
      }
    }
    return jdk.isEmpty() ? providers : jdk;
  }

  private static boolean preferenceSet() {
    String prop = System.getProperty(HTTP_SENDER_PREFERENCE);
    String env = System.getenv(HTTP_SENDER_PREFERENCE.toUpperCase(Locale.ROOT).replace('.', '_'));
    return (prop != null && !prop.isBlank()) || (env != null && !env.isBlank());
  }
}
