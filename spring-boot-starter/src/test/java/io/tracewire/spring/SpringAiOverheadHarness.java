package io.tracewire.spring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Overhead figure of the Spring AI bridge: the same streamed ChatClient prompt (real Spring AI
 * OpenAI client, a recorded OpenAI stream served by a JDK HTTP server on loopback) in two application
 * contexts, one with Tracewire off ({@code tracewire.enabled=false}: no bridge at all) and one
 * with the bridge and a JSONL sink (policy block). Rounds alternate between the two to spread
 * machine noise; it prints per-call latency (mean, p50, p90, p99) and the difference.
 *
 * <p>Not a test (no timing is asserted). Run it with
 * {@code mvn -B -pl spring-boot-starter -am -Poverhead test-compile} (system properties
 * {@code rounds}, {@code calls}, {@code warmup} change the sizes). Single-threaded; it ends by
 * itself.
 */
public final class SpringAiOverheadHarness {
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  private SpringAiOverheadHarness() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("rounds", 6);
    int calls = Integer.getInteger("calls", 300);
    int warmup = Integer.getInteger("warmup", 500);
    Path dir = Files.createTempDirectory("tracewire-overhead");
    // the JDK server with TCP_NODELAY: MockWebServer's separate header and body writes meet the
    // client's delayed ACK (~40 ms a call), which would bury the figure being measured
    System.setProperty("sun.net.httpserver.nodelay", "true");
    byte[] body = ProviderReplay.resource("openai-text.sse").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/v1/chat/completions", ex -> {
      ex.getRequestBody().readAllBytes();
      ex.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      try (java.io.OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
    server.start();
    String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    try {
      String[] common = {
          "spring.main.web-application-type=none", "spring.main.banner-mode=off",
          "logging.level.root=WARN", "spring.ai.model.chat=openai", "spring.ai.model.embedding=none",
          "spring.ai.model.image=none", "spring.ai.model.audio.speech=none",
          "spring.ai.model.audio.transcription=none", "spring.ai.model.moderation=none",
          "spring.ai.openai.api-key=sk-test-not-a-secret", "spring.ai.openai.chat.model=gpt-4o-mini",
          "spring.ai.openai.base-url=" + baseUrl};
      try (ConfigurableApplicationContext off = context(common, "tracewire.enabled=false");
          ConfigurableApplicationContext on = context(common, "tracewire.jsonl.path=" + dir.resolve("events.jsonl"),
              "tracewire.jsonl.policy=block")) {
        ChatClient plain = off.getBean(ChatClient.Builder.class).build();
        ChatClient traced = on.getBean(ChatClient.Builder.class).build();
        measure(plain, warmup);
        measure(traced, warmup);
        List<long[]> offRuns = new ArrayList<>();
        List<long[]> onRuns = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          offRuns.add(measure(plain, calls));
          onRuns.add(measure(traced, calls));
        }
        on.getBean(io.tracewire.core.Tracewire.class).flush(Duration.ofSeconds(30));
        long[] a = concat(offRuns);
        long[] b = concat(onRuns);
        System.out.println(line("without bridge", a));
        System.out.println(line("with bridge+jsonl", b));
        System.out.printf(Locale.ROOT, "difference: mean %+.1f us/call (%+.1f%%), p50 %+.1f us%n",
            (mean(b) - mean(a)) / 1e3, 100.0 * (mean(b) - mean(a)) / mean(a),
            (pct(b, 0.5) - pct(a, 0.5)) / 1e3);
        System.out.println("sinks: " + on.getBean(io.tracewire.core.Tracewire.class).stats());
      }
    } finally {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
  }

  private static ConfigurableApplicationContext context(String[] common, String... extra) {
    String[] props = Arrays.copyOf(common, common.length + extra.length);
    System.arraycopy(extra, 0, props, common.length, extra.length);
    return new SpringApplicationBuilder(App.class).properties(props).run();
  }

  private static long[] measure(ChatClient client, int calls) {
    long[] t = new long[calls];
    for (int i = 0; i < calls; i++) {
      long s = System.nanoTime();
      List<String> pieces = client.prompt().user("Say hello").stream().content().collectList()
          .block(Duration.ofSeconds(30));
      t[i] = System.nanoTime() - s;
      if (pieces == null || !String.join("", pieces).equals("Hello!")) {
        throw new IllegalStateException("unexpected answer " + pieces);
      }
    }
    return t;
  }

  private static long[] concat(List<long[]> runs) {
    return runs.stream().flatMapToLong(Arrays::stream).sorted().toArray();
  }

  private static double mean(long[] sorted) {
    return Arrays.stream(sorted).average().orElse(Double.NaN);
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  private static String line(String name, long[] sorted) {
    return String.format(Locale.ROOT, "%-18s n=%d mean=%.1f us p50=%.1f us p90=%.1f us p99=%.1f us", name,
        sorted.length, mean(sorted) / 1e3, pct(sorted, 0.5) / 1e3, pct(sorted, 0.9) / 1e3, pct(sorted, 0.99) / 1e3);
  }
}
