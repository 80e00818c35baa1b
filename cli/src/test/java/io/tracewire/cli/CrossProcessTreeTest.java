package io.tracewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.core.RemoteParent;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.jsonl.JsonlCodec;
import io.tracewire.exporters.jsonl.JsonlReader;
import io.tracewire.exporters.jsonl.ReadOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs, one tree: process A (RemoteCallerMain) runs two chains that each call process B
 * (RemoteServiceMain, a JDK HttpServer with the Tracewire filter), once with OkHttp and once with
 * the JDK client; both write JSONL into one directory. Every event of B must name A's exact
 * chain, and {@code tail --tree} and {@code serve} must show one tree per call.
 */
class CrossProcessTreeTest {
  /** One run of both processes (with B's filter) serves every test but the one without the filter. */
  @TempDir
  static Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void runBothProcessesOnce() throws Exception {
    runBothProcesses(dir, true);
  }

  /** Runs A against a fresh B (with or without B's filter), both logging into {@code dir}; returns when both exited. */
  private static void runBothProcesses(Path dir, boolean serverFilter) throws Exception {
    ProcessBuilder pb = serverFilter ? TailProcessTest.java("io.tracewire.cli.RemoteServiceMain", dir.toString())
        : TailProcessTest.java("io.tracewire.cli.RemoteServiceMain", dir.toString(), "--no-filter");
    Process b = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(b.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertThat(first).as("process B's first line").startsWith("port=");
      URI base = URI.create("http://127.0.0.1:" + first.substring("port=".length()));
      Process a = TailProcessTest.java("io.tracewire.cli.RemoteCallerMain", dir.toString(), base.resolve("/run").toString())
          .redirectErrorStream(true).start();
      String aOut = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(a.exitValue()).as(aOut).isZero();
      String stats = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/stop")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(b.exitValue()).isZero();
      if (serverFilter) {
        assertThat(stats).contains("remoteParents=2").contains("rejectedTraceparent=0").contains("failures=0");
      }
    } finally {
      b.destroyForcibly();
    }
  }

  private static List<StreamEvent> read(Path dir, String file) throws Exception {
    List<StreamEvent> events = new ArrayList<>();
    Path f = dir.resolve(file);
    try (JsonlReader r = JsonlReader.open(JsonlReader.logFiles(f), new JsonlCodec(),
        new ReadOptions(ReadOptions.DEFAULT_MAX_LINE_BYTES, null))) {
      while (r.hasNext()) {
        events.add(r.next());
      }
    }
    return events;
  }

  @Test
  void everyEventOfTheCalleeNamesTheCallersExactChain() throws Exception {
    List<StreamEvent> a = read(dir, "caller-a.jsonl");
    List<StreamEvent> b = read(dir, "service-b.jsonl");

    // A: root -> call, for each of the two callers; map each call run to its root
    Map<String, String> rootOfCall = new HashMap<>();
    for (StreamEvent e : a) {
      if (e.event().equals("on_chain_start") && e.name().equals("call")) {
        assertThat(e.parentIds()).hasSize(1);
        rootOfCall.put(e.runId(), e.parentIds().get(0));
      }
    }
    assertThat(rootOfCall).hasSize(2);

    Map<String, List<String>> chainOf = new HashMap<>();
    for (StreamEvent e : b) {
      if (e.event().equals("on_chain_start") && e.name().equals("handler")) {
        Object call = e.metadata().get(RemoteParent.METADATA_KEY);
        assertThat(rootOfCall).containsKey((String) call);
        chainOf.put(e.runId(), List.of(rootOfCall.get(call), (String) call));
      }
    }
    assertThat(chainOf).hasSize(2);
    assertThat(b).hasSize(8);
    Map<String, String> handlerOfStep = new HashMap<>();
    for (StreamEvent e : b) {
      if (e.name().equals("handler")) {
        assertThat(e.parentIds()).as(e.event() + " of handler " + e.runId()).isEqualTo(chainOf.get(e.runId()));
      } else {
        assertThat(e.name()).isEqualTo("step");
        String handler = e.parentIds().get(e.parentIds().size() - 1);
        handlerOfStep.putIfAbsent(e.runId(), handler);
        List<String> expected = new ArrayList<>(chainOf.get(handler));
        expected.add(handler);
        assertThat(e.parentIds()).as(e.event() + " of step " + e.runId()).isEqualTo(expected);
        assertThat(e.metadata()).doesNotContainKey(RemoteParent.METADATA_KEY);
      }
    }
    assertThat(handlerOfStep).hasSize(2);
  }

