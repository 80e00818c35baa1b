package io.tracewire.spring;

import com.sun.net.httpserver.HttpServer;
import io.tracewire.core.Tracewire;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Overhead of tracing a streamed Spring AI call, in the setups of issue 22 item 7: the same
 * streamed ChatClient prompt (the real Spring AI OpenAI client, a recorded OpenAI stream served by
 * a JDK HTTP server on loopback, no delay) in one application context per setup, all in one JVM:
 *
 * <ul>
 *   <li>{@code plain}: no tracing at all (Tracewire off, Boot's tracing excluded), the baseline;
 *   <li>{@code spring}: Spring AI's observations with Micrometer tracing over the OpenTelemetry
 *       bridge (Boot's SDK, OTLP over HTTP), Tracewire off;
 *   <li>{@code tracewire}: Tracewire's OpenTelemetry bridge ({@code tracewire.otel.enabled=true},
 *       its standalone SDK, OTLP over HTTP), Boot's tracing excluded;
 *   <li>{@code both}: the two together ({@code tracewire.otel.gen-ai-spans} at its default);
 *   <li>{@code tracewire-content}, {@code tracewire-jsonl} (not in the default list): the
 *       {@code tracewire} setup with content capture on, or with a JSONL sink instead of OTLP.
 * </ul>
 *
 * <p>Both sides export to the same discarding OTLP endpoint on the replay server (it reads each
 * request and answers an empty {@code ExportTraceServiceResponse}); the harness prints the
 * requests and bytes each setup exported, so a setup that exports nothing shows. Rounds alternate
 * the setups (in a rotating order) so machine noise spreads over all of them; it prints per
 * setup the median, p90 and the spread of the per-round medians, and each setup's median against
 * {@code plain}.
 *
 * <p>Not a test (no timing is asserted). Run it with
 * {@code mvn -B -o -pl spring-boot-starter -am -Poverhead test-compile -Dmaven.javadoc.skip=true}; system
 * properties {@code rounds}, {@code calls}, {@code warmup} and {@code setups} (comma-separated)
 * change the sizes and the setups. Single-threaded; it ends by itself.
 */
public final class SpringAiOverheadHarness {
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  /** Boot's own tracing, which the starter's test {@code application.properties} excludes. */
  private static final String BOOT_TRACING = "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration,"
      + "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration,"
      + "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration";

  private SpringAiOverheadHarness() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("rounds", 8);
    int calls = Integer.getInteger("calls", 300);
    int warmup = Integer.getInteger("warmup", 1000);
    List<String> setups = List.of(System.getProperty("setups", "plain,spring,tracewire,both").split(","));
    Path dir = Files.createTempDirectory("tracewire-overhead");
    // the JDK server with TCP_NODELAY: MockWebServer's separate header and body writes meet the
    // client's delayed ACK (~40 ms a call), which would bury the figure being measured
    System.setProperty("sun.net.httpserver.nodelay", "true");
    byte[] body = ProviderReplay.resource("openai-text.sse").getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/v1/chat/completions", ex -> {
      ex.getRequestBody().readAllBytes();
      ex.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    Map<String, LongAdder[]> exported = new ConcurrentHashMap<>();
    server.createContext("/otlp/", ex -> {
      byte[] in = ex.getRequestBody().readAllBytes();
      String setup = ex.getRequestURI().getPath().split("/")[2];
      LongAdder[] c = exported.computeIfAbsent(setup, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
      c[0].increment();
      c[1].add(in.length);
      ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      ex.sendResponseHeaders(200, -1); // an empty ExportTraceServiceResponse
      ex.close();
    });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    Map<String, ConfigurableApplicationContext> contexts = new LinkedHashMap<>();
    try {
      for (String s : setups) {
        contexts.put(s, context(s, base, dir));
      }
      Map<String, ChatClient> clients = new LinkedHashMap<>();
      contexts.forEach((s, ctx) -> clients.put(s, ctx.getBean(ChatClient.Builder.class).build()));
      for (ChatClient c : clients.values()) {
        measure(c, warmup);
      }
      Map<String, List<long[]>> runs = new LinkedHashMap<>();
      setups.forEach(s -> runs.put(s, new ArrayList<>()));
      System.out.printf(Locale.ROOT, "%s: %d rounds x %d calls per setup, warmup %d, load average %s%n",
          Instant.now(), rounds, calls, warmup, loadAverage());
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < setups.size(); i++) {
          String s = setups.get((i + r) % setups.size());
          runs.get(s).add(measure(clients.get(s), calls));
        }
      }
      System.out.printf(Locale.ROOT, "%s: done, load average %s%n", Instant.now(), loadAverage());
      for (Map.Entry<String, ConfigurableApplicationContext> e : contexts.entrySet()) {
        if (e.getValue().getBeanNamesForType(Tracewire.class).length > 0) {
          e.getValue().getBean(Tracewire.class).flush(Duration.ofSeconds(30));
        }
      }
      double basePct50 = runs.containsKey("plain") ? pct(concat(runs.get("plain")), 0.5) : Double.NaN;
      for (String s : setups) {
        long[] all = concat(runs.get(s));
        double[] roundMedians = runs.get(s).stream().mapToDouble(t -> pct(sorted(t), 0.5)).sorted().toArray();
        double p50 = pct(all, 0.5);
        System.out.println(String.format(Locale.ROOT,
            "%-17s n=%d p50=%.1f us p90=%.1f us mean=%.1f us  round p50s %.1f..%.1f us  vs plain p50 %+.1f us (%+.2f%%)",
            s, all.length, p50 / 1e3, pct(all, 0.9) / 1e3, mean(all) / 1e3, roundMedians[0] / 1e3,
            roundMedians[roundMedians.length - 1] / 1e3, (p50 - basePct50) / 1e3, 100 * (p50 - basePct50) / basePct50));
      }
    } finally {
      for (ConfigurableApplicationContext ctx : contexts.values()) {
        ctx.close(); // flushes each side's exporter
      }
      server.stop(0);
      ((ExecutorService) server.getExecutor()).shutdownNow();
    }
    exported.forEach((s, c) -> System.out.printf(Locale.ROOT, "exported by %s: %d OTLP requests, %d bytes%n", s,
        c[0].sum(), c[1].sum()));
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static ConfigurableApplicationContext context(String setup, String base, Path dir) {
    List<String> props = new ArrayList<>(List.of(
        "spring.main.banner-mode=off", "spring.application.name=overhead-" + setup,
        "logging.level.root=WARN", "spring.ai.model.chat=openai", "spring.ai.model.embedding=none",
        "spring.ai.model.image=none", "spring.ai.model.audio.speech=none",
        "spring.ai.model.audio.transcription=none", "spring.ai.model.moderation=none",
        "spring.ai.openai.api-key=sk-test-not-a-secret", "spring.ai.openai.chat.model=gpt-4o-mini",
        "spring.ai.openai.base-url=" + base + "/v1"));
    boolean springTracing = setup.equals("spring") || setup.equals("both");
    if (springTracing) {
      props.addAll(List.of("spring.autoconfigure.exclude=", "management.tracing.sampling.probability=1.0",
          "management.opentelemetry.tracing.export.otlp.endpoint=" + base + "/otlp/" + setup + "/v1/traces"));
    } else {
      props.add("spring.autoconfigure.exclude=" + BOOT_TRACING);
    }
    switch (setup) {
      case "plain", "spring" -> props.add("tracewire.enabled=false");
      case "tracewire", "tracewire-content", "both" -> {
        props.add("tracewire.otel.enabled=true");
        props.add("tracewire.otel.endpoint=" + base + "/otlp/" + setup + "/v1/traces");
        props.add("tracewire.otel.content-capture=" + setup.equals("tracewire-content"));
      }
      case "tracewire-jsonl" -> {
        props.add("tracewire.jsonl.path=" + dir.resolve("events.jsonl"));
        props.add("tracewire.jsonl.policy=block");
      }
      default -> throw new IllegalArgumentException("unknown setup " + setup);
    }
    // command-line arguments: they win over the starter's test application.properties
    return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
        .run(props.stream().map(p -> "--" + p).toArray(String[]::new));
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

  private static long[] sorted(long[] t) {
    long[] c = t.clone();
    Arrays.sort(c);
    return c;
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
}
