package io.tracewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayServeTest {
  @TempDir
  Path dir;

  @Test
  void replaySendsTheLogsRunsAsSpansWithTheirOriginalTimesAndTree() throws Exception {
    List<Span> received = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", ex -> {
      ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(ex.getRequestBody().readAllBytes());
      for (ResourceSpans rs : req.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          received.addAll(ss.getSpansList());
        }
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    try {
      Path log = LogFixtures.write(dir.resolve("old.jsonl"), LogFixtures.chain());
      CliTest.Result r = CliTest.run("replay", log.toString(), "--otlp-endpoint",
          "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
      assertThat(r.code()).as(r.out() + r.err()).isZero();
      assertThat(r.out()).contains("replayed " + LogFixtures.chain().size() + " events").contains("spansExported=3");
    } finally {
      server.stop(0);
    }
    assertThat(received).hasSize(3);
    Map<String, Span> byName = new HashMap<>();
    received.forEach(s -> byName.put(s.getName(), s));
    Span root = received.stream().filter(s -> s.getParentSpanId().isEmpty()).findFirst().orElseThrow();
    assertThat(root.getStartTimeUnixNano()).isEqualTo(LogFixtures.T0);
    assertThat(root.getEndTimeUnixNano()).isEqualTo(LogFixtures.T0 + 200_000_000L);
    assertThat(received).filteredOn(s -> s != root).allSatisfy(s -> {
      assertThat(s.getParentSpanId()).isEqualTo(root.getSpanId());
      assertThat(s.getTraceId()).isEqualTo(root.getTraceId());
    });
    assertThat(received).anySatisfy(s -> assertThat(s.getStatus().getCode().name()).isEqualTo("STATUS_CODE_ERROR"));
  }

  @Test
  void serveShowsTheLogsRunsOverHttp() throws Exception {
    Path log = LogFixtures.write(dir.resolve("served.jsonl"), LogFixtures.chain());
    Process p = TailProcessTest.java("io.tracewire.cli.Main", "serve", log.toString(), "--port", "0").start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertThat(first).startsWith("dashboard at http://127.0.0.1:");
      URI base = URI.create(first.substring("dashboard at ".length(), first.indexOf(" (")));
      HttpClient http = HttpClient.newHttpClient();
      String body = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline && !body.contains("agent")) {
        body = http.send(HttpRequest.newBuilder(base.resolve("/api/runs")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Thread.sleep(50);
      }
      assertThat(body).contains("\"agent\"");
    } finally {
      new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(p.exitValue()).isEqualTo(130);
  }
}
