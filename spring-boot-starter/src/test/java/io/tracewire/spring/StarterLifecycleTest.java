package io.tracewire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tracewire.core.Tracewire;
import io.tracewire.core.sink.SinkStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The Tracewire bean's lifecycle: installed at startup, flushed and closed with the context; meters. */
class StarterLifecycleTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TracewireAutoConfiguration.class, TracewireActuatorAutoConfiguration.class));

  @Test
  void contextShutdownFlushesTheJsonlFileAndUninstalls(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("events.jsonl");
    Tracewire[] installed = new Tracewire[1];
    runner.withPropertyValues("tracewire.jsonl.path=" + file, "tracewire.jsonl.fsync=per-batch",
        "tracewire.jsonl.rotation.max-size=10MB").run(ctx -> {
          assertThat(ctx).hasNotFailed();
          installed[0] = ctx.getBean(Tracewire.class);
          assertThat(Tracewire.trace("lifecycle", () -> "done")).isEqualTo("done");
        });
    // closed by the context: everything that was queued is in the file, and new runs reach no sink
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).anyMatch(l -> l.contains("\"on_chain_start\"") && l.contains("lifecycle"));
    assertThat(lines).anyMatch(l -> l.contains("\"on_chain_end\"") && l.contains("lifecycle"));
    long before = installed[0].stats().get(0).queued();
    Tracewire.trace("after-close", () -> "x");
    assertThat(installed[0].stats().get(0).queued()).isEqualTo(before);
  }

  @Test
  void sinkCountersAreMicrometerMeters(@TempDir Path dir) {
    runner.withPropertyValues("tracewire.jsonl.path=" + dir.resolve("e.jsonl")).run(ctx -> {
      Tracewire tw = ctx.getBean(Tracewire.class);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      ctx.getBean(TracewireMetrics.class).bindTo(registry);
      Tracewire.trace("metered", () -> 1);
      assertThat(tw.flush(java.time.Duration.ofSeconds(5))).isTrue();
      SinkStats s = tw.stats().get(0);
      FunctionCounter queued = registry.find("tracewire.sink.events").tags("sink", "jsonl", "outcome", "queued")
          .functionCounter();
      FunctionCounter delivered = registry.find("tracewire.sink.events").tags("sink", "jsonl", "outcome", "delivered")
          .functionCounter();
      assertThat(queued.count()).isEqualTo(s.queued()).isGreaterThanOrEqualTo(2);
      assertThat(delivered.count()).isEqualTo(tw.stats().get(0).delivered());
      assertThat(registry.find("tracewire.sink.events").tags("outcome", "failed").functionCounter().count()).isZero();
      assertThat(registry.find("tracewire.sink.queue.max.depth").gauge()).isNotNull();
    });
  }

  @Test
  void otlpLogRecordsAreASinkOfTheirOwnAndABadEndpointNamesTheProperty() {
    runner.withPropertyValues("tracewire.otel.enabled=true", "tracewire.otel.endpoint=http://127.0.0.1:1",
        "tracewire.otel.logs.enabled=true").run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx.getBean(Tracewire.class).stats()).extracting(SinkStats::name).containsExactly("otlp-logs");
        });
    runner.withPropertyValues("tracewire.otel.logs.enabled=true", "tracewire.otel.logs.endpoint=ftp://nowhere")
        .run(ctx -> {
          assertThat(ctx).hasFailed();
          assertThat(ctx.getStartupFailure()).hasStackTraceContaining("tracewire.otel.logs.endpoint=ftp://nowhere");
        });
  }
}
