package io.tracewire.benchmarks;

import io.tracewire.core.EventSink;
import io.tracewire.core.OverflowPolicy;
import io.tracewire.core.Runnable;
import io.tracewire.core.RunnableLambda;
import io.tracewire.core.SinkConfig;
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
 * Application throughput (traced lambda invocations per second, 2 events each) with a sink that
 * sleeps 1 ms on every event, under DROP_NEWEST and DROP_OLDEST, against no sink at all
 * ({@code NONE}). The teardown prints the sink's counters and whether
 * {@code queued + dropped == emitted} holds exactly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class SlowSinkBenchmark {
  @Param({"NONE", "DROP_NEWEST", "DROP_OLDEST"})
  public String policy;

  private Tracewire installed;
  private Runnable<Integer, Integer> lambda;
  private long invokes;

  @Setup(Level.Trial)
  public void setUp() {
    lambda = RunnableLambda.of("step", x -> x + 1);
    if (!policy.equals("NONE")) {
      EventSink sleepy = batch -> {
        for (int i = 0; i < batch.size(); i++) {
          Thread.sleep(1);
        }
      };
      installed = Tracewire.builder()
          .sink(sleepy, SinkConfig.named("sleepy").withPolicy(OverflowPolicy.valueOf(policy)).withCapacity(1024))
          .closeTimeout(Duration.ofSeconds(60))
          .install();
    }
  }

  @Benchmark
  public Integer invokeLambda() {
    invokes++;
    return lambda.invoke(1);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (installed != null) {
      installed.close();
      ProducerCostBenchmark.report("slow-" + policy, installed.stats(), invokes * 2);
    }
  }
}
