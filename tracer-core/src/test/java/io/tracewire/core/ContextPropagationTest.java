package io.tracewire.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "Context lost" is a test failure, with the built-in thread-local storage (tracer-core alone):
 * every way Tracewire itself carries the current run to another thread, and the one that does
 * not (a bare executor), so that a change to either is seen.
 */
class ContextPropagationTest {
  private final ConcurrentLinkedQueue<StreamEvent> events = new ConcurrentLinkedQueue<>();
  private final Runnable<Integer, Integer> child = RunnableLambda.of("child", (Integer x) -> x + 1);
  private ExecutorService pool;

  @BeforeEach
  void setUp() {
    pool = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    assertThat(RunConfig.current()).as("no run context left on the test thread").isSameAs(RunConfig.empty());
  }

  private Map<String, StreamEvent> run(Function<Integer, Integer> handOff) {
    Runnable<Integer, Integer> parent = RunnableLambda.of("parent", handOff::apply);
    assertThat(parent.invoke(1, RunConfig.builder().listener(events::add).build())).isEqualTo(2);
    return events.stream().filter(e -> e.event().equals("on_chain_start"))
        .collect(Collectors.toMap(StreamEvent::name, e -> e, (a, b) -> a));
  }

  private void assertChildNestsUnderParent(Function<Integer, Integer> handOff) {
    Map<String, StreamEvent> starts = run(handOff);
    assertThat(starts).as("the child run inherited the parent's context (and so its listener)")
        .containsOnlyKeys("parent", "child");
    assertThat(starts.get("child").parentIds()).containsExactly(starts.get("parent").runId());
  }

  private static int get(Future<Integer> f) {
    try {
      return f.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theThreadLocalStorageIsTheDefault() {
    assertThat(RunContext.storageName()).isEqualTo("threadlocal");
  }

  @Test
  void wrappedExecutorServiceCarriesTheParentRun() {
    ExecutorService wrapped = RunContext.wrap(pool);
    assertChildNestsUnderParent(x -> get(wrapped.submit(() -> child.invoke(x))));
  }

  @Test
  void wrappedCallableCarriesTheParentRun() {
    assertChildNestsUnderParent(x -> get(pool.submit(RunContext.wrap(() -> child.invoke(x)))));
  }

  @Test
  void wrappedSupplierCarriesTheParentRunIntoCompletableFutures() {
    assertChildNestsUnderParent(x -> CompletableFuture.supplyAsync(RunContext.wrapSupplier(() -> child.invoke(x)), pool).join());
  }

  @Test
  void wrappedThreadFactoryCarriesTheParentRun() throws Exception {
    assertChildNestsUnderParent(x -> {
      int[] out = new int[1];
      Thread t = RunContext.threadFactory(Thread::new).newThread(() -> out[0] = child.invoke(x));
      t.start();
      try {
        t.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return out[0];
    });
  }

  @Test
  void asyncMethodsCarryTheParentRun() {
    assertChildNestsUnderParent(x -> child.invokeAsync(x).join());
  }

  @Test
  void batchCarriesTheParentRunToItsWorkers() {
    Map<String, StreamEvent> starts = run(x -> child.batch(List.of(x, x)).get(0));
    assertThat(starts.get("child").parentIds()).containsExactly(starts.get("parent").runId());
  }

  @Test
  void aBareExecutorDoesNotCarryTheThreadLocalContext() {
    Map<String, StreamEvent> starts = run(x -> get(pool.submit(() -> child.invoke(x))));
    assertThat(starts).as("the child started a new root, outside the parent's listeners").containsOnlyKeys("parent");
  }
}
