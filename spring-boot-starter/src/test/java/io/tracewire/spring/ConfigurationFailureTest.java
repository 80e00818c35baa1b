package io.tracewire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.Tracewire;
import io.tracewire.dashboard.Dashboard;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Settings that cannot work fail the startup with a message that names the property. */
class ConfigurationFailureTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TracewireAutoConfiguration.class));

  private static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append('\n');
    }
    return sb.toString();
  }

  @Test
  void anUnknownOverflowPolicyNamesTheProperty(@TempDir Path dir) {
    runner.withPropertyValues("tracewire.jsonl.path=" + dir.resolve("e.jsonl"), "tracewire.jsonl.policy=drop-everything")
        .run(ctx -> {
          assertThat(ctx).hasFailed();
          assertThat(messages(ctx.getStartupFailure())).contains("tracewire.jsonl.policy");
        });
  }

  @Test
  void aJsonlPathThatCannotBeWrittenNamesTheProperty(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    runner.withPropertyValues("tracewire.jsonl.path=" + file.resolve("events.jsonl")).run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(TracewireConfigurationException.class);
      assertThat(messages(ctx.getStartupFailure())).contains("tracewire.jsonl.path");
    });
    runner.withPropertyValues("tracewire.jsonl.path=" + dir).run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(messages(ctx.getStartupFailure())).contains("tracewire.jsonl.path").contains("is a directory");
    });
  }

  @Test
  void aDashboardPortInUseNamesTheProperty() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      runner.withPropertyValues("tracewire.dashboard.enabled=true", "tracewire.dashboard.port=" + taken.getLocalPort())
          .run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(messages(ctx.getStartupFailure())).contains("tracewire.dashboard.port");
          });
    }
  }

  @Test
  void aNonLoopbackDashboardWithoutATokenIsRefusedAndWithOneServes() {
    runner.withPropertyValues("tracewire.dashboard.enabled=true", "tracewire.dashboard.port=0",
        "tracewire.dashboard.bind=0.0.0.0").run(ctx -> {
          assertThat(ctx).hasFailed();
          assertThat(messages(ctx.getStartupFailure())).contains("tracewire.dashboard.token");
        });
    runner.withPropertyValues("tracewire.dashboard.enabled=true", "tracewire.dashboard.port=0",
        "tracewire.dashboard.bind=0.0.0.0", "tracewire.dashboard.token=0123456789abcdef-test").run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx.getBean(Dashboard.class).port()).isPositive();
        });
  }

  @Test
  void credentialsInAnOtlpEndpointFailTheStartupWithoutBeingRepeated() {
    for (String property : new String[] {"tracewire.otel.endpoint", "tracewire.otel.logs.endpoint"}) {
      for (String endpoint : new String[] {"http://bob:s3cr3t@127.0.0.1:4318/v1/traces",
          "http://127.0.0.1:4318/v1/traces?api_key=s3cr3t", "http ://bad/?api_key=s3cr3t"}) {
        runner.withPropertyValues("tracewire.otel.enabled=true", "tracewire.otel.logs.enabled=true",
            property + "=" + endpoint).run(ctx -> {
              assertThat(ctx).hasFailed();
              Throwable failure = ctx.getStartupFailure();
              java.io.StringWriter trace = new java.io.StringWriter();
              failure.printStackTrace(new java.io.PrintWriter(trace));
              assertThat(trace.toString()).as("%s=%s", property, endpoint).doesNotContain("s3cr3t")
                  .contains(property + "=");
              TracewireConfigurationException e = findCause(failure, TracewireConfigurationException.class);
              var analysis = new TracewireConfigurationFailureAnalyzer().analyze(e);
              assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("s3cr3t");
              assertThat(String.valueOf(e.value())).doesNotContain("s3cr3t");
            });
      }
    }
  }

  private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + t);
  }

  @Test
  void aFailureAnalysisNamesTheProperty() {
    var analysis = new TracewireConfigurationFailureAnalyzer().analyze(
        new TracewireConfigurationException("tracewire.jsonl.path", "/x", "cannot be written", null));
    assertThat(analysis.getDescription()).contains("tracewire.jsonl.path");
    assertThat(analysis.getAction()).contains("tracewire.jsonl.path");
  }

  @Test
  void noPropertiesInstallsTracewireWithoutSinksAndClosesIt() {
    runner.run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx.getBean(Tracewire.class).stats()).isEmpty();
      assertThat(ctx).doesNotHaveBean(Dashboard.class);
    });
    runner.withPropertyValues("tracewire.enabled=false").run(ctx -> assertThat(ctx).doesNotHaveBean(Tracewire.class));
  }
}
