package io.tracewire.core;

import io.tracewire.core.event.CustomEvent;
import io.tracewire.core.event.EventFilter;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.internal.Engine;
import io.tracewire.core.model.BaseLLM;
import io.tracewire.core.model.GenerationChunk;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.prompt.PromptTemplate;
import io.tracewire.core.prompt.PromptValue;
import io.tracewire.core.runnable.RetryPolicy;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableGenerator;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.runnable.RunnableParallel;
import io.tracewire.core.runnable.RunnablePassthrough;
import io.tracewire.core.tool.Tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewire.core.fake.FakeListChatModel;
import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ChunkPosition;
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.ToolMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RuntimeTest {

  static RunConfig recording(List<StreamEvent> events) {
    return RunConfig.builder().listener(events::add).build();
  }

  static List<String> names(List<StreamEvent> events) {
    return events.stream().map(e -> e.event() + " " + e.name()).toList();
  }

  @Test
  void nestedInvokeInsideALambdaBecomesAChildWithoutPassingConfig() {
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    Runnable<Integer, Integer> inner = RunnableLambda.of("inner", (Integer x) -> x * 2);
    Runnable<Integer, Integer> outer = RunnableLambda.of("outer", (Integer x) -> inner.invoke(x) + 1);
    assertThat(outer.invoke(3, recording(events))).isEqualTo(7);
    assertThat(names(events)).containsExactly("on_chain_start outer", "on_chain_start inner", "on_chain_end inner",
        "on_chain_end outer");
    assertThat(events.get(1).parentIds()).containsExactly(events.get(0).runId());
  }

  @Test
  void streamEventsKeepsEmissionOrderAcrossThePullingThreadAndOtherThreads() {
    // the runs of "inner" execute on pool threads, the others on the thread pulling the stream:
    // the two kinds of events are queued apart and must come out in the order they were emitted
    Runnable<Integer, Integer> inner = RunnableLambda.of("inner", (Integer x) -> x * 2);
    Runnable<Integer, Integer> step = RunnableLambda.of("step", (Integer x) -> inner.invokeAsync(x).join() + 1);
    Runnable<Integer, Integer> chain = step.pipe(step).pipe(step);
    List<StreamEvent> events = new ArrayList<>();
    try (CloseableIterator<StreamEvent> it = chain.streamEvents(1)) {
      it.forEachRemaining(events::add);
    }
    assertThat(events.stream().mapToLong(StreamEvent::seq)).as("in emission order").isSorted();
    // a sequence of lambdas streams as LangChain's does: each step starts before the previous ends
    assertThat(names(events)).containsExactly("on_chain_start RunnableSequence",
        "on_chain_start step", "on_chain_start inner", "on_chain_end inner", "on_chain_stream step",
        "on_chain_start step", "on_chain_end step", "on_chain_start inner", "on_chain_end inner", "on_chain_stream step",
        "on_chain_start step", "on_chain_end step", "on_chain_start inner", "on_chain_end inner", "on_chain_stream step",
        "on_chain_stream RunnableSequence", "on_chain_end step", "on_chain_end RunnableSequence");
  }

  @Test
  void contextCrossesThreadsThroughAsyncCallsAndWrappedExecutors() throws Exception {
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.Executor wrapped = RunContext.wrap(pool);
      Runnable<Integer, Integer> inner = RunnableLambda.of("inner", (Integer x) -> x + 1);
      Runnable<Integer, Integer> outer = RunnableLambda.of("outer", (Integer x) -> {
        int a = inner.invokeAsync(x).join();
        int b = CompletableFuture.supplyAsync(() -> inner.invoke(a), wrapped).join();
        return CompletableFuture.supplyAsync(() -> b, wrapped).thenApplyAsync(v -> inner.invoke(v), wrapped).join();
      });
      assertThat(outer.invoke(0, recording(events))).isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
    String outerId = events.get(0).runId();
    assertThat(events.stream().filter(e -> e.name().equals("inner") && e.event().endsWith("start")))
        .hasSize(3).allSatisfy(e -> assertThat(e.parentIds()).containsExactly(outerId));
  }

  @Test
  void anUnwrappedThreadDoesNotInheritTheContext() throws Exception {
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    Runnable<Integer, Integer> inner = RunnableLambda.of("inner", (Integer x) -> x);
    Runnable<Integer, Integer> outer = RunnableLambda.of("outer", (Integer x) -> {
      Thread t = new Thread(() -> inner.invoke(x, recording(events)));
      t.start();
      try {
        t.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return x;
    });
    outer.invoke(1, recording(events));
    StreamEvent innerStart = events.stream().filter(e -> e.name().equals("inner")).findFirst().orElseThrow();
    assertThat(innerStart.parentIds()).isEmpty();
  }

  @Test
  void closingAnEventStreamEarlyCancelsTheRunAndTheModelStopsStreaming() {
    List<StreamEvent> sink = new CopyOnWriteArrayList<>();
    Runnable<Object, BaseMessage> model = GenericFakeChatModel.cycling(List.of(new AIMessage("a b c d e f")));
    Runnable<Object, String> chain = model.pipe(new StrOutputParser());
    try (CloseableIterator<StreamEvent> it = chain.streamEvents("hi", recording(sink), null)) {
      while (it.hasNext()) {
        if (it.next().event().equals("on_chat_model_stream")) {
          break;
        }
      }
    }
    assertThat(sink).filteredOn(e -> e.event().equals("on_chat_model_stream")).hasSize(1);
    assertThat(sink).extracting(StreamEvent::event).contains("on_chat_model_cancel", "on_chain_cancel", "on_parser_cancel")
        .doesNotContain("on_chat_model_end", "on_chain_end", "on_parser_end");
  }

  @Test
  void everyRunEndsExactlyOnceWhenAStepFails() {
    List<StreamEvent> sink = new CopyOnWriteArrayList<>();
    Runnable<String, String> chain = RunnableLambda.of("ok", (String s) -> s).pipe(RunnableLambda.of("boom", (String s) -> {
      throw new IllegalStateException("boom");
    }));
    assertThatThrownBy(() -> chain.streamEvents("x", recording(sink), null).toList()).isInstanceOf(IllegalStateException.class)
        .hasMessage("boom");
    Map<String, Long> starts = new java.util.HashMap<>();
    Map<String, Long> ends = new java.util.HashMap<>();
    for (StreamEvent e : sink) {
      if (e.event().endsWith("_start")) starts.merge(e.runId(), 1L, Long::sum);
      if (e.event().endsWith("_end") || e.event().endsWith("_error") || e.event().endsWith("_cancel")) ends.merge(e.runId(), 1L, Long::sum);
    }
    assertThat(ends).isEqualTo(starts);
    assertThat(sink).filteredOn(e -> e.event().equals("on_chain_error")).hasSize(2)
        .allSatisfy(e -> assertThat(e.dataValue("error")).isInstanceOf(IllegalStateException.class));
  }

  @Test
  void aListenerThatThrowsDoesNotBreakTheRunOrOtherListeners() {
    List<StreamEvent> good = new CopyOnWriteArrayList<>();
    long before = Engine.LISTENER_FAILURES.get();
    RunConfig cfg = RunConfig.builder().listener(e -> {
      throw new RuntimeException("listener bug");
    }).listener(good::add).build();
    assertThat(RunnableLambda.of("r", (Integer x) -> x + 1).invoke(1, cfg)).isEqualTo(2);
    assertThat(good).hasSize(2);
    assertThat(Engine.LISTENER_FAILURES.get() - before).isEqualTo(2);
    List<StreamEvent> streamed = RunnableLambda.of("r", (Integer x) -> x + 1).streamEvents(1, cfg, null).toList();
    assertThat(streamed).hasSize(3);
  }

  @Test
  void aListenerThatThrowsAnErrorIsIsolatedToo() {
    RunConfig cfg = RunConfig.builder().listener(e -> {
      throw new AssertionError("listener assertion");
    }).build();
    assertThat(RunnableLambda.of("r", (Integer x) -> x + 1).invoke(1, cfg)).isEqualTo(2);
  }

  @Test
  void parallelBranchesRunAsTaggedChildrenAndStreamAddableChunks() {
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    RunnableParallel<Integer> p = RunnableParallel.of(new java.util.LinkedHashMap<>(Map.of(
        "double", RunnableLambda.of("double", (Integer x) -> x * 2),
        "square", RunnableLambda.of("square", (Integer x) -> x * x))));
    assertThat(p.name()).startsWith("RunnableParallel<");
    assertThat(p.invoke(3, recording(events))).containsEntry("double", 6).containsEntry("square", 9);
    assertThat(events).filteredOn(e -> e.name().equals("double") && e.event().endsWith("start"))
        .singleElement().satisfies(e -> assertThat(e.tags()).containsExactly("map:key:double"));
    List<Map<String, Object>> chunks = p.stream(4).toList();
    assertThat(chunks).hasSize(2);
    Map<String, Object> merged = new java.util.HashMap<>();
    chunks.forEach(merged::putAll);
    assertThat(merged).containsEntry("double", 8).containsEntry("square", 16);
    List<StreamEvent> streamed = p.streamEvents(5).toList();
    assertThat(streamed.get(streamed.size() - 1).dataValue("output")).isEqualTo(Map.of("double", 10, "square", 25));
  }

  @Test
  void parallelFailurePropagates() {
    RunnableParallel<Integer> p = RunnableParallel.of(Map.of("bad", RunnableLambda.of((Integer x) -> {
      throw new IllegalArgumentException("bad branch");
    })));
    assertThatThrownBy(() -> p.invoke(1)).isInstanceOf(IllegalArgumentException.class).hasMessage("bad branch");
    assertThatThrownBy(() -> p.stream(1).toList()).isInstanceOf(IllegalArgumentException.class).hasMessage("bad branch");
  }

  @Test
  void assignAddsComputedKeys() {
    Runnable<Map<String, Object>, Map<String, Object>> a = RunnablePassthrough.assign(Map.of("len",
        RunnableLambda.of("len", (Map<String, Object> m) -> ((String) m.get("q")).length())));
    assertThat(a.invoke(Map.of("q", "abc"))).containsEntry("q", "abc").containsEntry("len", 3);
    assertThat(a.name()).isEqualTo("RunnableAssign<len>");
    List<StreamEvent> events = a.streamEvents(Map.of("q", "abcd")).toList();
    assertThat(events.get(events.size() - 1).dataValue("output")).isEqualTo(Map.of("q", "abcd", "len", 4));
    assertThat(RunnablePassthrough.<String>create().stream("x").toList()).containsExactly("x");
  }

  @Test
  void fallbacksTryTheNextRunnableAndKeepTheFirstError() {
    Runnable<String, String> bad = RunnableLambda.of("bad", (String s) -> {
      throw new IllegalStateException("first");
    });
    Runnable<String, String> good = RunnableLambda.of("good", (String s) -> s + "!");
    assertThat(bad.withFallbacks(good).invoke("x")).isEqualTo("x!");
    assertThat(bad.withFallbacks(good).stream("y").toList()).containsExactly("y!");
    assertThatThrownBy(() -> bad.withFallbacks(bad).invoke("x")).hasMessage("first")
        .satisfies(t -> assertThat(t.getSuppressed()).hasSize(1));
  }

  @Test
  void retryRetriesOnTheInvokePathAndTagsLaterAttempts() {
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    Runnable<String, String> flaky = RunnableLambda.of("flaky", (String s) -> {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("try again");
      }
      return s;
    }).withRetry(RetryPolicy.attempts(3));
    assertThat(flaky.invoke("ok", recording(events))).isEqualTo("ok");
    assertThat(events).filteredOn(e -> e.event().equals("on_chain_start")).extracting(StreamEvent::tags)
        .containsExactly(List.of(), List.of(), List.of("retry:attempt:2"), List.of("retry:attempt:3"));
    RetryPolicy onlyState = RetryPolicy.attempts(5).retryingOn(t -> t instanceof IllegalStateException);
    AtomicInteger n = new AtomicInteger();
    assertThatThrownBy(() -> RunnableLambda.of((String s) -> {
      n.incrementAndGet();
      throw new IllegalArgumentException("no retry");
    }).withRetry(onlyState).invoke("x")).hasMessage("no retry");
    assertThat(n).hasValue(1);
  }

  @Test
  void routingLambdaRunsTheReturnedRunnableAsAChildAndRecursionIsBounded() {
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    Runnable<Integer, Integer> plusOne = RunnableLambda.of("plus_one", (Integer x) -> x + 1);
    Runnable<Integer, Integer> router = RunnableLambda.routing("router", (Integer x) -> plusOne);
    assertThat(router.invoke(1, recording(events))).isEqualTo(2);
    assertThat(names(events)).containsExactly("on_chain_start router", "on_chain_start plus_one", "on_chain_end plus_one",
        "on_chain_end router");
    assertThat(router.stream(5).toList()).containsExactly(6);
    Runnable<Integer, Integer>[] self = new Runnable[1];
    self[0] = RunnableLambda.routing("loop", (Integer x) -> self[0]);
    assertThatThrownBy(() -> self[0].invoke(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("recursion limit");
  }

  @Test
  void pullGeneratorTransformsChunksAsTheyArrive() {
    Runnable<String, String> upper = RunnableGenerator.of("upper", (Iterator<String> in) -> new Iterator<String>() {
      @Override
      public boolean hasNext() {
        return in.hasNext();
      }

      @Override
      public String next() {
        return in.next().toUpperCase();
      }
    });
    Runnable<Object, String> chain = GenericFakeChatModel.cycling(List.of(new AIMessage("a b"))).pipe(new StrOutputParser()).pipe(upper);
    assertThat(chain.stream("x").toList()).containsExactly("A", " ", "B");
    assertThat(chain.invoke("x")).isEqualTo("A B");
  }

  @Test
  void batchKeepsOrderAndHonoursMaxConcurrency() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch twoStarted = new CountDownLatch(2);
    Runnable<Integer, Integer> r = RunnableLambda.of("r", (Integer x) -> {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      twoStarted.countDown();
      running.decrementAndGet();
      return x * 10;
    });
    List<Integer> in = new ArrayList<>();
    for (int i = 0; i < 50; i++) in.add(i);
    List<Integer> out = r.batch(in, RunConfig.builder().maxConcurrency(2).build());
    assertThat(out).hasSize(50);
    for (int i = 0; i < 50; i++) assertThat(out.get(i)).isEqualTo(i * 10);
    assertThat(peak.get()).isLessThanOrEqualTo(2);
    assertThat(r.batchAsync(List.of(1, 2), null).get(10, TimeUnit.SECONDS)).containsExactly(10, 20);
  }

  @Test
  void streamAsyncHonoursDemandAndCancelClosesTheStream() throws Exception {
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    Runnable<Object, BaseMessage> model = GenericFakeChatModel.cycling(List.of(new AIMessage("one two three")));
    CountDownLatch got = new CountDownLatch(1);
    List<BaseMessage> items = new CopyOnWriteArrayList<>();
    Flow.Subscription[] sub = new Flow.Subscription[1];
    model.streamAsync("x", recording(events)).subscribe(new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        sub[0] = s;
        s.request(1);
      }

      @Override
      public void onNext(BaseMessage item) {
        items.add(item);
        got.countDown();
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onComplete() {}
    });
    assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
    sub[0].cancel();
    assertThat(items).hasSize(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (events.stream().noneMatch(e -> e.event().equals("on_chat_model_cancel")) && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(events).extracting(StreamEvent::event).contains("on_chat_model_cancel").doesNotContain("on_chat_model_end");
  }

  @Test
  void streamEventsPublisherDeliversEventsThenCompletes() throws Exception {
    List<StreamEvent> got = ConformanceTest.collect(RunnableLambda.of("r", (Integer x) -> x + 1)
        .streamEventsAsync(1, null, null)).get(10, TimeUnit.SECONDS);
    assertThat(got).extracting(StreamEvent::event).containsExactly("on_chain_start", "on_chain_stream", "on_chain_end");
  }

  @Test
  void chatModelStreamAddsASyntheticLastChunkWhenTheProviderMarksNone() {
    Runnable<Object, BaseMessage> model = GenericFakeChatModel.cycling(List.of(
        new AIMessage("hi", null, null, Map.of("foo", "bar"), null, null, null)));
    List<StreamEvent> events = model.streamEvents("x").toList();
    List<StreamEvent> chunks = events.stream().filter(e -> e.event().equals("on_chat_model_stream")).toList();
    assertThat(chunks).hasSize(3);
    AIMessageChunk last = (AIMessageChunk) chunks.get(2).dataValue("chunk");
    assertThat(last.content()).isEqualTo("");
    assertThat(last.chunkPosition()).isEqualTo(ChunkPosition.LAST);
    assertThat(last.id()).isEqualTo("lc_run--" + events.get(0).runId());
    AIMessageChunk endOutput = (AIMessageChunk) events.get(events.size() - 1).dataValue("output");
    assertThat(endOutput.chunkPosition()).isNull();
    assertThat(endOutput.additionalKwargs()).containsEntry("foo", "bar");
  }

  @Test
  void chatModelFailingMidStreamReportsThePartialOutput() {
    List<StreamEvent> sink = new CopyOnWriteArrayList<>();
    FakeListChatModel model = new FakeListChatModel(List.of("hello"), Duration.ZERO, 3);
    assertThatThrownBy(() -> model.stream("x", recording(sink)).toList()).isInstanceOf(FakeListChatModel.FakeListChatModelError.class);
    StreamEvent error = sink.get(sink.size() - 1);
    assertThat(error.event()).isEqualTo("on_chat_model_error");
    assertThat(((AIMessageChunk) error.dataValue("output")).content()).isEqualTo("hel");
  }

  @Test
  void plainInvokeDoesNotStreamButInvokeUnderStreamEventsDoes() {
    List<StreamEvent> sink = new CopyOnWriteArrayList<>();
    Runnable<Object, BaseMessage> model = GenericFakeChatModel.cycling(List.of(new AIMessage("a b")));
    BaseMessage out = model.invoke("x", recording(sink));
    assertThat(out).isInstanceOf(AIMessage.class);
    assertThat(out.id()).isEqualTo("lc_run--" + sink.get(0).runId() + "-0");
    assertThat(sink).extracting(StreamEvent::event).containsExactly("on_chat_model_start", "on_chat_model_end");
  }

  @Test
  void chatModelMetadataCarriesLsParamsWithModelPrecedence() {
    List<StreamEvent> sink = new CopyOnWriteArrayList<>();
    Runnable<Object, BaseMessage> model = GenericFakeChatModel.cycling(List.of(new AIMessage("a")))
        .bind(Map.of("temperature", 0.5, "max_tokens", 10, "model", "m1", "stop", List.of("x")));
    model.invoke("x", RunConfig.builder().metadata("ls_provider", "overridden").listener(sink::add).build());
    assertThat(sink.get(0).metadata()).containsEntry("ls_provider", "genericfakechatmodel").containsEntry("ls_model_type", "chat")
        .containsEntry("ls_temperature", 0.5).containsEntry("ls_max_tokens", 10).containsEntry("ls_model_name", "m1")
        .containsEntry("ls_stop", List.of("x"));
  }

  @Test
  void toolCallInputYieldsAToolMessageAndValidatesArguments() {
    Tool add = Tool.builder("add").description("adds").arg("a", "integer", "first").arg("b", "integer", "second")
        .function(args -> ((Number) args.get("a")).intValue() + ((Number) args.get("b")).intValue()).build();
    Object out = add.invoke(new ToolCall("add", Map.of("a", 1, "b", 2), "call_9"));
    assertThat(out).isEqualTo(new ToolMessage("3", "call_9", "add", "success", null));
    assertThat(add.invoke(Map.of("a", 2, "b", 2))).isEqualTo(4);
    assertThatThrownBy(() -> add.invoke(Map.of("a", 1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing required argument 'b'");
    assertThat(add.argsSchema()).containsEntry("type", "object").containsEntry("required", List.of("a", "b"));
    Tool echo = Tool.builder("echo").arg("text", "string", null).function(a -> Map.of("said", a.get("text"))).build();
    assertThat(echo.invoke(Map.of("type", "tool_call", "name", "echo", "args", Map.of("text", "hi"), "id", "c1")))
        .isEqualTo(new ToolMessage("{\"said\": \"hi\"}", "c1", "echo", "success", null));
    assertThat(echo.invoke("plain")).isEqualTo(Map.of("said", "plain"));
  }

  @Test
  void promptTemplatesFormatAndReportMissingVariables() {
    ChatPromptTemplate t = ChatPromptTemplate.of(ChatPromptTemplate.system("be {{brief}}"), ChatPromptTemplate.human("{q}"));
    assertThat(t.inputVariables()).containsExactly("q");
    assertThat(t.format(Map.of("q", "hi")).toText()).isEqualTo("System: be {brief}\nHuman: hi");
    assertThatThrownBy(() -> t.invoke(Map.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'q'");
    assertThat(PromptTemplate.of("Tell me about {x}").invoke(Map.of("x", "y"))).isEqualTo(new PromptValue.Text("Tell me about y"));
    assertThatThrownBy(() -> PromptTemplate.of("bad {")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void llmStreamsGenerationChunksNestedAndStringsAtTheRoot() {
    BaseLLM llm = new BaseLLM() {
      @Override
      protected String call(String prompt, List<String> stop) {
        return "ab";
      }

      @Override
      protected boolean supportsStreaming() {
        return true;
      }

      @Override
      protected CloseableIterator<GenerationChunk> streamText(String prompt, List<String> stop) {
        return CloseableIterator.of(List.of(new GenerationChunk("a"), new GenerationChunk("b")).iterator());
      }
    };
    List<StreamEvent> root = llm.streamEvents("p").toList();
    assertThat(root).filteredOn(e -> e.event().equals("on_llm_stream")).extracting(e -> e.dataValue("chunk"))
        .containsExactly("a", "b");
    List<StreamEvent> nested = RunnableLambda.<String, String>of("pre", x -> x).pipe(llm).streamEvents("p").toList();
    assertThat(nested).filteredOn(e -> e.event().equals("on_llm_stream")).extracting(e -> e.dataValue("chunk"))
        .containsExactly(new GenerationChunk("a"), new GenerationChunk("b"));
  }

  @Test
  void customEventsCarryTheEnclosingRunAndAreFilteredByName() {
    Runnable<Integer, Integer> r = RunnableLambda.of("work", (Integer x) -> {
      CustomEvent.dispatch("progress", Map.of("pct", 50));
      return x;
    });
    List<StreamEvent> events = r.streamEvents(1, null, EventFilter.builder().includeTypes("progress").build()).toList();
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.isCustom()).isTrue();
      assertThat(e.data()).isEqualTo(Map.of("pct", 50));
    });
  }

  @Test
  void runIdsComeFromTheInjectedGenerator() {
    List<StreamEvent> events = RunnableLambda.of("r", (Integer x) -> x).streamEvents(1,
        RunConfig.builder().runIdGenerator(RunIdGenerator.sequential(100)).build(), null).toList();
    assertThat(events.get(0).runId()).isEqualTo("00000000-0000-0000-0000-000000000064");
    java.util.UUID v7 = RunIdGenerator.uuidV7().next();
    assertThat(v7.version()).isEqualTo(7);
    assertThat(v7.variant()).isEqualTo(2);
  }

  @Test
  void seqIncreasesStrictlyAndTimestampsAreMonotonic() {
    List<StreamEvent> events = GenericFakeChatModel.cycling(List.of(new AIMessage("a b c d"))).streamEvents("x").toList();
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).seq()).isGreaterThan(events.get(i - 1).seq());
      assertThat(events.get(i).timestampNanos()).isGreaterThanOrEqualTo(events.get(i - 1).timestampNanos());
    }
  }
}
