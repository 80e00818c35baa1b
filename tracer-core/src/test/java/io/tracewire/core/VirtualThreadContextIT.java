package io.tracewire.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual threads, StructuredTaskScope and ScopedValue on a JDK 21+ (the machine's Temurin 25,
 * found through TRACEWIRE_JDK25_HOME or /usr/lib/jvm/temurin-25-jdk-amd64): compiles
 * {@code jdk25/VirtualThreadRuns.java} against tracer-core's classes with that JDK, runs it, and
 * checks the parent of every child run. Skipped with a message when no such JDK is installed,
 * unless -Dtracewire.requireExternal=true (CI), where that is a failure.
 */
class VirtualThreadContextIT {
  @TempDir
  static Path dir;

  static Map<String, List<String[]>> starts = new LinkedHashMap<>();

  static Path jdk() {
    String env = System.getenv("TRACEWIRE_JDK25_HOME");
    Path p = Path.of(env != null && !env.isBlank() ? env : "/usr/lib/jvm/temurin-25-jdk-amd64");
    return Files.isExecutable(p.resolve("bin/javac")) ? p : null;
  }

  @BeforeAll
  static void runProgramOnJdk25() throws Exception {
    Path jdk = jdk();
    if (jdk == null) {
      String msg = "a JDK 25 is missing (set TRACEWIRE_JDK25_HOME or install Temurin 25 in /usr/lib/jvm/temurin-25-jdk-amd64): "
          + "virtual-thread context tests are skipped";
      if (Boolean.getBoolean("tracewire.requireExternal")) {
        throw new AssertionError(msg);
      }
      assumeTrue(false, msg);
    }
    Path src = dir.resolve("VirtualThreadRuns.java");
    try (InputStream in = VirtualThreadContextIT.class.getResourceAsStream("/jdk25/VirtualThreadRuns.java")) {
      Files.copy(in, src);
    }
    // tracer-core has a module-info, so the test JVM may hold its classes on the module path
    String cp = System.getProperty("java.class.path");
    String mp = System.getProperty("jdk.module.path");
    if (mp != null && !mp.isBlank()) {
      cp = mp + java.io.File.pathSeparator + cp;
    }
    run(List.of(jdk.resolve("bin/javac").toString(), "--release", "25", "--enable-preview", "-Xlint:-preview",
        "-cp", cp, "-d", dir.toString(), src.toString()));
    String out = run(List.of(jdk.resolve("bin/java").toString(), "--enable-preview", "-cp", cp + java.io.File.pathSeparator + dir,
        "VirtualThreadRuns"));
    for (String line : out.split("\n")) {
      if (line.startsWith("START ")) {
        String[] f = line.split(" ", -1);
        starts.computeIfAbsent(f[1], k -> new ArrayList<>()).add(new String[] {f[2], f[3]});
      }
    }
  }

  static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] bytes = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished: %s", cmd).isTrue();
    String out = new String(bytes, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("exit of %s; output:%n%s", cmd.get(0), out).isZero();
    return out;
  }

  /** The child started inside {@code parent}'s body, whose only start event is the one named. */
  static void assertChildOf(String parent) {
    assertThat(starts.get(parent)).as(parent).hasSize(1);
    String parentId = starts.get(parent).get(0)[0];
    assertThat(starts.get(parent).get(0)[1]).as("%s is a root", parent).isEmpty();
    assertThat(starts.get("child")).extracting(s -> s[1]).as("a child of %s", parent).contains(parentId);
  }

  @Test
  void aWrappedVirtualThreadExecutorKeepsTheParent() {
    assertChildOf("vt-executor-wrapped");
  }

  @Test
  void aContextThreadFactoryForVirtualThreadsKeepsTheParent() {
    assertChildOf("vt-factory");
  }

  @Test
  void structuredTaskScopeForksKeepTheParentWithAWrappedTask() {
    assertChildOf("sts-wrapped-task");
  }

  @Test
  void structuredTaskScopeForksKeepTheParentWithTheContextThreadFactory() {
    assertChildOf("sts-thread-factory");
  }

  @Test
  void aScopedValueBindingInsideARunKeepsTheParent() {
    assertChildOf("scoped-value");
  }

  @Test
  void theAsyncMethodsCarryTheContextToAVirtualThreadExecutor() {
    assertChildOf("async-on-virtual-thread");
  }

  @Test
  void twoThousandConcurrentVirtualThreadsEachKeepTheirOwnParent() {
    Map<String, String> parentIdByName = new LinkedHashMap<>();
    starts.forEach((name, l) -> {
      if (name.startsWith("many-")) {
        parentIdByName.put(name, l.get(0)[0]);
      }
    });
    assertThat(parentIdByName).hasSize(2000);
    List<String> childParents = starts.get("child").stream().map(s -> s[1]).toList();
    assertThat(childParents).containsAll(parentIdByName.values());
  }

  @Test
  void aBareVirtualThreadStartsANewRootAsDocumented() {
    // a thread started by hand gets no context: docs/context.md says to wrap the task
    assertThat(starts.get("child")).filteredOn(s -> s[1].isEmpty()).hasSize(1);
  }
}
