package io.tracewire.benchmarks;

import io.tracewire.core.sink.EventBus;
import io.tracewire.core.sink.EventSink;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.sink.SinkStats;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.Tracewire;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * What the application thread pays per event with 0, 1 or 3 no-op sinks attached (DROP_NEWEST,
 * the default policy): {@code dispatch} hands a pre-built event to the bus; {@code invokeLambda}
 * runs a traced lambda (2 events: start and end) with the bus installed globally, so it includes
 * building the events and the run bookkeeping; divide it by 2 for a per-event figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class ProducerCostBenchmark {
  @Param({"0", "1", "3"})
  public int sinks;

  private EventBus bus;
  private Tracewire installed;
  private StreamEvent event;
  private Runnable<Integer, Integer> lambda;
  private long invokes;
  private long dispatches;

  @Setup(Level.Trial)
  public void setUp() {
    EventSink noop = batch -> { };
    EventBus.Builder b = EventBus.builder();
    Tracewire.Builder tw = Tracewire.builder();
    for (int i = 0; i < sinks; i++) {
      b.sink(noop, SinkConfig.named("noop" + i).withPolicy(OverflowPolicy.DROP_NEWEST));
      tw.sink(noop, SinkConfig.named("noop" + i).withPolicy(OverflowPolicy.DROP_NEWEST));
    }
    bus = b.build();
    installed = sinks == 0 ? null : tw.install();
    event = Seed.event(1);
    lambda = RunnableLambda.of("step", x -> x + 1);
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
  public void tearDown() {
    bus.close(Duration.ofSeconds(60));
    report("dispatch", bus.stats(), dispatches);
    if (installed != null) {
      installed.close();
      report("invokeLambda", installed.stats(), invokes * 2);
    }
  }

  static void report(String what, java.util.List<SinkStats> stats, long emitted) {
    for (SinkStats s : stats) {
      if (emitted == 0) {
        continue;
      }
      // After close, every emitted event is exactly one of delivered, failed or dropped.
      System.out.printf("%n[%s] %s: emitted=%d queued=%d delivered=%d failed=%d dropped=%d (%.1f%%) maxDepth=%d exact=%b%n",
          what, s.name(), emitted, s.queued(), s.delivered(), s.failed(), s.dropped(), 100.0 * s.dropped() / emitted,
          s.maxDepth(), s.delivered() + s.failed() + s.dropped() == emitted);
    }
  }
}
