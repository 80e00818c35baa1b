package io.tracewire.benchmarks;

import io.tracewire.core.sink.EventBus;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.event.StreamEvent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * End-to-end throughput to a no-op sink with BLOCK: the producer can be at most one queue
 * (8192 events) ahead of the worker, so over a 1 s iteration its rate is the delivered rate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class EndToEndBenchmark {
  private EventBus bus;
  private StreamEvent event;
  private long emitted;

  @Setup(Level.Trial)
  public void setUp() {
    bus = EventBus.builder().sink(batch -> { }, SinkConfig.named("noop").withPolicy(OverflowPolicy.BLOCK)).build();
    event = Seed.event(1);
  }

  @Benchmark
  public void blockingToNoopSink() {
    bus.onEvent(event);
    emitted++;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    bus.close(Duration.ofSeconds(60));
    ProducerCostBenchmark.report("end-to-end", bus.stats(), emitted);
  }
}
