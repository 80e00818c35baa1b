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
 *   <li>{@code tracewire-content}, {@code tracewire-jsonl}, {@code tracewire-nohook} (not in the
 *       default list): the {@code tracewire} setup with content capture on, with a JSONL sink
 *       instead of OTLP, or with {@code tracewire.spring-ai.reactor-context-propagation=false};
 *       {@code both-nohook}: {@code both} with that property {@code false}.
 * </ul>
 *
 * <p>Reactor's automatic context propagation ({@code Hooks.enableAutomaticContextPropagation()},
 * which the starter turns on by default) is global to the JVM: once one Tracewire context has
 * started, every setup pays for it. {@code -Dhook=per-setup} turns it on before each round of a
 * setup whose starter turns it on and off before the others, which is what separate JVMs would
 * see; the default ({@code global}) leaves it as the contexts set it.
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
 * properties {@code rounds}, {@code calls}, {@code warmup}, {@code setups} (comma-separated) and
 * {@code hook} change the sizes and the setups. Besides wall-clock latency it prints the CPU time
 * and the bytes allocated per call by all threads, which a loaded machine disturbs less. Single-threaded; it ends by itself.
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
    int rounds = Integer.getInteger("rounds", 30);
    int calls = Integer.getInteger("calls", 100);
    int warmup = Integer.getInteger("warmup", 1000);
    List<String> setups = List.of(System.getProperty("setups", "plain,spring,tracewire,both").split(","));
    boolean hookPerSetup = System.getProperty("hook", "global").equals("per-setup");
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
      Map<String, List<Double>> cpu = new LinkedHashMap<>();
      setups.forEach(s -> runs.put(s, new ArrayList<>()));
      setups.forEach(s -> cpu.put(s, new ArrayList<>()));
      Map<String, List<Double>> alloc = new LinkedHashMap<>();
      setups.forEach(s -> alloc.put(s, new ArrayList<>()));
      System.out.printf(Locale.ROOT, "%s: %d rounds x %d calls per setup, warmup %d, load average %s%n",
          Instant.now(), rounds, calls, warmup, loadAverage());
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < setups.size(); i++) {
          String s = setups.get((i + r) % setups.size());
          if (hookPerSetup) {
            // as in separate JVMs: only the setups whose starter turns the hook on pay for it
            if (usesHook(s)) {
              reactor.core.publisher.Hooks.enableAutomaticContextPropagation();
            } else {
              reactor.core.publisher.Hooks.disableAutomaticContextPropagation();
            }
          }
          long[] before = threadTotals();
          runs.get(s).add(measure(clients.get(s), calls));
          long[] after = threadTotals();
          cpu.get(s).add((after[0] - before[0]) / (double) calls);
          alloc.get(s).add((after[1] - before[1]) / (double) calls);
        }
      }
      System.out.printf(Locale.ROOT, "%s: done, load average %s%n", Instant.now(), loadAverage());
      for (Map.Entry<String, ConfigurableApplicationContext> e : contexts.entrySet()) {
        if (e.getValue().getBeanNamesForType(Tracewire.class).length > 0) {
          e.getValue().getBean(Tracewire.class).flush(Duration.ofSeconds(30));
        }
      }
      String ref = setups.get(0);
      double refP50 = pct(concat(runs.get(ref)), 0.5);
      System.out.println("wall: latency per call pooled over all rounds; per-round: each round's median against the"
          + " same round's " + ref + " (median and quartiles over rounds); cpu: CPU time of all live threads per"
          + " call (median and quartiles over rounds; the replay server's threads included); alloc: bytes"
          + " allocated by all live threads per call (median over rounds)");
      for (String s : setups) {
        long[] all = concat(runs.get(s));
        double p50 = pct(all, 0.5);
        double[] ratio = new double[rounds];
        double[] cpuDelta = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          ratio[r] = 100 * (pct(sorted(runs.get(s).get(r)), 0.5) / pct(sorted(runs.get(ref).get(r)), 0.5) - 1);
          cpuDelta[r] = cpu.get(s).get(r) - cpu.get(ref).get(r);
        }
        double[] bytes = alloc.get(s).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] refBytes = alloc.get(ref).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Arrays.sort(ratio);
        Arrays.sort(cpuDelta);
        double[] cpus = cpu.get(s).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.println(String.format(Locale.ROOT,
            "%-17s n=%d wall p50 %.1f us p90 %.1f us (p50 %+.2f%% vs %s) | per-round p50 %+.2f%% [%+.2f%%, %+.2f%%]"
                + " | cpu %.1f us/call [%.1f, %.1f], %+.1f us vs %s [%+.1f, %+.1f] | alloc %.1f KB/call (%+.1f)",
            s, all.length, p50 / 1e3, pct(all, 0.9) / 1e3, 100 * (p50 / refP50 - 1), ref,
            q(ratio, 0.5), q(ratio, 0.25), q(ratio, 0.75),
            q(cpus, 0.5) / 1e3, q(cpus, 0.25) / 1e3, q(cpus, 0.75) / 1e3, q(cpuDelta, 0.5) / 1e3, ref,
            q(cpuDelta, 0.25) / 1e3, q(cpuDelta, 0.75) / 1e3, q(bytes, 0.5) / 1024,
            (q(bytes, 0.5) - q(refBytes, 0.5)) / 1024));
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

  /** Whether the starter turns Reactor's automatic context propagation on in this setup. */
  private static boolean usesHook(String setup) {
    return (setup.startsWith("tracewire") || setup.startsWith("both")) && !setup.endsWith("-nohook");
  }

  /** CPU nanoseconds and allocated bytes summed over the JVM's live threads. */
  private static long[] threadTotals() {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)
        java.lang.management.ManagementFactory.getThreadMXBean();
    long[] ids = mx.getAllThreadIds();
    long cpu = 0;
    long bytes = 0;
    for (long c : mx.getThreadCpuTime(ids)) {
      cpu += Math.max(0, c);
    }
    for (long b : mx.getThreadAllocatedBytes(ids)) {
      bytes += Math.max(0, b);
    }
    return new long[] {cpu, bytes};
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
    boolean springTracing = setup.equals("spring") || setup.startsWith("both");
    if (springTracing) {
      props.addAll(List.of("spring.autoconfigure.exclude=", "management.tracing.sampling.probability=1.0",
          "management.opentelemetry.tracing.export.otlp.endpoint=" + base + "/otlp/" + setup + "/v1/traces"));
    } else {
      props.add("spring.autoconfigure.exclude=" + BOOT_TRACING);
    }
    switch (setup) {
      case "plain", "spring" -> props.add("tracewire.enabled=false");
      case "tracewire", "tracewire-content", "tracewire-nohook", "both", "both-nohook" -> {
        props.add("tracewire.otel.enabled=true");
        props.add("tracewire.otel.endpoint=" + base + "/otlp/" + setup + "/v1/traces");
        props.add("tracewire.otel.content-capture=" + setup.equals("tracewire-content"));
        props.add("tracewire.spring-ai.reactor-context-propagation=" + usesHook(setup));
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

  /** The p-quantile of sorted values, interpolated. */
  private static double q(double[] sorted, double p) {
    double i = p * (sorted.length - 1);
    int lo = (int) Math.floor(i);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (i - lo) * (sorted[hi] - sorted[lo]);
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }
}
