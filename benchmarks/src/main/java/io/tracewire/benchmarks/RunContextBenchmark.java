package io.tracewire.benchmarks;

import io.tracewire.bench.Workloads;
import io.tracewire.core.RunConfig;
import io.tracewire.core.RunContext;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.BaseMessage;
import java.util.List;
import java.util.concurrent.Callable;
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

/**
 * The run-context storage alone, with no listener: {@code attachRead} makes a run's config current,
 * reads it back and restores the previous context (what every step and every {@code wrap}ped task
 * pays); {@code nestedInvoke} is a traced lambda calling another (two runs, two attaches, two reads);
 * {@code streamChunks} drains a fake chat model's stream of {@value #CHUNKS} chunks with no listener
 * (one run, and the run's context made current around each of its pulls).
 * The storage is chosen per JVM: compare runs with {@code -jvmArgsAppend
 * -Dtracewire.context.storage=threadlocal}, {@code =otel} (the default with the exporters on the
 * class path) and {@code =io.tracewire.benchmarks.HybridContextStorage}; {@code -prof gc} adds the
 * bytes allocated per operation, which machine load does not blur.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class RunContextBenchmark {
  /** Chunks per {@code streamChunks} operation: 100 words and the 99 spaces between them. */
  static final int CHUNKS = 199;

  private Callable<RunConfig> inRun;
  private Runnable<Integer, Integer> outer;
  private Runnable<Object, BaseMessage> model;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Runnable<Integer, Callable<RunConfig>> capture = RunnableLambda.of("capture",
        (Integer x) -> RunContext.wrap(RunConfig::current));
    inRun = capture.invoke(1);
    if (inRun.call() == RunConfig.empty()) {
      throw new IllegalStateException("no context captured");
    }
    Runnable<Integer, Integer> inner = RunnableLambda.of("inner", (Integer x) -> x + 1);
    outer = RunnableLambda.of("outer", (Integer x) -> inner.invoke(x));
    model = GenericFakeChatModel.cycling(List.of(new AIMessage(Workloads.reply(100))));
    System.out.println("\nrun-context storage: " + RunContext.storageName());
  }

  @Benchmark
  public RunConfig attachRead() throws Exception {
    return inRun.call();
  }

  @Benchmark
  public Integer nestedInvoke() {
    return outer.invoke(1);
  }

  @Benchmark
  public long streamChunks() {
    return Workloads.drain(model.stream("hello"));
  }
}
