package io.tracewire.spring.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The starter's warning "the OpenTelemetry Java agent is present but the run-context storage is
 * threadlocal" under the real agent: {@link AgentWarningApp} runs in a forked JVM with
 * {@code -javaagent:opentelemetry-javaagent.jar} (the agent from Maven Central, copied into
 * {@code target/agent} by the build) and starts two application contexts. With
 * {@code -Dtracewire.context.storage=threadlocal} the warning is logged exactly once; with the
 * default storage (the OpenTelemetry one, right under the agent) it is not logged; without the
 * agent it is not logged either.
 */
class AgentStorageWarningIT {
  static final String WARNING = "the OpenTelemetry Java agent is present but the run-context storage is";

  @TempDir
  Path dir;

  private static Path agentJar() {
    String p = System.getProperty("tracewire.otel.javaagent");
    Path jar = p == null ? null : Path.of(p);
    if (jar == null || !Files.isRegularFile(jar)) {
      String msg = "AgentStorageWarningIT skipped: the OpenTelemetry Java agent jar is missing (" + p + "); "
          + "`mvn -pl spring-boot-starter -am verify` copies it from Maven Central into target/agent";
      System.out.println(msg);
      if (Boolean.getBoolean("tracewire.requireExternal")) {
        throw new AssertionError(msg);
      }
      Assumptions.abort(msg);
    }
    return jar;
  }

  /** The forked application's standard output and error, after it exited with status 0. */
  private String run(Path agent, String storage) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    if (agent != null) {
      cmd.addAll(List.of("-javaagent:" + agent, "-Dotel.javaagent.logging=simple", "-Dotel.traces.exporter=none",
          "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none"));
    }
    if (storage != null) {
      cmd.add("-Dtracewire.context.storage=" + storage);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentWarningApp.class.getName(), "2"));
    Path out = Files.createTempFile(dir, "app", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("the app did not exit within 180 s:\n" + Files.readString(out));
    }
    String log = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(log).isZero();
    assertThat(log).as(log).contains("CONTEXT 1 STARTED", "CONTEXT 2 STARTED");
    if (agent != null) {
      assertThat(log).as("the agent ran: " + log).contains("opentelemetry-javaagent");
    }
    return log;
  }

  private static long warnings(String log) {
    return log.lines().filter(l -> l.contains(WARNING)).count();
  }

  @Test
  void underTheAgentWithTheThreadLocalStorageTheWarningIsLoggedExactlyOnce() throws Exception {
    String log = run(agentJar(), "threadlocal");
    assertThat(log).contains("STORAGE threadlocal");
    assertThat(warnings(log)).as(log).isEqualTo(1);
    assertThat(log.lines().filter(l -> l.contains(WARNING)).findFirst().orElseThrow())
        .contains("WARN").contains("tracewire.context.storage");
  }

  @Test
  void underTheAgentWithTheDefaultStorageNothingIsWarned() throws Exception {
    String log = run(agentJar(), null);
    assertThat(log).contains("STORAGE otel");
    assertThat(warnings(log)).as(log).isZero();
  }

  @Test
  void withoutTheAgentTheThreadLocalStorageIsNotWarnedAbout() throws Exception {
    agentJar();
    String log = run(null, "threadlocal");
    assertThat(log).contains("STORAGE threadlocal");
    assertThat(log).doesNotContain("opentelemetry-javaagent");
    assertThat(warnings(log)).as(log).isZero();
  }
}
