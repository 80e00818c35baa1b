package io.tracewire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An OpenTelemetry SDK older than the bridge needs (Spring Boot 4.0.7 manages 1.55.0) fails the
 * startup with an analysis that names both versions and the fix, instead of a ClassNotFoundException
 * from deep inside the bridge.
 */
class OpenTelemetryVersionTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TracewireAutoConfiguration.class))
      .withPropertyValues("tracewire.otel.enabled=true", "tracewire.otel.endpoint=http://127.0.0.1:9/");

  /** What an application on OpenTelemetry 1.55.0 sees: that SDK's version file, and no HttpSenderProvider. */
  private static final class OpenTelemetry155 extends FilteredClassLoader {
    OpenTelemetry155() {
      super(OpenTelemetryVersionCheck.SPI);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      if (name.equals("io/opentelemetry/sdk/common/version.properties")) {
        return new ByteArrayInputStream("sdk.version=1.55.0\n".getBytes(StandardCharsets.UTF_8));
      }
      return super.getResourceAsStream(name);
    }
  }

  @Test
  void anOlderSdkFailsTheStartupWithAnAnalysisNamingBothVersionsAndTheFix() {
    runner.withClassLoader(new OpenTelemetry155()).run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(IncompatibleOpenTelemetryException.class);
      IncompatibleOpenTelemetryException e = (IncompatibleOpenTelemetryException) rootCause(ctx.getStartupFailure());
      assertThat(e.found()).isEqualTo("1.55.0");
      assertThat(e.required()).isEqualTo("1.68.0");
      FailureAnalysis analysis = new IncompatibleOpenTelemetryFailureAnalyzer().analyze(ctx.getStartupFailure());
      assertThat(analysis.getDescription()).contains("1.55.0").contains("1.68.0").contains("tracewire.otel.enabled=true");
      assertThat(analysis.getAction()).contains("<opentelemetry.version>1.68.0</opentelemetry.version>")
          .contains("tracewire-bom");
    });
  }

  @Test
  void theSupportedSdkStartsTheBridge() {
    runner.run(ctx -> assertThat(ctx).hasNotFailed());
  }

  @Test
  void versionsCompareByTheirNumbers() {
    assertThat(OpenTelemetryVersionCheck.compare("1.55.0", "1.68.0")).isNegative();
    assertThat(OpenTelemetryVersionCheck.compare("1.68.0", "1.68.0")).isZero();
    assertThat(OpenTelemetryVersionCheck.compare("1.70.1", "1.68.0")).isPositive();
    assertThat(OpenTelemetryVersionCheck.compare("1.100.0-alpha", "1.68.0")).isPositive();
    assertThat(OpenTelemetryVersionCheck.compare("2.0", "1.68.0")).isPositive();
  }

  @Test
  void theAnalyzerIsRegisteredWithSpringBoot() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring.factories")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .contains("io.tracewire.spring.IncompatibleOpenTelemetryFailureAnalyzer");
    }
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
