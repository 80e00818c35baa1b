package io.tracewire.exporters.otel;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static io.tracewire.exporters.otel.GenAiMapping.*;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.core.retriever.BaseRetriever;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.prompt.PromptValue;
import io.tracewire.core.runnable.RetryPolicy;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.runnable.RunnableParallel;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.tool.Tool;
import io.tracewire.core.fake.FakeListChatModel;
import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.BaseMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtelBridgeMappingTest {
  private InMemorySpanExporter spans;
  private InMemoryMetricReader metrics;
  private OpenTelemetrySdk sdk;
  private OtelBridge bridge;

  @BeforeEach
  void setUp() {
    spans = InMemorySpanExporter.create();
    metrics = InMemoryMetricReader.create();
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
        .build();
    bridge = OtelBridge.builder().openTelemetry(sdk).build();
  }

  @AfterEach
  void tearDown() {
    assertThat(Context.current()).as("no OpenTelemetry context left behind on the test thread").isSameAs(Context.root());
    bridge.close();
    sdk.close();
  }

  /** Rebuilds the bridge with the run-id lookup behind spanContextOf on. */
  private void crossLinked() {
    bridge.close();
    bridge = OtelBridge.builder().openTelemetry(sdk).crossLinks(true).build();
  }

  private RunConfig traced() {
    return RunConfig.builder().listener(bridge).build();
  }

  private static Runnable<Map<String, Object>, PromptValue> prompt() {
    return ChatPromptTemplate.of(ChatPromptTemplate.system("You are a cat"), ChatPromptTemplate.human("{question}"));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Runnable<Map<String, Object>, String> chain(Runnable<Object, BaseMessage> model) {
    return prompt().pipe((Runnable) model).pipe((Runnable) new StrOutputParser());
  }

  private List<SpanData> finished() {
    List<SpanData> l = new ArrayList<>(spans.getFinishedSpanItems());
    l.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
    return l;
  }

  private SpanData named(String name) {
    return finished().stream().filter(s -> s.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + names()));
  }

  private List<String> names() {
    return finished().stream().map(SpanData::getName).toList();
  }

  @Test
  void promptModelParserChainBecomesTheExactSpanTree() {
    String out = chain(new ChatOpenAI()).invoke(Map.of("question", "hi?"), traced());

    assertThat(out).isEqualTo("hi there");
    assertThat(spans.getFinishedSpanItems()).hasSize(4);
    io.opentelemetry.sdk.testing.assertj.TracesAssert.assertThat(spans.getFinishedSpanItems())
        .hasTracesSatisfyingExactly(trace -> trace.hasSpansSatisfyingExactly(
            span -> span.hasName("RunnableSequence").hasKind(SpanKind.INTERNAL).hasNoParent()
                .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
                .hasAttribute(RUN_TYPE, "chain").hasAttribute(RUN_OUTCOME, "end"),
            span -> span.hasName("ChatPromptTemplate").hasKind(SpanKind.INTERNAL).hasParent(trace.getSpan(0))
                .hasAttribute(RUN_TYPE, "prompt"),
            span -> span.hasName("chat gpt-4o").hasKind(SpanKind.CLIENT).hasParent(trace.getSpan(0))
                .hasAttributesSatisfyingExactly(
                    equalTo(OPERATION_NAME, "chat"),
                    equalTo(PROVIDER_NAME, "openai"),
                    equalTo(REQUEST_MODEL, "gpt-4o"),
                    equalTo(REQUEST_TEMPERATURE, 0.25),
                    equalTo(REQUEST_MAX_TOKENS, 100L),
                    equalTo(REQUEST_STOP_SEQUENCES, List.of("END")),
                    equalTo(REQUEST_STREAM, false),
                    equalTo(RESPONSE_MODEL, "gpt-4o-2024-08-06"),
                    equalTo(RESPONSE_ID, "chatcmpl-1"),
                    equalTo(RESPONSE_FINISH_REASONS, List.of("stop")),
                    equalTo(USAGE_INPUT_TOKENS, 12L),
                    equalTo(USAGE_OUTPUT_TOKENS, 5L),
                    equalTo(USAGE_CACHE_CREATION_INPUT_TOKENS, 2L),
                    equalTo(USAGE_CACHE_READ_INPUT_TOKENS, 3L),
                    equalTo(USAGE_REASONING_OUTPUT_TOKENS, 4L),
                    equalTo(RUN_TYPE, "chat_model"),
                    equalTo(RUN_NAME, "ChatOpenAI"),
                    equalTo(RUN_OUTCOME, "end"),
                    equalTo(RUN_TAGS, List.of("seq:step:2")),
                    io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.satisfies(RUN_ID,
                        v -> v.matches("[0-9a-f-]{36}"))),
            span -> span.hasName("StrOutputParser").hasKind(SpanKind.INTERNAL).hasParent(trace.getSpan(0))
                .hasAttribute(RUN_TYPE, "parser")));
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void conformanceCaseA09PromptAndConfiguredFakeModelBecomeTheExactSpanTree() {
    // LangChain conformance case A09: a named prompt, a named fake chat model bound to a stop token
    Runnable<Object, BaseMessage> model = GenericFakeChatModel.cycling(List.of(new AIMessage("hello world!", "ai1")))
        .withConfig(RunConfig.builder().metadata("a", "b").tags("my_model").runName("my_model").build())
        .bind(Map.of("stop", "<stop_token>"));
    Runnable<Map<String, Object>, PromptValue> template = ChatPromptTemplate.of(
        ChatPromptTemplate.system("You are Cat Agent 007"), ChatPromptTemplate.human("{question}"))
        .withConfig(RunConfig.builder().runName("my_template").tags("my_template").build());
    Runnable<Map<String, Object>, Object> chain = template.pipe((Runnable) model)
        .withConfig(RunConfig.builder().metadata("foo", "bar").tags("my_chain").runName("my_chain").build());
    try (CloseableIterator<Object> it = chain.stream(Map.of("question", "hello"), traced())) {
      it.forEachRemaining(x -> { });
    }

    io.opentelemetry.sdk.testing.assertj.TracesAssert.assertThat(spans.getFinishedSpanItems())
        .hasTracesSatisfyingExactly(trace -> trace.hasSpansSatisfyingExactly(
            span -> span.hasName("my_chain").hasNoParent().hasKind(SpanKind.INTERNAL)
                .hasAttribute(RUN_TAGS, List.of("my_chain"))
                .hasAttribute(AttributeKey.stringKey("tracewire.metadata.foo"), "bar"),
            span -> span.hasName("my_template").hasParent(trace.getSpan(0))
                .hasAttribute(RUN_TAGS, List.of("seq:step:1", "my_chain", "my_template")),
            span -> span.hasName("chat my_model").hasParent(trace.getSpan(0)).hasKind(SpanKind.CLIENT)
                .hasAttribute(OPERATION_NAME, "chat").hasAttribute(PROVIDER_NAME, "genericfakechatmodel")
                .hasAttribute(RUN_NAME, "my_model")
                .hasAttribute(REQUEST_STOP_SEQUENCES, List.of("<stop_token>"))
                .hasAttribute(REQUEST_STREAM, true)
                .hasAttribute(RESPONSE_ID, "ai1")
                .hasAttribute(AttributeKey.stringKey("tracewire.metadata.a"), "b")
                .hasAttribute(AttributeKey.stringKey("tracewire.metadata.foo"), "bar")));
  }

  @Test
  void runIdentityTagsAndNonLsMetadataGoUnderTracewireNamespace() {
    crossLinked();
    UUID id = UUID.randomUUID();
    RunnableLambda.of("step", (Object x) -> x).invoke("a", RunConfig.builder().listener(bridge).runId(id)
        .tags("t1", "t2").metadata("user", "u-1").metadata("n", 3).metadata("ls_ignored", "x").build());

    SpanData s = named("step");
    assertThat(s).hasAttribute(RUN_ID, id.toString()).hasAttribute(RUN_TAGS, List.of("t1", "t2"))
        .hasAttribute(AttributeKey.stringKey("tracewire.metadata.user"), "u-1")
        .hasAttribute(AttributeKey.longKey("tracewire.metadata.n"), 3L);
    assertThat(s.getAttributes().asMap().keySet()).noneMatch(k -> k.getKey().contains("ls_") || k.getKey().startsWith("gen_ai."));
    assertThat(bridge.spanContextOf(id.toString()).getSpanId()).isEqualTo(s.getSpanId());
    assertThat(bridge.spanContextOf(id.toString()).getTraceId()).isEqualTo(s.getTraceId());
    assertThat(bridge.spanContextOf(UUID.randomUUID().toString()).isValid()).isFalse();
  }

  @Test
  void aListenerAfterTheBridgeFindsTheSpanIdsOfEveryEventItSees() {
    crossLinked();
    List<String[]> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.tracewire.core.event.RunListener jsonlLike = e -> {
      SpanContext sc = bridge.spanContextOf(e.runId());
      seen.add(new String[] {e.event(), e.runId(), sc.isValid() ? sc.getTraceId() : null, sc.isValid() ? sc.getSpanId() : null});
    };
    chain(new ChatOpenAI(true, () -> { })).invoke(Map.of("question", "q"),
        RunConfig.builder().listener(bridge).listener(jsonlLike).build());

    Map<String, SpanData> byRunId = finished().stream()
        .collect(Collectors.toMap(sd -> sd.getAttributes().get(RUN_ID), sd -> sd));
    assertThat(seen).hasSizeGreaterThanOrEqualTo(8);
    assertThat(seen).allSatisfy(row -> {
      SpanData span = byRunId.get(row[1]);
      assertThat(row[2]).as(row[0]).isEqualTo(span.getTraceId());
      assertThat(row[3]).as(row[0]).isEqualTo(span.getSpanId());
    });
    assertThat(seen.stream().map(r -> r[2]).distinct()).hasSize(1);
  }

  @Test
  void spanContextOfAnOpenRunIsTheSpanThatIsCurrentInsideIt() {
    crossLinked();
    UUID id = UUID.randomUUID();
    AtomicReference<SpanContext> seenInside = new AtomicReference<>();
    AtomicReference<SpanContext> currentInside = new AtomicReference<>();
    RunnableLambda.of("inner", (Object x) -> {
      seenInside.set(bridge.spanContextOf(id.toString()));
      currentInside.set(Span.current().getSpanContext());
      return x;
    }).invoke("a", RunConfig.builder().listener(bridge).runId(id).build());

    assertThat(seenInside.get().isValid()).isTrue();
    assertThat(currentInside.get()).isEqualTo(seenInside.get());
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
  }

  @Test
  void runsAreLookedUpByIdOnlyOnceCrossLinksAreOn() {
    UUID before = UUID.randomUUID();
    RunnableLambda.of("before", (Object x) -> x).invoke("a", RunConfig.builder().listener(bridge).runId(before).build());
    assertThat(bridge.spanContextOf(before.toString()).isValid()).as("cross-links off: no lookup table").isFalse();

    io.tracewire.exporters.jsonl.TraceLinks links = bridge.traceLinks();
    UUID after = UUID.randomUUID();
    RunnableLambda.of("after", (Object x) -> x).invoke("a", RunConfig.builder().listener(bridge).runId(after).build());

    SpanData s = named("after");
    assertThat(links.find(after.toString())).isEqualTo(new io.tracewire.exporters.jsonl.TraceLinks.Link(s.getTraceId(), s.getSpanId()));
    assertThat(bridge.spanContextOf(after.toString()).getSpanId()).isEqualTo(s.getSpanId());
    assertThat(links.find(before.toString())).isNull();
    assertThat(named("before").getSpanId()).isNotEqualTo(s.getSpanId());
  }

  @Test
  void instrumentedClientSpanInsideTheModelNestsUnderTheChatSpan() {
    Tracer app = sdk.getTracer("http-client");
    ChatOpenAI model = new ChatOpenAI(false, () -> app.spanBuilder("POST /v1/chat/completions").startSpan().end());
    chain(model).invoke(Map.of("question", "q"), traced());

    SpanData http = named("POST /v1/chat/completions");
    assertThat(http).hasParentSpanId(named("chat gpt-4o").getSpanId());
    assertThat(Context.current()).isSameAs(Context.root());
  }

  @Test
  void streamedChainNestsTheClientSpanAndRestoresTheContext() {
    Tracer app = sdk.getTracer("http-client");
    ChatOpenAI model = new ChatOpenAI(true, () -> app.spanBuilder("POST stream").startSpan().end());
    List<String> out = new ArrayList<>();
    try (CloseableIterator<String> it = chain(model).stream(Map.of("question", "q"), traced())) {
      it.forEachRemaining(out::add);
    }
    assertThat(String.join("", out)).isEqualTo("hi there");
    assertThat(named("POST stream")).hasParentSpanId(named("chat gpt-4o").getSpanId());
    assertThat(named("chat gpt-4o")).hasAttribute(REQUEST_STREAM, true).hasAttribute(STREAM_CHUNKS, 3L)
        .hasAttribute(USAGE_INPUT_TOKENS, 12L);
    assertThat(named("chat gpt-4o").getAttributes().get(RESPONSE_TIME_TO_FIRST_CHUNK)).isNotNull().isGreaterThanOrEqualTo(0.0);
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
    assertThat(bridge.openRuns()).isZero();
  }

  @Test
  void rootRunJoinsTheApplicationSpanThatIsCurrent() {
    Span appSpan = sdk.getTracer("app").spanBuilder("GET /ask").startSpan();
    try (Scope ignored = appSpan.makeCurrent()) {
      chain(new ChatOpenAI()).invoke(Map.of("question", "q"), traced());
    } finally {
      appSpan.end();
    }
    assertThat(named("RunnableSequence")).hasParentSpanId(appSpan.getSpanContext().getSpanId())
        .hasTraceId(appSpan.getSpanContext().getTraceId());
    assertThat(finished()).allSatisfy(s -> assertThat(s).hasTraceId(appSpan.getSpanContext().getTraceId()));
  }

  @Test
  void errorEndsEverySpanOnceWithStatusErrorAndAnExceptionEvent() {
    Runnable<Object, Object> failing = RunnableLambda.of("boom", x -> {
      throw new IllegalStateException("kaputt");
    });
    Runnable<Object, Object> seq = RunnableLambda.of("first", (Object x) -> x).pipe(failing);
    assertThatThrownBy(() -> seq.invoke("x", traced())).isInstanceOf(IllegalStateException.class);

    assertThat(finished()).extracting(SpanData::getName).containsExactly("RunnableSequence", "first", "boom");
    for (String n : List.of("RunnableSequence", "boom")) {
      SpanData s = named(n);
      assertThat(s).hasStatus(io.opentelemetry.sdk.trace.data.StatusData.create(StatusCode.ERROR, "kaputt"))
          .hasAttribute(ERROR_TYPE, IllegalStateException.class.getName()).hasAttribute(RUN_OUTCOME, "error")
          .hasException(new IllegalStateException("kaputt")).satisfies(d -> { });
      assertThat(s.getEvents()).anySatisfy(ev -> assertThat(ev.getName()).isEqualTo("exception"));
    }
    assertThat(named("first").getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(bridge.openRuns()).isZero();
  }

  @Test
  void chatModelErrorMidStreamIsAnErrorSpanWithOperationDurationErrorType() {
    FakeListChatModel model = new FakeListChatModel(List.of("abcdef"), null, 2);
    assertThatThrownBy(() -> {
      try (CloseableIterator<BaseMessage> it = model.stream("q", traced())) {
        it.forEachRemaining(x -> { });
      }
    }).isInstanceOf(RuntimeException.class);
    SpanData s = finished().get(0);
    assertThat(s.getName()).startsWith("chat ");
    assertThat(s).hasKind(SpanKind.CLIENT).hasAttribute(RUN_OUTCOME, "error").hasAttribute(REQUEST_STREAM, true)
        .hasAttribute(STREAM_CHUNKS, 2L);
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    HistogramPointData p = histogram(METRIC_OPERATION_DURATION).get(0);
    assertThat(p.getAttributes().get(ERROR_TYPE)).isEqualTo(FakeListChatModel.FakeListChatModelError.class.getName());
    assertThat(p.getCount()).isEqualTo(1);
  }

  @Test
  void closingAStreamEarlyCancelsEveryOpenSpanExactlyOnce() {
    GenericFakeChatModel model = GenericFakeChatModel.cycling(List.of(new AIMessage("one two three four", "ai1")));
    try (CloseableIterator<String> it = chain(model).stream(Map.of("question", "q"), traced())) {
      assertThat(it.hasNext()).isTrue();
      it.next();
    }
    List<SpanData> all = finished();
    assertThat(all).extracting(SpanData::getName).containsExactlyInAnyOrder("RunnableSequence", "ChatPromptTemplate",
        "chat GenericFakeChatModel", "StrOutputParser");
    assertThat(all.stream().map(SpanData::getSpanId).collect(Collectors.toSet())).hasSize(4);
    for (String n : List.of("RunnableSequence", "chat GenericFakeChatModel", "StrOutputParser")) {
      SpanData s = named(n);
      assertThat(s).hasAttribute(RUN_OUTCOME, "cancel");
      assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
      assertThat(s.getEvents()).extracting(EventData::getName).contains(CANCEL_EVENT);
    }
    assertThat(bridge.openRuns()).isZero();
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
  }

  @Test
  void retryIsOneSpanWithEachAttemptAsAChildSpan() {
    AtomicInteger calls = new AtomicInteger();
    Runnable<Object, Object> flaky = RunnableLambda.<Object, Object>of("flaky", x -> {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("try again");
      }
      return "ok";
    }).withRetry(RetryPolicy.attempts(3));
    assertThat(flaky.invoke("x", traced())).isEqualTo("ok");

    List<SpanData> all = finished();
    assertThat(all).hasSize(4);
    SpanData retry = all.get(0);
    assertThat(retry).hasName("flaky").hasNoParent().hasAttribute(RUN_OUTCOME, "end");
    List<SpanData> attempts = all.subList(1, 4);
    assertThat(attempts).allSatisfy(a -> assertThat(a).hasName("flaky").hasParentSpanId(retry.getSpanId()));
    assertThat(attempts.get(0).getAttributes().get(RETRY_ATTEMPT)).isNull();
    assertThat(attempts.get(0)).hasAttribute(RUN_OUTCOME, "error");
    assertThat(attempts.get(1)).hasAttribute(RETRY_ATTEMPT, 2L).hasAttribute(RUN_OUTCOME, "error");
    assertThat(attempts.get(2)).hasAttribute(RETRY_ATTEMPT, 3L).hasAttribute(RUN_OUTCOME, "end");
    assertThat(retry.getStartEpochNanos()).isLessThanOrEqualTo(attempts.get(0).getStartEpochNanos());
    assertThat(retry.getEndEpochNanos()).isGreaterThanOrEqualTo(attempts.get(2).getEndEpochNanos());
  }

  @Test
  void parallelBranchesOnOtherThreadsAreChildrenOfTheParallelSpan() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      CountDownLatch together = new CountDownLatch(3);
      Set<String> threads = ConcurrentHashMap.newKeySet();
      Map<String, Runnable<Object, Object>> branches = new LinkedHashMap<>();
      for (String b : List.of("a", "b", "c")) {
        branches.put(b, RunnableLambda.of("branch_" + b, x -> {
          threads.add(Thread.currentThread().getName());
          together.countDown();
          try {
            together.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Span.current().getSpanContext().getSpanId();
        }));
      }
      Map<String, Object> out = RunnableParallel.of(branches)
          .invoke("x", RunConfig.builder().listener(bridge).executor(pool).build());

      SpanData parallel = named("RunnableParallel<a,b,c>");
      assertThat(parallel).hasNoParent();
      for (String b : List.of("a", "b", "c")) {
        SpanData branch = named("branch_" + b);
        assertThat(branch).hasParentSpanId(parallel.getSpanId()).hasTraceId(parallel.getTraceId());
        assertThat(out.get(b)).isEqualTo(branch.getSpanId());
      }
      assertThat(threads).hasSize(3);
      assertThat(bridge.openRuns()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void toolAndRetrieverSpansFollowTheConventions() {
    Tool tool = Tool.builder("get_weather").description("Weather").arg("city", "string", null)
        .function(a -> "sunny in " + a.get("city")).build();
    Map<String, Object> call = Map.of("name", "get_weather", "args", Map.of("city", "Oslo"), "id", "call_1", "type", "tool_call");
    tool.invoke(call, traced());
    BaseRetriever retriever = BaseRetriever.of("docs", q -> List.of(new Document("d1")));
    retriever.invoke("query", traced());

    SpanData t = named("execute_tool get_weather");
    assertThat(t).hasKind(SpanKind.INTERNAL).hasAttribute(OPERATION_NAME, "execute_tool")
        .hasAttribute(TOOL_NAME, "get_weather").hasAttribute(TOOL_CALL_ID, "call_1");
    assertThat(t.getAttributes().get(TOOL_CALL_ARGUMENTS)).isNull();
    SpanData r = finished().get(1);
    assertThat(r.getName()).startsWith("retrieval ");
    assertThat(r).hasAttribute(OPERATION_NAME, "retrieval").hasKind(SpanKind.INTERNAL);
  }

  @Test
  void aChainRunNamedByItsAgentNameMetadataIsAnInvokeAgentSpan() {
    RunnableLambda<Object, Object> inner = RunnableLambda.of("step", (Object x) -> x);
    RunnableLambda<Object, Object> agent = RunnableLambda.of("Assistant#chat", (Object x) -> inner.invoke(x));
    agent.invoke("hi", RunConfig.builder().listener(bridge).metadata(LS_AGENT_NAME, "Assistant#chat").build());

    SpanData a = named("invoke_agent Assistant#chat");
    assertThat(a).hasKind(SpanKind.INTERNAL).hasAttribute(OPERATION_NAME, "invoke_agent")
        .hasAttribute(AGENT_NAME, "Assistant#chat").hasAttribute(RUN_TYPE, "chain");
    // the child inherits the metadata key but is not the agent
    SpanData step = named("step");
    assertThat(step.getAttributes().get(OPERATION_NAME)).isNull();
    assertThat(step).hasParentSpanId(a.getSpanId());
  }

  @Test
  void contentIsOffByDefault() {
    chain(new ChatOpenAI()).invoke(Map.of("question", "secret question"), traced());
    assertThat(finished()).allSatisfy(s -> assertThat(s.getAttributes().asMap().keySet())
        .noneMatch(k -> k.getKey().equals(INPUT_MESSAGES.getKey()) || k.getKey().equals(OUTPUT_MESSAGES.getKey())
            || k.getKey().equals(RUN_INPUT.getKey()) || k.getKey().equals(RUN_OUTPUT.getKey())));
    assertThat(finished().toString()).doesNotContain("secret question");
  }

  @Test
  void contentCaptureRecordsGenAiMessagesRedactedAndSizeLimited() {
    bridge.close();
    bridge = OtelBridge.builder().openTelemetry(sdk).captureContent(true).maxContentLength(200)
        .redactor((key, value) -> value.replace("password123", "[REDACTED]")).build();
    chain(new ChatOpenAI()).invoke(Map.of("question", "my password123 is " + "x".repeat(500)), traced());

    SpanData chat = named("chat gpt-4o");
    String in = chat.getAttributes().get(INPUT_MESSAGES);
    assertThat(in).startsWith("[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"You are a cat\"}]},"
        + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"my [REDACTED] is xxx");
    assertThat(in).hasSize(200).endsWith("...[truncated]").doesNotContain("password123");
    assertThat(chat.getAttributes().get(OUTPUT_MESSAGES)).isEqualTo(
        "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"hi there\"}],\"finish_reason\":\"stop\"}]");
    assertThat(named("StrOutputParser").getAttributes().get(RUN_OUTPUT)).isEqualTo("hi there");
    assertThat(finished().toString()).doesNotContain("password123");
  }

  @Test
  void throwingRedactorDropsTheValueAndTheRunGoesOn() {
    bridge.close();
    bridge = OtelBridge.builder().openTelemetry(sdk).captureContent(true).redactor((k, v) -> {
      throw new IllegalStateException("bad redactor");
    }).build();
    assertThat(chain(new ChatOpenAI()).invoke(Map.of("question", "q"), traced())).isEqualTo("hi there");
    assertThat(named("chat gpt-4o").getAttributes().get(INPUT_MESSAGES)).isNull();
    assertThat(finished()).hasSize(4);
  }

  @Test
  void chunkFidelityControlsStreamEvents() {
    assertThat(chunkEventIndexes(ChunkFidelity.NONE)).isEmpty();
    assertThat(chunkEventIndexes(ChunkFidelity.ALL)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(chunkEventIndexes(ChunkFidelity.FIRST_AND_LAST)).containsExactly(0L, 6L);
    assertThat(chunkEventIndexes(ChunkFidelity.everyNth(3))).containsExactly(0L, 3L, 6L);
    assertThatThrownBy(() -> ChunkFidelity.everyNth(0)).isInstanceOf(IllegalArgumentException.class);
  }

  private List<Long> chunkEventIndexes(ChunkFidelity fidelity) {
    bridge.close();
    spans.reset();
    bridge = OtelBridge.builder().openTelemetry(sdk).chunkFidelity(fidelity).captureContent(true).build();
    ChatOpenAI model = new ChatOpenAI(true, () -> { }, "a", "b", "c", "d", "e", "f");
    try (CloseableIterator<BaseMessage> it = model.stream("q", traced())) {
      it.forEachRemaining(x -> { });
    }
    SpanData s = finished().get(0);
    assertThat(s).hasAttribute(STREAM_CHUNKS, 7L);
    List<EventData> evs = s.getEvents().stream().filter(e -> e.getName().equals(CHUNK_EVENT)).toList();
    if (fidelity == ChunkFidelity.ALL) {
      assertThat(evs).extracting(e -> e.getAttributes().get(CHUNK_CONTENT)).containsExactly("a", "b", "c", "d", "e", "f", "");
    }
    return evs.stream().map(e -> e.getAttributes().get(CHUNK_INDEX)).toList();
  }

  @Test
  void metricsRecordDurationTokensAndChunkTiming() {
    ChatOpenAI model = new ChatOpenAI(true, () -> { }, "a", "b", "c");
    try (CloseableIterator<BaseMessage> it = model.stream("q", traced())) {
      it.forEachRemaining(x -> { });
    }
    HistogramPointData duration = histogram(METRIC_OPERATION_DURATION).get(0);
    assertThat(duration.getCount()).isEqualTo(1);
    assertThat(duration.getAttributes().get(OPERATION_NAME)).isEqualTo("chat");
    assertThat(duration.getAttributes().get(PROVIDER_NAME)).isEqualTo("openai");
    assertThat(duration.getAttributes().get(REQUEST_MODEL)).isEqualTo("gpt-4o");
    assertThat(duration.getAttributes().get(RESPONSE_MODEL)).isEqualTo("gpt-4o-2024-08-06");

    MetricData tokens = metric(METRIC_TOKEN_USAGE);
    assertThat(tokens.getUnit()).isEqualTo("{token}");
    Map<String, Double> byType = tokens.getHistogramData().getPoints().stream()
        .collect(Collectors.toMap(p -> p.getAttributes().get(TOKEN_TYPE), HistogramPointData::getSum));
    assertThat(byType).containsExactlyInAnyOrderEntriesOf(Map.of("input", 12.0, "output", 5.0));
    assertThat(histogram(METRIC_TIME_TO_FIRST_CHUNK).get(0).getCount()).isEqualTo(1);
    assertThat(histogram(METRIC_TIME_PER_OUTPUT_CHUNK).get(0).getCount()).isEqualTo(3);
  }

  private MetricData metric(String name) {
    return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }

  private List<HistogramPointData> histogram(String name) {
    return List.copyOf(metric(name).getHistogramData().getPoints());
  }

  @Test
  void eventsAfterCloseAreIgnored() {
    bridge.close();
    chain(new ChatOpenAI()).invoke(Map.of("question", "q"), traced());
    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void runsBeyondMaxOpenRunsGetNoSpanAndAreCounted() {
    bridge.close();
    bridge = OtelBridge.builder().openTelemetry(sdk).maxOpenRuns(2).build();
    chain(new ChatOpenAI()).invoke(Map.of("question", "q"), traced());
    // sequence + one child at a time stay open: all four runs fit
    assertThat(bridge.stats().runsUntraced()).isZero();
    Runnable<Object, Object> deep = RunnableLambda.of("l1", (Object x) ->
        RunnableLambda.of("l2", (Object y) -> RunnableLambda.of("l3", (Object z) -> z).invoke(y)).invoke(x));
    deep.invoke("x", traced());
    assertThat(bridge.stats().runsUntraced()).isEqualTo(1);
    assertThat(bridge.openRuns()).isZero();
  }

  @Test
  void builderRejectsMixingReuseWithStandaloneSettings() {
    assertThatThrownBy(() -> OtelBridge.builder().openTelemetry(sdk).endpoint("http://localhost:4318").build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> OtelBridge.builder().endpoint("ftp://x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OtelBridge.builder().openTelemetry(null)).hasMessage("openTelemetry");
  }

  @Test
  void providerNamesAreNormalised() {
    assertThat(GenAiMapping.providerName("bedrock")).isEqualTo("aws.bedrock");
    assertThat(GenAiMapping.providerName("mistralai")).isEqualTo("mistral_ai");
    assertThat(GenAiMapping.providerName("OpenAI")).isEqualTo("openai");
    assertThat(GenAiMapping.providerName("somethingnew")).isEqualTo("somethingnew");
    assertThat(GenAiMapping.providerName(null)).isEqualTo("unknown");
  }
}
