package io.tracewire.it.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Context;
import io.tracewire.core.RunContext;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.test.EventRecorder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/context.md, compiled and run (the guide quotes the tagged regions
 * verbatim; {@link ContextGuideSnippetsTest} checks that). Each one asserts that the inner run
 * is a child of the outer one.
 */
class ContextGuideExamplesTest {
  private final EventRecorder recorder = EventRecorder.create();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final Runnable<String, String> summarize = RunnableLambda.of("summarize", (String s) -> s.toUpperCase());

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  private void assertNested(String outer, String inner) {
    List<StreamEvent> starts = recorder.events().stream().filter(e -> e.event().endsWith("_start")).toList();
    StreamEvent o = starts.stream().filter(e -> e.name().equals(outer)).findFirst().orElseThrow();
    assertThat(starts).filteredOn(e -> e.name().equals(inner)).isNotEmpty()
        .allSatisfy(e -> assertThat(e.parentIds()).endsWith(o.runId()));
  }

  @Test
  void sameThread() {
    // tag::same-thread[]
    Runnable<String, String> answer = RunnableLambda.of("answer", (String q) ->
        summarize.invoke(q)); // no config: a child of "answer"
    answer.invoke("what is a goldfish?", recorder.config());
    // end::same-thread[]
    assertNested("answer", "summarize");
  }

  @Test
  void asyncMethods() {
    // tag::async-methods[]
    Runnable<String, String> answer = RunnableLambda.of("answer", (String q) ->
        summarize.invokeAsync(q).join()); // runs on Tracewire's pool, still a child
    answer.invoke("what is a goldfish?", recorder.config());
    // end::async-methods[]
    assertNested("answer", "summarize");
  }

  @Test
  void wrapAnExecutor() {
    // tag::wrap-executor[]
    ExecutorService traced = RunContext.wrap(pool); // each task runs in its submitter's context
    Runnable<String, String> answer = RunnableLambda.of("answer", (String q) ->
        CompletableFuture.supplyAsync(() -> summarize.invoke(q), traced).join());
    answer.invoke("what is a goldfish?", recorder.config());
    // end::wrap-executor[]
    assertNested("answer", "summarize");
  }

  @Test
  void openTelemetryPropagation() {
    // tag::otel-propagation[]
    // with tracewire-exporters on the class path the run context lives in OpenTelemetry's Context,
    // so anything that carries that context carries the parent run: here Context.taskWrapping
    ExecutorService otelWrapped = Context.taskWrapping(pool);
    Runnable<String, String> answer = RunnableLambda.of("answer", (String q) ->
        CompletableFuture.supplyAsync(() -> summarize.invoke(q), otelWrapped).join());
    answer.invoke("what is a goldfish?", recorder.config());
    // end::otel-propagation[]
    assertThat(RunContext.storageName()).isEqualTo("otel");
    assertNested("answer", "summarize");
  }

  @Test
  void threadPerTask() {
    // tag::thread-factory[]
    // a new thread per task (on JDK 21+: Thread.ofVirtual().factory(), a thread-per-task executor)
    ThreadFactory traced = RunContext.threadFactory(Executors.defaultThreadFactory());
    Runnable<String, String> answer = RunnableLambda.of("answer", (String q) -> {
      CompletableFuture<String> out = new CompletableFuture<>();
      traced.newThread(() -> out.complete(summarize.invoke(q))).start(); // context captured in newThread
      return out.join();
    });
    answer.invoke("what is a goldfish?", recorder.config());
    // end::thread-factory[]
    assertNested("answer", "summarize");
  }
}