  @Test
  void tailTreeOfTheDirectoryPrintsOneTreePerCallAcrossBothLogs() throws Exception {
    CliTest.Result r = CliTest.run("tail", dir.toString(), "--tree", "--no-follow");
    assertThat(r.code()).as(r.err()).isZero();
    String shape = r.out().replaceAll(" \\d+\\.\\dms", "");
    assertThat(shape).isEqualTo("""
        okhttp-caller [chain] ok
        └─ call [chain] ok
           └─ handler [chain] ok (remote parent)
              └─ step [chain] ok
        jdk-caller [chain] ok
        └─ call [chain] ok
           └─ handler [chain] ok (remote parent)
              └─ step [chain] ok
        """);
  }

  @Test
  void tailTreeFollowingTheDirectoryPrintsEachTreeOnceItsRemoteSubtreeEnded() throws Exception {
    Process tail = TailProcessTest.java("io.tracewire.cli.Main", "tail", dir.toString(), "--tree", "--from-start").start();
    StringBuilder out = new StringBuilder();
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(tail.getInputStream(), StandardCharsets.UTF_8));
      for (int i = 0; i < 8; i++) {
        String line = r.readLine();
        assertThat(line).as("line " + i + " after:\n" + out).isNotNull();
        out.append(line).append('\n');
      }
    } finally {
      new ProcessBuilder("kill", "-INT", String.valueOf(tail.pid())).start().waitFor();
      assertThat(tail.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(out.toString().replaceAll(" \\d+\\.\\dms", "")).isEqualTo("""
        okhttp-caller [chain] ok
        └─ call [chain] ok
           └─ handler [chain] ok (remote parent)
              └─ step [chain] ok
        jdk-caller [chain] ok
        └─ call [chain] ok
           └─ handler [chain] ok (remote parent)
              └─ step [chain] ok
        """);
  }

  @Test
  void tailTreeOfTheCalleesLogAloneMarksTheParentAsMissing() throws Exception {
    CliTest.Result r = CliTest.run("tail", dir.resolve("service-b.jsonl").toString(), "--tree", "--no-follow");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().replaceAll(" \\d+\\.\\dms", "").replaceAll("[0-9a-f-]{36}", "ID")).isEqualTo("""
        handler [chain] ok (remote parent ID, not in the log)
        └─ step [chain] ok
        handler [chain] ok (remote parent ID, not in the log)
        └─ step [chain] ok
        """);
  }

  @Test
  void withoutTheServerFilterTheContextIsLostAndTheCalleesRunsAreRoots(@TempDir Path own) throws Exception {
    runBothProcesses(own, false);
    List<StreamEvent> b = read(own, "service-b.jsonl");
    assertThat(b).filteredOn(e -> e.name().equals("handler")).allSatisfy(e -> assertThat(e.parentIds()).isEmpty());
  }

  @Test
  void serveOfTheDirectoryShowsOneTreePerCall() throws Exception {
    Process p = TailProcessTest.java("io.tracewire.cli.Main", "serve", dir.toString(), "--port", "0", "--no-follow").start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertThat(first).startsWith("dashboard at http://127.0.0.1:");
      URI base = URI.create(first.substring("dashboard at ".length(), first.indexOf(" (")));
      HttpClient http = HttpClient.newHttpClient();
      JsonNode list = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        list = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/api/summary")).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        if (list.path("events").asInt() == 16) {
          break;
        }
        Thread.sleep(50);
      }
      assertThat(list.path("events").asInt()).as(list.toString()).isEqualTo(16);
      list = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/api/runs")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      List<String> roots = new ArrayList<>();
      list.path("items").forEach(n -> roots.add(n.path("name").asText()));
      assertThat(roots).containsExactlyInAnyOrder("okhttp-caller", "jdk-caller");
      for (JsonNode root : list.path("items")) {
        JsonNode detail = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/api/runs/" + root.path("id").asText())).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        Map<String, JsonNode> byName = new HashMap<>();
        detail.path("runs").forEach(n -> byName.put(n.path("name").asText(), n));
        assertThat(byName).containsOnlyKeys(root.path("name").asText(), "call", "handler", "step");
        assertThat(byName.get("call").path("parent_id").asText()).isEqualTo(root.path("id").asText());
        assertThat(byName.get("handler").path("parent_id").asText()).isEqualTo(byName.get("call").path("id").asText());
        assertThat(byName.get("handler").path("depth").asInt()).isEqualTo(2);
        assertThat(byName.get("step").path("parent_id").asText()).isEqualTo(byName.get("handler").path("id").asText());
      }
    } finally {
      new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
      p.waitFor(30, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
  }
}
