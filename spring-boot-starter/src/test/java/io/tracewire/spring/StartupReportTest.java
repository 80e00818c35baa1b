package io.tracewire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What the starter says at startup, and the JSONL directory it prepares. */
class StartupReportTest {
  private final Logger logger = Logger.getLogger("io.tracewire.spring");
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      records.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(starterAutoConfigurations()));

  /** Every auto-configuration the starter registers, as Boot finds them. */
  private static Class<?>[] starterAutoConfigurations() {
    List<Class<?>> out = new ArrayList<>();
    ClassLoader cl = StartupReportTest.class.getClassLoader();
    for (String name : ImportCandidates.load(AutoConfiguration.class, cl)) {
      if (name.startsWith("io.tracewire.spring.Tracewire")) {
        try {
          out.add(Class.forName(name, false, cl));
        } catch (ClassNotFoundException e) {
          throw new AssertionError(e);
        }
      }
    }
    return out.toArray(Class<?>[]::new);
  }

  @BeforeEach
  void capture() {
    logger.addHandler(handler);
    logger.setLevel(Level.ALL);
  }

  @AfterEach
  void release() {
    logger.removeHandler(handler);
    logger.setLevel(null);
  }

  private List<String> messages(Level level) {
    List<String> out = new ArrayList<>();
    for (LogRecord r : records) {
      if (r.getLevel().equals(level) && r.getMessage().startsWith("Tracewire")) {
        out.add(r.getMessage());
      }
    }
    return out;
  }

  @Test
  void oneLineAtStartupNamesTheJsonlFileTheDashboardAndTheOtlpEndpoint(@TempDir Path dir) {
    Path file = dir.resolve("events.jsonl");
    runner.withPropertyValues("tracewire.jsonl.path=" + file, "tracewire.dashboard.enabled=true",
        "tracewire.dashboard.port=0", "tracewire.otel.enabled=true",
        "tracewire.otel.endpoint=http://127.0.0.1:4318/v1/traces").run(ctx -> {
          assertThat(ctx).hasNotFailed();
          int port = ctx.getBean(io.tracewire.dashboard.Dashboard.class).port();
          assertThat(messages(Level.INFO)).as("startup lines").singleElement().satisfies(line -> assertThat(line)
              .contains("JSONL " + file.toAbsolutePath())
              .contains("dashboard http://127.0.0.1:" + port)
              .contains("OTLP spans http://127.0.0.1:4318/v1/traces"));
        });
  }

  @Test
  void theStartupLineRedactsAnEndpointFromTheEnvironment() {
    assertThat(TracewireStartupReport.safe(" https://user:secret@collector:4318/v1/traces?api_key=secret "))
        .isEqualTo("https://***@collector:4318/v1/traces?***");
  }

  @Test
  void theStartupLineListsOnlyWhatIsOn(@TempDir Path dir) {
    runner.withPropertyValues("tracewire.jsonl.path=" + dir.resolve("only.jsonl")).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(messages(Level.INFO)).singleElement().satisfies(line -> assertThat(line)
          .contains("only.jsonl").doesNotContain("dashboard").doesNotContain("OTLP"));
    });
  }

  @Test
  void aMissingJsonlDirectoryIsCreated(@TempDir Path dir) {
    Path file = dir.resolve("logs/tracewire/events.jsonl");
    runner.withPropertyValues("tracewire.jsonl.path=" + file).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(Files.isDirectory(file.getParent())).isTrue();
      assertThat(file).exists();
    });
  }

  @Test
  void theAgentWarningIsDueOnlyForTheAgentWithAThreadLocalStorage() {
    assertThat(TracewireStartupReport.agentWarning(true, "threadlocal")).hasValueSatisfying(w -> assertThat(w)
        .contains("OpenTelemetry Java agent").contains("threadlocal").contains("tracewire.context.storage"));
    assertThat(TracewireStartupReport.agentWarning(true, "otel")).isEmpty();
    assertThat(TracewireStartupReport.agentWarning(false, "threadlocal")).isEmpty();
  }

  @Test
  void theAgentWarningIsLoggedOnce() {
    AtomicBoolean warned = new AtomicBoolean();
    String w = TracewireStartupReport.agentWarning(true, "threadlocal").orElseThrow();
    TracewireStartupReport.warnOnce(warned, w);
    TracewireStartupReport.warnOnce(warned, w);
    assertThat(messages(Level.WARNING)).containsExactly(w);
  }

  @Test
  void withoutTheAgentNoAgentIsDetectedAndNothingIsWarned(@TempDir Path dir) {
    assertThat(TracewireStartupReport.agentPresent()).isFalse();
    runner.withPropertyValues("tracewire.jsonl.path=" + dir.resolve("e.jsonl")).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(messages(Level.WARNING)).isEmpty();
    });
  }
}
