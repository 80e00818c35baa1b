package io.tracewire.benchmarks;

import io.tracewire.core.sink.EventBus;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.jsonl.JsonlCodec;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JSONL: sustained events/s of seed-shaped events through a BLOCK bus into a JSONL file (fsync
 * NEVER, 256 MB rotation), and the codec alone (encode into a reused buffer; decode one line).
 * MB/s = events/s x line bytes (printed at setup).
 */
@State(Scope.Benchmark)
@Fork(1)
public class JsonlBenchmark {
  private Path dir;
  private EventBus bus;
  private JsonlFileSink sink;
  private StreamEvent event;
  private long emitted;
  private final JsonlCodec codec = new JsonlCodec();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
  private JsonlCodec.Encoder encoder;
  private String line;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("tracewire-jsonl-bench");
    sink = JsonlFileSink.builder(dir.resolve("events.jsonl")).maxFileBytes(256L << 20).codec(codec).build();
    bus = EventBus.builder().sink(sink, SinkConfig.named("jsonl").withPolicy(OverflowPolicy.BLOCK)).build();
    event = Seed.event(1);
    encoder = codec.newEncoder(buffer);
    line = codec.encodeToString(event);
    System.out.printf("%nseed-shaped line: %d bytes (+1 newline)%n", line.getBytes(StandardCharsets.UTF_8).length);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void sinkSustained() {
    bus.onEvent(event);
    emitted++;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public int encode() throws IOException {
    buffer.reset();
    encoder.write(event);
    encoder.flush();
    return buffer.size();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public StreamEvent decode() {
    return codec.decode(line);
  }

  @TearDown(Level.Iteration)
  public void dropRotatedFiles() throws IOException {
    if (emitted > 0) {
      bus.flush(Duration.ofSeconds(120));
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.getFileName().toString().startsWith("events.jsonl.")) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    bus.close(Duration.ofSeconds(120));
    ProducerCostBenchmark.report("jsonl", bus.stats(), emitted);
    System.out.printf("jsonl sink: lines=%d bytes=%d writeErrors=%d%n", sink.stats().lines(), sink.stats().bytes(),
        sink.stats().writeErrors());
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
