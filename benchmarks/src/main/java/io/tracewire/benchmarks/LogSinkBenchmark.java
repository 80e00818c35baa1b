package io.tracewire.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.tracewire.core.Tracewire;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.sink.EventBus;
import io.tracewire.core.sink.EventSink;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import io.tracewire.exporters.otel.LogEventKind;
import io.tracewire.exporters.otel.OtlpLogSink;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the application thread pays per event with the OTLP log sink attached, beside the JSONL
 * sink (both DROP_NEWEST, the default policy), as in {@link ProducerCostBenchmark}:
 * {@code dispatch} hands a pre-built seed-shaped event to a bus; {@code invokeLambda} runs a
 * traced lambda (2 events) with the sink installed through {@code Tracewire.builder().sink(...)};
 * divide it by 2 for a per-event figure. The OTLP sink records every event kind (stream chunks
 * too) and exports over OTLP/HTTP to a loopback receiver that reads each request and answers
 * 200 without decoding it; the JSONL sink writes to a temporary file (fsync NEVER, 256 MB
 * rotation). Mapping and export run on the sink's worker thread, so they show up here only as
 * drops (printed at the end with the sink's own counters) when the worker falls behind.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class LogSinkBenchmark {
  @Param({"jsonl", "otlp"})
  public String sink;

  private Path dir;
  private HttpServer receiver;
  private final AtomicLong requests = new AtomicLong();
  private final List<EventSink> sinks = new ArrayList<>();
  private EventBus bus;
  private Tracewire installed;
  private StreamEvent event;
  private Runnable<Integer, Integer> lambda;
  private long dispatches;
  private long invokes;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("tracewire-log-bench");
    if (sink.equals("otlp")) {
      receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      receiver.createContext("/v1/logs", exchange -> {
        try (InputStream in = exchange.getRequestBody()) {
          in.readAllBytes();
          requests.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
        } finally {
          exchange.close();
        }
      });
      receiver.start();
    }
    bus = EventBus.builder().sink(newSink("bus"), SinkConfig.named(sink + "-bus").withPolicy(OverflowPolicy.DROP_NEWEST)).build();
    installed = Tracewire.builder()
        .sink(newSink("installed"), SinkConfig.named(sink + "-installed").withPolicy(OverflowPolicy.DROP_NEWEST)).install();
    event = Seed.event(1);
    lambda = RunnableLambda.of("step", x -> x + 1);
  }

  private EventSink newSink(String which) {
    EventSink s;
    if (sink.equals("otlp")) {
      s = OtlpLogSink.builder().endpoint("http://127.0.0.1:" + receiver.getAddress().getPort())
          .events(EnumSet.allOf(LogEventKind.class)).serviceName("tracewire-bench").build();
    } else {
      s = JsonlFileSink.builder(dir.resolve(which + ".jsonl")).maxFileBytes(256L << 20).build();
    }
    sinks.add(s);
    return s;
  }

  @Benchmark
  public void dispatch() {
    bus.onEvent(event);
    dispatches++;
  }

  @Benchmark
  public Integer invokeLambda() {
    invokes++;
    return lambda.invoke(1);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    bus.close(Duration.ofSeconds(60));
    installed.close();
    ProducerCostBenchmark.report("dispatch", bus.stats(), dispatches);
    ProducerCostBenchmark.report("invokeLambda", installed.stats(), invokes * 2);
    for (EventSink s : sinks) {
      if (s instanceof OtlpLogSink o) {
        System.out.printf("otlp log sink: %s%n", o.stats());
      } else if (s instanceof JsonlFileSink j) {
        System.out.printf("jsonl sink: %s%n", j.stats());
      }
    }
    if (receiver != null) {
      System.out.printf("receiver: %d requests%n", requests.get());
      receiver.stop(0);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
