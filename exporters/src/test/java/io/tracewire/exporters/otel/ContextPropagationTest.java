package io.tracewire.exporters.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.tracewire.core.RunConfig;
import io.tracewire.core.RunContext;
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
 * "Context lost" is a test failure: one test per way the current run reaches another thread.
 * A child run invoked there without a config must be a child of the run that handed the work
 * over; when a path breaks, the child becomes a new root and the test fails. This module ships
 * the OpenTelemetry-backed storage, so the OpenTelemetry paths work without {@code RunContext.wrap}.
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
    assertThat(Context.current()).as("no OpenTelemetry context left on the test thread").isSameAs(Context.root());
    assertThat(RunConfig.current()).as("no run context left on the test thread").isSameAs(RunConfig.empty());
  }

  /** Runs {@code parent} whose body hands {@code child} to another thread, and checks the tree. */
  private void assertChildNestsUnderParent(Function<Integer, Integer> handOff) {
    Runnable<Integer, Integer> parent = RunnableLambda.of("parent", handOff::apply);
    int out = parent.invoke(1, RunConfig.builder().listener(events::add).build());
    assertThat(out).isEqualTo(2);
    Map<String, StreamEvent> starts = events.stream().filter(e -> e.event().equals("on_chain_start"))
        .collect(Collectors.toMap(StreamEvent::name, e -> e));
    assertThat(starts).as("the child run inherited the parent's context (and so its listener)")
        .containsOnlyKeys("parent", "child");
    assertThat(starts.get("parent").parentIds()).isEmpty();
    assertThat(starts.get("child").parentIds())
        .as("the child run on the other thread is a child of the parent run (context not lost)")
        .containsExactly(starts.get("parent").runId());
  }

  private static int get(Future<Integer> f) {
    try {
      return f.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theOpenTelemetryStorageIsChosenWhenTheApiIsPresent() {
    assertThat(RunContext.storageName()).isEqualTo(OtelRunContextStorage.NAME);
  }

  @Test
  void aContextCapturedBeforeTheRunAndMadeCurrentInsideItDoesNotHideTheRun() {
    // Micrometer tracing's OpenTelemetry bridge: an observation scope makes current the context
    // its span was created in (captured before the run started), plus that span
    Context captured = Context.current().with(ContextKey.named("micrometer-span"), "observation");
    assertChildNestsUnderParent(x -> {
      try (Scope ignored = captured.makeCurrent()) {
        return child.invoke(x);
      }
    });
  }

  @Test
  void aStaleContextInsideAChildRunStillShowsTheChild() {
    Context captured = Context.current();
    Runnable<Integer, Integer> grandchild = RunnableLambda.of("grandchild", (Integer x) -> x + 1);
    Runnable<Integer, Integer> middle = RunnableLambda.of("middle", (Integer x) -> {
      try (Scope ignored = captured.makeCurrent()) {
        return grandchild.invoke(x);
      }
    });
    Runnable<Integer, Integer> parent = RunnableLambda.of("parent", (Integer x) -> middle.invoke(x));
    parent.invoke(1, RunConfig.builder().listener(events::add).build());
    Map<String, StreamEvent> starts = events.stream().filter(e -> e.event().equals("on_chain_start"))
        .collect(Collectors.toMap(StreamEvent::name, e -> e));
    assertThat(starts).as("the grandchild inherited the run context").containsKey("grandchild");
    assertThat(starts.get("grandchild").parentIds())
        .containsExactly(starts.get("parent").runId(), starts.get("middle").runId());
  }

  @Test
  void aPropagatedContextOfAnotherRunRunInsideARunStillWins() {
    Runnable<Integer, Integer> other = RunnableLambda.of("other", (Integer x) -> x);
    Context[] otherContext = new Context[1];
    RunnableLambda.<Integer, Integer>of("elsewhere", x -> {
      otherContext[0] = Context.current();
      return x;
    }).invoke(1, RunConfig.builder().listener(events::add).build());
    RunnableLambda.<Integer, Integer>of("here", x -> otherContext[0].wrapSupplier(() -> other.invoke(x)).get())
        .invoke(1, RunConfig.builder().listener(events::add).build());
    Map<String, StreamEvent> starts = events.stream().filter(e -> e.event().equals("on_chain_start"))
        .collect(Collectors.toMap(StreamEvent::name, e -> e));
    assertThat(starts.get("other").parentIds()).containsExactly(starts.get("elsewhere").runId());
  }

  @Test
  void otelTaskWrappingExecutorCarriesTheParentRun() {
    ExecutorService wrapped = Context.taskWrapping(pool);
    assertChildNestsUnderParent(x -> get(wrapped.submit(() -> child.invoke(x))));
  }

  @Test
  void otelContextWrapCarriesTheParentRun() {
    assertChildNestsUnderParent(x -> get(pool.submit(Context.current().wrap(() -> child.invoke(x)))));
  }

  @Test
  void completableFutureOnAnOtelWrappedExecutorCarriesTheParentRun() {
    ExecutorService wrapped = Context.taskWrapping(pool);
    assertChildNestsUnderParent(x -> CompletableFuture.supplyAsync(() -> child.invoke(x), wrapped).join());
  }

  @Test
  void runContextWrapCarriesTheParentRun() {
    ExecutorService wrapped = RunContext.wrap(pool);
    assertChildNestsUnderParent(x -> get(wrapped.submit(() -> child.invoke(x))));
  }

  @Test
  void asyncMethodsCarryTheParentRun() {
    assertChildNestsUnderParent(x -> child.invokeAsync(x).join());
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aStreamedChainUnderTheBridgeHandsItsModelRunToAnOtelWrappedExecutor() throws Exception {
    io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter spans = io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
    io.opentelemetry.sdk.OpenTelemetrySdk sdk = io.opentelemetry.sdk.OpenTelemetrySdk.builder()
        .setTracerProvider(io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
            .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(spans)).build())
        .build();
    ExecutorService wrapped = Context.taskWrapping(pool);
    // the model calls out while it streams, as an HTTP client would: the callee runs on a pool thread
    ChatOpenAI model = new ChatOpenAI(true, () -> get(wrapped.submit(() -> child.invoke(1))));
    Runnable<Map<String, Object>, String> chain = io.tracewire.core.prompt.ChatPromptTemplate.of(
        io.tracewire.core.prompt.ChatPromptTemplate.human("{question}")).pipe((Runnable) model)
        .pipe((Runnable) new io.tracewire.core.parser.StrOutputParser());
    try (OtelBridge bridge = OtelBridge.builder().openTelemetry(sdk).build()) {
      StringBuilder out = new StringBuilder();
      try (io.tracewire.core.CloseableIterator<String> it = chain.stream(Map.of("question", "q"),
          RunConfig.builder().listener(bridge).listener(events::add).build())) {
        it.forEachRemaining(out::append);
      }
      assertThat(out).hasToString("hi there");
      assertThat(bridge.openRuns()).isZero();
    }
    Map<String, StreamEvent> starts = events.stream().filter(e -> e.event().endsWith("_start"))
        .collect(Collectors.toMap(StreamEvent::name, e -> e, (a, b) -> a));
    assertThat(starts).containsOnlyKeys("RunnableSequence", "ChatPromptTemplate", "ChatOpenAI", "StrOutputParser", "child");
    assertThat(starts.get("child").parentIds())
        .containsExactly(starts.get("RunnableSequence").runId(), starts.get("ChatOpenAI").runId());
    Map<String, io.opentelemetry.sdk.trace.data.SpanData> byRun = spans.getFinishedSpanItems().stream()
        .collect(Collectors.toMap(d -> d.getAttributes().get(GenAiMapping.RUN_ID), d -> d));
    assertThat(byRun.get(starts.get("child").runId()).getParentSpanId())
        .isEqualTo(byRun.get(starts.get("ChatOpenAI").runId()).getSpanId());
    sdk.close();
  }

  @Test
  void workRunAfterTheParentEndedStillNestsUnderIt() throws Exception {
    ExecutorService wrapped = Context.taskWrapping(pool);
    CompletableFuture<Integer> later = new CompletableFuture<>();
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    Runnable<Integer, Integer> parent = RunnableLambda.of("parent", (Integer x) -> {
      wrapped.execute(() -> {
        try {
          go.await();
          later.complete(child.invoke(x));
        } catch (Throwable t) {
          later.completeExceptionally(t);
        }
      });
      return x;
    });
    parent.invoke(1, RunConfig.builder().listener(events::add).build());
    go.countDown();
    assertThat(later.get()).isEqualTo(2);
    List<StreamEvent> starts = events.stream().filter(e -> e.event().equals("on_chain_start")).toList();
    assertThat(starts).as("the child run inherited the parent's context (and so its listener)")
        .extracting(StreamEvent::name).containsExactly("parent", "child");
    assertThat(starts.get(1).parentIds()).containsExactly(starts.get(0).runId());
  }

  @Test
  void aTaskCapturedInAStepAndRunLaterOnTheSameThreadNestsUnderThatStep() {
    // a task that keeps the step's OpenTelemetry context (as the agent's executor instrumentation
    // does) and runs on the very thread that ran the step, after the step ended: a ForkJoinPool
    // worker picking up a task its own step forked, say
    java.util.concurrent.atomic.AtomicReference<java.lang.Runnable> captured = new java.util.concurrent.atomic.AtomicReference<>();
    Runnable<Integer, Integer> parent = RunnableLambda.of("parent", (Integer x) -> {
      captured.set(Context.current().wrap((java.lang.Runnable) () -> child.invoke(x)));
      return x;
    });
    parent.invoke(1, RunConfig.builder().listener(events::add).build());
    captured.get().run();
    List<StreamEvent> starts = events.stream().filter(e -> e.event().equals("on_chain_start")).toList();
    assertThat(starts).extracting(StreamEvent::name).containsExactly("parent", "child");
    assertThat(starts.get(1).parentIds())
        .as("the propagated context names the parent run, although the parent ended on this thread")
        .containsExactly(starts.get(0).runId());
  }

  @Test
  void aStreamingStepsPullsSeeItsRunAndReuseOneContext() {
    PullRecordingModel model = new PullRecordingModel(this::probeParentIds, "a", "b", "c", "d");
    List<String> out = new java.util.ArrayList<>();
    try (io.tracewire.core.CloseableIterator<io.tracewire.core.message.BaseMessage> it =
        model.stream("q", RunConfig.builder().listener(events::add).build())) {
      while (it.hasNext()) {
        // between pulls the consumer's own context is current, not the model run's
        assertThat(RunConfig.current()).isSameAs(RunConfig.empty());
        assertThat(Context.current()).isSameAs(Context.root());
        out.add(it.next().text());
      }
    }
    assertThat(out).containsExactly("a", "b", "c", "d", "");
    String modelRun = events.stream().filter(e -> e.event().equals("on_chat_model_start")).findFirst().orElseThrow().runId();
    // one record per hasNext of the model's own iterator: 5 chunks and the exhausted pull
    assertThat(model.pulls).hasSize(6);
    assertThat(model.pulls).extracting(p -> p.parentIds)
        .as("every pull runs in the model run's context")
        .allSatisfy(ids -> assertThat(ids).containsExactly(modelRun));
    assertThat(model.pulls.stream().map(p -> p.context).distinct().count())
        .as("the pulls after the first reuse the context the first one made current")
        .isEqualTo(1);
  }

  @Test
  void aStreamPulledFromTwoThreadsInTurnKeepsItsRunOnBoth() throws Exception {
    PullRecordingModel model = new PullRecordingModel(this::probeParentIds, "a", "b", "c", "d");
    List<String> out = new java.util.ArrayList<>();
    try (io.tracewire.core.CloseableIterator<io.tracewire.core.message.BaseMessage> it =
        model.stream("q", RunConfig.builder().listener(events::add).build())) {
      for (int i = 0; ; i++) {
        // the pull happens in hasNext: every other one on a pool thread
        boolean more = i % 2 == 0 ? it.hasNext() : pool.submit(it::hasNext).get();
        if (!more) {
          break;
        }
        out.add(it.next().text());
      }
    }
    assertThat(out).containsExactly("a", "b", "c", "d", "");
    String modelRun = events.stream().filter(e -> e.event().equals("on_chat_model_start")).findFirst().orElseThrow().runId();
    assertThat(model.pulls).extracting(p -> p.parentIds).allSatisfy(ids -> assertThat(ids).containsExactly(modelRun));
    assertThat(model.pulls.stream().map(p -> p.thread).distinct().count()).as("pulled on the test thread and the pool").isGreaterThan(1);
  }

  /** Starts a run without a config where it is called and returns the parent ids it got. */
  private List<String> probeParentIds() {
    RunnableLambda.of("probe", (Integer x) -> x).invoke(0);
    List<StreamEvent> probes = events.stream()
        .filter(e -> e.event().equals("on_chain_start") && e.name().equals("probe")).toList();
    return probes.isEmpty() ? List.of() : probes.get(probes.size() - 1).parentIds();
  }

  /** What one pull of {@link PullRecordingModel}'s iterator saw. */
  private record Pull(Context context, List<String> parentIds, Thread thread) {}

  /** A streaming chat model whose iterator records the context of every pull. */
  private static final class PullRecordingModel extends io.tracewire.core.model.BaseChatModel {
    final List<Pull> pulls = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.function.Supplier<List<String>> probe;
    private final List<String> pieces;

    /** {@code probe} tells the parent ids a run started in the pull gets. */
    PullRecordingModel(java.util.function.Supplier<List<String>> probe, String... pieces) {
      this.probe = probe;
      this.pieces = List.of(pieces);
    }

    @Override
    protected io.tracewire.core.message.AIMessage generate(List<io.tracewire.core.message.BaseMessage> messages,
        io.tracewire.core.model.ChatRequest request) {
      return new io.tracewire.core.message.AIMessage(String.join("", pieces));
    }

    @Override
    protected boolean supportsStreaming() {
      return true;
    }

    @Override
    protected io.tracewire.core.CloseableIterator<io.tracewire.core.message.AIMessageChunk> streamChunks(
        List<io.tracewire.core.message.BaseMessage> messages, io.tracewire.core.model.ChatRequest request) {
      java.util.Iterator<String> it = pieces.iterator();
      return new io.tracewire.core.CloseableIterator<>() {
        @Override
        public boolean hasNext() {
          List<String> parentIds = probe.get();
          pulls.add(new Pull(Context.current(), parentIds, Thread.currentThread()));
          return it.hasNext();
        }

        @Override
        public io.tracewire.core.message.AIMessageChunk next() {
          return new io.tracewire.core.message.AIMessageChunk(it.next(), null);
        }

        @Override
        public void close() {}
      };
    }
  }
}
