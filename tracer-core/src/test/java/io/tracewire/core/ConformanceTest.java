package io.tracewire.core;

import io.tracewire.core.event.CustomEvent;
import io.tracewire.core.event.EventFilter;
import io.tracewire.core.event.RunType;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.internal.EventStreamDriver;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.prompt.PromptValue;
import io.tracewire.core.retriever.BaseRetriever;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.runnable.RetryPolicy;
import io.tracewire.core.runnable.RunHandle;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableGenerator;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.tool.Tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.core.fake.FakeStreamingListLLM;
import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.HumanMessage;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of LangChain's astream_events v2 conformance suite (shared/conformance, A01..A36),
 * built with the Java API and compared with the case's own rules: symbolic run ids, sorted tags,
 * metadata as a superset (ignoring lc_versions and ls_integration), exact data.
 */
class ConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> IDS = List.of("A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A09", "A10",
      "A11", "A12", "A13", "A14", "A15", "A16", "A17", "A18", "A19", "A20", "A21", "A22", "A23", "A24", "A25",
      "A26", "A27", "A28", "A29", "A30", "A31", "A32", "A33", "A34", "A35", "A36");

  static Stream<Arguments> cases() throws Exception {
    List<Arguments> out = new ArrayList<>();
    for (String id : IDS) {
      Map<String, Object> c = load(id);
      out.add(Arguments.of(id + " " + c.get("title"), id, c, null));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> more = (List<Map<String, Object>>) c.getOrDefault("additional_runs", List.of());
      for (Map<String, Object> run : more) {
        out.add(Arguments.of(id + " [" + run.get("label") + "] " + c.get("title"), id, c, run));
      }
    }
    return out.stream();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> load(String id) throws Exception {
    try (InputStream in = ConformanceTest.class.getResourceAsStream("/conformance/")) {
      // directory listing is not portable; resolve by prefix through the known file names
    }
    for (String name : List.of(
        "A01-lambda-then-tool", "A02-single-lambda", "A03-three-lambdas", "A04-exception-mid-sequence",
        "A05-filter-names-tags", "A06-named-lambda-dict", "A07-chat-model-root", "A08-chat-model-invoked-in-lambda",
        "A09-prompt-model-with-config", "A10-tools-direct", "A11-retriever-root", "A12-retriever-then-formatter",
        "A13-tool-then-lambda", "A14-chain-ordering", "A15-retry-failing-step", "A16-prompt-then-legacy-llm",
        "A17-runnable-each-unsupported", "A18-configurable-chat-model", "A19-message-history",
        "A20-sync-stream-in-async-lambda", "A21-async-stream-in-async-lambda", "A22-sync-stream-in-sync-lambda",
        "A23-custom-runnable", "A24-explicit-run-ids", "A25-duplicate-run-id", "A26-runnable-generator",
        "A27-tool-binds-callbacks", "A28-break-consumer", "A29-cancel-consumer", "A30-custom-events-root",
        "A31-custom-events-nested", "A32-custom-event-outside-run", "A33-custom-event-in-root-tool",
        "A34-default-is-v2", "A35-tool-error-with-call-id", "A36-tool-error-without-call-id")) {
      if (name.startsWith(id)) {
        try (InputStream in = ConformanceTest.class.getResourceAsStream("/conformance/" + name + ".json")) {
          return JSON.readValue(in, Map.class);
        }
      }
    }
    throw new IllegalArgumentException("no case " + id);
  }

  /** What one run of a case does in Java. */
  record Scenario(Runnable<Object, ?> root, Object input, RunConfig config, EventFilter filter) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void conforms(String display, String id, Map<String, Object> c, Map<String, Object> run) throws Exception {
    Map<String, Object> spec = run != null ? run : c;
    Map<String, Object> compare = (Map<String, Object>) c.get("compare");
    String mode = (String) compare.get("mode");
    String label = run == null ? null : (String) run.get("label");
    switch (id) {
      case "A17" -> { a17(c); return; }
      case "A19" -> { a19(); return; }
      case "A25" -> { a25(c); return; }
      case "A28" -> { a28(c, false); return; }
      case "A29" -> { a28(c, true); return; }
      case "A32" -> { a32(c); return; }
      case "A34" -> { a34(); return; }
      default -> { }
    }
    assertThat(mode).isEqualTo("events");
    Scenario s = scenario(id, label, spec);
    List<StreamEvent> actual = new ArrayList<>();
    Throwable raised = null;
    int limit = c.get("consumer") != null && String.valueOf(c.get("consumer")).contains("at most 10") ? 10 : Integer.MAX_VALUE;
    try (CloseableIterator<StreamEvent> it = s.root().streamEvents(s.input(), s.config(), s.filter())) {
      while (actual.size() < limit && it.hasNext()) {
        actual.add(it.next());
      }
    } catch (RuntimeException e) {
      raised = e;
    }
    List<Map<String, Object>> expected = (List<Map<String, Object>>) spec.get("expected_events");
    compareEvents(actual, expected, compare);
    Map<String, Object> raises = (Map<String, Object>) spec.get("raises");
    if (raises == null) {
      assertThat(raised).as("stream failed unexpectedly").isNull();
    } else {
      assertThat(raised).as("stream should raise " + raises).isNotNull();
      assertThat(Encoding.pythonName(raised)).isEqualTo(raises.get("type"));
      assertThat(raised.getMessage()).isEqualTo(raises.get("message"));
    }
    sideAssertions(id);
  }

  // ------------------------------------------------------------------ comparison

  @SuppressWarnings("unchecked")
  static void compareEvents(List<StreamEvent> actual, List<Map<String, Object>> expected, Map<String, Object> compare) {
    List<String> ignore = (List<String>) compare.getOrDefault("ignore_metadata_keys", List.of());
    Map<String, String> symbols = new LinkedHashMap<>();
    for (StreamEvent e : actual) {
      symbols.computeIfAbsent(e.runId(), k -> "r" + symbols.size());
      for (String p : e.parentIds()) {
        symbols.computeIfAbsent(p, k -> "r" + symbols.size());
      }
    }
    Map<String, String> byLabel = new LinkedHashMap<>();
    symbols.forEach((uuid, sym) -> byLabel.put(sym, uuid));
    StringBuilder diff = new StringBuilder();
    int n = Math.max(actual.size(), expected.size());
    for (int i = 0; i < n; i++) {
      if (i >= actual.size()) {
        diff.append("#").append(i).append(" missing: ").append(expected.get(i)).append('\n');
        continue;
      }
      if (i >= expected.size()) {
        diff.append("#").append(i).append(" unexpected: ").append(describe(actual.get(i), symbols)).append('\n');
        continue;
      }
      StreamEvent a = actual.get(i);
      Map<String, Object> x = expected.get(i);
      List<String> problems = new ArrayList<>();
      if (!a.event().equals(x.get("event"))) problems.add("event " + a.event() + " != " + x.get("event"));
      if (!a.name().equals(x.get("name"))) problems.add("name " + a.name() + " != " + x.get("name"));
      if (!symbols.get(a.runId()).equals(x.get("run_id"))) problems.add("run_id " + symbols.get(a.runId()) + " != " + x.get("run_id"));
      List<String> parents = a.parentIds().stream().map(symbols::get).toList();
      if (!parents.equals(x.get("parent_ids"))) problems.add("parent_ids " + parents + " != " + x.get("parent_ids"));
      if (!new ArrayList<>(new TreeSet<>(a.tags())).equals(new ArrayList<>(new TreeSet<>((List<String>) x.get("tags"))))) {
        problems.add("tags " + a.tags() + " != " + x.get("tags"));
      }
      Map<String, Object> xm = (Map<String, Object>) x.get("metadata");
      for (Map.Entry<String, Object> e : xm.entrySet()) {
        if (ignore.contains(e.getKey())) continue;
        Object av = Encoding.plain(a.metadata().get(e.getKey()));
        if (!a.metadata().containsKey(e.getKey()) || !numEq(av, normalize(e.getValue(), byLabel))) {
          problems.add("metadata." + e.getKey() + " " + a.metadata().get(e.getKey()) + " != " + e.getValue());
        }
      }
      Object ad = Encoding.plain(a.data());
      Object xd = normalize(x.get("data"), byLabel);
      if (!numEq(ad, xd)) problems.add("data " + ad + " != " + xd);
      if (!problems.isEmpty()) {
        diff.append("#").append(i).append(' ').append(x.get("event")).append(' ').append(x.get("name")).append(": ")
            .append(String.join("; ", problems)).append('\n');
      }
    }
    Map<String, String> fixed = (Map<String, String>) compare.get("fixed_run_ids");
    if (fixed != null) {
      fixed.forEach((sym, uuid) -> {
        if (!uuid.equals(byLabel.get(sym))) diff.append("fixed run id ").append(sym).append(' ').append(byLabel.get(sym)).append(" != ").append(uuid).append('\n');
      });
    }
    if (diff.length() > 0) {
      StringBuilder all = new StringBuilder("events differ from LangChain's:\n").append(diff).append("actual events:\n");
      actual.forEach(e -> all.append("  ").append(describe(e, symbols)).append('\n'));
      fail(all.toString());
    }
  }

  static String describe(StreamEvent e, Map<String, String> symbols) {
    return e.event() + " " + e.name() + " " + symbols.get(e.runId()) + " " + e.parentIds().stream().map(symbols::get).toList()
        + " " + e.tags() + " " + Encoding.plain(e.data());
  }

  /** Resolves lc_run--{rN} and normalises numbers like {@link Encoding#plain}. */
  @SuppressWarnings("unchecked")
  static Object normalize(Object o, Map<String, String> byLabel) {
    if (o instanceof String s && s.startsWith("lc_run--{") && s.contains("}")) {
      String sym = s.substring("lc_run--{".length(), s.indexOf('}'));
      return "lc_run--" + byLabel.get(sym) + s.substring(s.indexOf('}') + 1);
    }
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), normalize(v, byLabel)));
      return out;
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(normalize(v, byLabel)));
      return out;
    }
    return Encoding.plain(o);
  }

  static boolean numEq(Object a, Object b) {
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      if (!ma.keySet().equals(mb.keySet())) return false;
      for (Object k : ma.keySet()) {
        if (!numEq(ma.get(k), mb.get(k))) return false;
      }
      return true;
    }
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      if (la.size() != lb.size()) return false;
      for (int i = 0; i < la.size(); i++) {
        if (!numEq(la.get(i), lb.get(i))) return false;
      }
      return true;
    }
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return java.util.Objects.equals(a, b);
  }

  // ------------------------------------------------------------------ scenarios

  static String reverse(Object s) {
    return new StringBuilder(String.valueOf(s)).reverse().toString();
  }

  static RunConfig named(String name) {
    return RunConfig.builder().runName(name).build();
  }

  static RunConfig configOf(Object json) {
    if (!(json instanceof Map<?, ?> m)) return null;
    RunConfig.Builder b = RunConfig.builder();
    if (m.get("run_id") != null) b.runId(UUID.fromString((String) m.get("run_id")));
    if (m.get("run_name") != null) b.runName((String) m.get("run_name"));
    if (m.get("tags") instanceof List<?> t) b.tags(t.stream().map(String::valueOf).toList());
    if (m.get("metadata") instanceof Map<?, ?> md) md.forEach((k, v) -> b.metadata(String.valueOf(k), v));
    if (m.get("configurable") instanceof Map<?, ?> cf) cf.forEach((k, v) -> b.configurable(String.valueOf(k), v));
    return b.build();
  }

  @SuppressWarnings("unchecked")
  static EventFilter filterOf(Object json) {
    Map<String, List<String>> f = json == null ? Map.of() : (Map<String, List<String>>) json;
    return new EventFilter(set(f.get("include_names")), set(f.get("include_types")), set(f.get("include_tags")),
        set(f.get("exclude_names")), set(f.get("exclude_types")), set(f.get("exclude_tags")), false);
  }

  static Set<String> set(List<String> l) {
    return l == null ? null : Set.copyOf(l);
  }

  static Runnable<Object, BaseMessage> chatModel(List<AIMessage> messages, String name, String... tags) {
    Runnable<Object, BaseMessage> m = GenericFakeChatModel.cycling(messages);
    if (name != null) {
      m = m.withConfig(RunConfig.builder().metadata("a", "b").tags(tags).runName(name).build())
          .bind(Map.of("stop", "<stop_token>"));
    }
    return m;
  }

  static Runnable<Map<String, Object>, PromptValue> catTemplate() {
    return ChatPromptTemplate.of(ChatPromptTemplate.system("You are Cat Agent 007"), ChatPromptTemplate.human("{question}"))
        .withConfig(RunConfig.builder().runName("my_template").tags("my_template").build());
  }

  static final class HardCodedRetriever extends BaseRetriever {
    @Override
    protected List<Document> getRelevantDocuments(String query, RunConfig childConfig) {
      return List.of(new Document("hello world!", Map.of("foo", "bar")), new Document("goodbye world!", Map.of("food", "spare")));
    }
  }

  /** A user runnable that manages its own run (A23). */
  static final class StreamingRunnable extends Runnable<Object, String> {
    private final List<String> items;

    StreamingRunnable(List<String> items) {
      this.items = items;
    }

    @Override
    public String invoke(Object input, RunConfig config) {
      throw new IllegalArgumentException("Server side error");
    }

    @Override
    public CloseableIterator<String> stream(Object input, RunConfig config) {
      RunHandle run = startRun(config, RunType.CHAIN, input);
      Iterator<String> it = items.iterator();
      return new CloseableIterator<>() {
        private final StringBuilder agg = new StringBuilder();

        @Override
        public boolean hasNext() {
          if (it.hasNext()) return true;
          run.end(agg.toString());
          return false;
        }

        @Override
        public String next() {
          String s = it.next();
          agg.append(s);
          return s;
        }

        @Override
        public void close() {
          run.cancel();
        }
      };
    }
  }

  static final Map<String, Object> SIDE = new ConcurrentHashMap<>();

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Scenario scenario(String id, String label, Map<String, Object> spec) {
    Object input = spec.get("input");
    RunConfig config = configOf(spec.get("config"));
    EventFilter filter = filterOf(spec.get("filters"));
    Runnable root;
    switch (id) {
      case "A01" -> {
        Tool getDocs = Tool.builder("get_docs").description("Hello Doc.").arg("x", "integer", null)
            .function(a -> List.of(new Document("hello"))).build();
        root = RunnableLambda.of("foo", x -> Map.of("x", 5)).pipe(getDocs);
      }
      case "A02" -> root = RunnableLambda.of("reverse", ConformanceTest::reverse);
      case "A03" -> {
        RunnableLambda<Object, Object> r = RunnableLambda.of("reverse", ConformanceTest::reverse);
        root = r.withConfig(named("1")).pipe(r.withConfig(named("2"))).pipe(r.withConfig(named("3")));
      }
      case "A04" -> {
        Runnable<Object, Object> s1 = RunnableLambda.of(x -> x + "1");
        Runnable<Object, Object> s2 = RunnableLambda.of(x -> {
          throw new IllegalArgumentException("ERR");
        });
        Runnable<Object, Object> s3 = RunnableLambda.of(x -> x + "3");
        root = s1.pipe(s2).pipe(s3);
      }
      case "A05" -> {
        RunnableLambda<Object, Object> r = RunnableLambda.of("reverse", ConformanceTest::reverse);
        root = r.withConfig(named("1"))
            .pipe(r.withConfig(RunConfig.builder().runName("2").tags("my_tag").build()))
            .pipe(r.withConfig(RunConfig.builder().runName("3").tags("my_tag").build()));
      }
      case "A06" -> root = RunnableLambda.of(x -> Map.of("answer", "goodbye")).withConfig(named("my_lambda"));
      case "A07" -> root = chatModel(List.of(new AIMessage("hello world!")), "my_model", "my_model");
      case "A08" -> {
        Runnable<Object, BaseMessage> model = chatModel(List.of(new AIMessage("hello world!")), "my_model", "my_model");
        root = "async".equals(label)
            ? RunnableLambda.async("ai_dont_stream", (v, cfg) -> model.invokeAsync(v, cfg))
            : RunnableLambda.withConfig("i_dont_stream", (v, cfg) -> model.invoke(v, cfg));
      }
      case "A09" -> {
        Runnable<Object, BaseMessage> model = GenericFakeChatModel.cycling(List.of(new AIMessage("hello world!", "ai1"),
            new AIMessage("goodbye world!", "ai2"))).withConfig(RunConfig.builder().metadata("a", "b").tags("my_model")
            .runName("my_model").build()).bind(Map.of("stop", "<stop_token>"));
        root = catTemplate().pipe((Runnable) model).withConfig(RunConfig.builder().metadata("foo", "bar").tags("my_chain")
            .runName("my_chain").build());
      }
      case "A10" -> {
        String name = label == null ? "parameterless" : label;
        Tool.Builder b = Tool.builder(name).description("A tool that does nothing.");
        if (name.startsWith("with_parameters")) {
          b.arg("x", "integer", null).arg("y", "string", null);
          b.function((a, cfg) -> Map.of("x", a.get("x"), "y", a.get("y")));
        } else {
          b.function((a, cfg) -> name.equals("parameterless") ? "hello" : "world");
        }
        root = b.build();
      }
      case "A11" -> root = new HardCodedRetriever();
      case "A12" -> root = new HardCodedRetriever().pipe(RunnableLambda.of("format_docs",
          (List<Document> docs) -> String.join(", ", docs.stream().map(Document::pageContent).toList())));
      case "A13" -> {
        Tool concat = Tool.builder("concat").description("A tool that does nothing.").arg("a", "string", null)
            .arg("b", "string", null).function(a -> "" + a.get("a") + a.get("b")).build();
        root = concat.pipe(RunnableLambda.of("reverse", ConformanceTest::reverse));
      }
      case "A14" -> root = RunnableLambda.of("foo", x -> x).pipe(RunnableLambda.of("bar", x -> x));
      case "A15" -> root = RunnableLambda.of("success", x -> "success").pipe(RunnableLambda.of("fail", x -> {
        throw new IllegalArgumentException("fail");
      }).withRetry(RetryPolicy.attempts(1)));
      case "A16" -> root = catTemplate().pipe((Runnable) new FakeStreamingListLLM(List.of("abc")));
      case "A18" -> {
        Iterator<AIMessage> goodbye = Stream.generate(() -> new AIMessage("Goodbye world", "ai2")).iterator();
        Runnable<Object, BaseMessage> model02 = GenericFakeChatModel.cycling(List.of(new AIMessage("hello world!", "ai1")))
            .configurableMessages("messages").withConfig(RunConfig.builder().configurable("messages", goodbye).build());
        SIDE.put("A18", model02.invoke("hello"));
        root = model02;
      }
      case "A20", "A21", "A22" -> {
        Runnable<Integer, Integer> addOne = id.equals("A21")
            ? RunnableLambda.async("add_one", (Integer x, RunConfig c) -> CompletableFuture.completedFuture(x + 1))
            : RunnableLambda.of("add_one", (Integer x) -> x + 1);
        if (id.equals("A22")) {
          root = RunnableLambda.withConfig("add_one_proxy", (Integer x, RunConfig cfg) -> addOne.stream(x, cfg).toList().get(0));
        } else if (id.equals("A20")) {
          root = RunnableLambda.async("add_one_proxy", (Integer x, RunConfig cfg) ->
              CompletableFuture.supplyAsync(RunContext.wrapSupplier(() -> addOne.stream(x, cfg).toList().get(0))));
        } else {
          root = RunnableLambda.async("add_one_proxy", (Integer x, RunConfig cfg) -> collect(addOne.streamAsync(x, cfg))
              .thenApply(l -> l.get(0)));
        }
      }
      case "A23" -> root = new StreamingRunnable(List.of("1", "2", "3"));
      case "A24" -> {
        Runnable<Object, Object> grandchild = RunnableLambda.async("grandchild", (x, c) -> CompletableFuture.completedFuture(x));
        Runnable<Object, Object> child = RunnableLambda.async("child",
            (x, c) -> grandchild.invokeAsync(x, c.withRunId(new UUID(0, 9))));
        root = RunnableLambda.async("parent", (x, c) -> child.invokeAsync(x, c.withRunId(new UUID(0, 8))));
      }
      case "A26" -> root = RunnableGenerator.emitting("generator", (Iterator<Object> in, java.util.function.Consumer<String> emit) -> {
        emit.accept("1");
        emit.accept("2");
      });
      case "A27" -> {
        Runnable<Object, BaseMessage> model = GenericFakeChatModel.cycling(List.of(new AIMessage("hello world", "ai3")));
        root = Tool.builder("say_hello").description("Use this tool to look up which items are in the given place.")
            .arg("query", "string", null)
            .function((a, cfg) -> {
              Runnable<Object, Object> passthrough = RunnableLambda.of("passthrough_to_trigger_issue", x -> x);
              Runnable<Object, BaseMessage> inner = passthrough.pipe(model.withConfig(RunConfig.builder().tags("hello")
                  .callbacks(cfg.callbacks()).build()));
              return inner.invoke(a.get("query"));
            }).build();
      }
      case "A30" -> root = customFoo();
      case "A31" -> {
        Runnable<Object, Object> foo = customFoo();
        root = RunnableLambda.async("bar", (x, c) -> foo.invokeAsync(x, c.withRunId(new UUID(0, 8))));
      }
      case "A33" -> root = Tool.builder("foo").description("Foo.").arg("x", "integer", null).function(a -> {
        CustomEvent.dispatch("event1", Map.of("x", a.get("x")));
        return ((Number) a.get("x")).intValue() + 1;
      }).build();
      case "A35", "A36" -> root = Tool.builder(id.equals("A35") ? "failing_tool" : "failing_tool_no_id")
          .description("A tool that always fails.").arg("x", "integer", null).function(a -> {
            throw new IllegalArgumentException("Tool execution failed");
          }).build();
      default -> throw new IllegalArgumentException("no scenario for " + id);
    }
    return new Scenario(root, input, config, filter);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Runnable<Object, Object> customFoo() {
    return (Runnable) RunnableLambda.async("foo", (Object x, RunConfig c) -> {
      CustomEvent.dispatch("event1", Map.of("x", x), c);
      CustomEvent.dispatch("event2", "foo", c);
      return CompletableFuture.completedFuture(((Number) x).intValue() + 1);
    });
  }

  static <T> CompletableFuture<List<T>> collect(Flow.Publisher<T> p) {
    CompletableFuture<List<T>> f = new CompletableFuture<>();
    p.subscribe(new Flow.Subscriber<T>() {
      final List<T> items = new ArrayList<>();

      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(T item) {
        items.add(item);
      }

      @Override
      public void onError(Throwable t) {
        f.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        f.complete(items);
      }
    });
    return f;
  }

  void sideAssertions(String id) {
    if (id.equals("A18")) {
      assertThat(SIDE.get("A18")).isEqualTo(new AIMessage("Goodbye world", "ai2"));
    }
  }

  // ------------------------------------------------------------------ special cases

  @SuppressWarnings("unchecked")
  void a17(Map<String, Object> c) {
    Runnable<List<Integer>, List<Integer>> each = RunnableLambda.of("add_one", (Integer x) -> x + 1).map();
    assertThat(each.invoke(List.of(1, 2, 3))).containsExactly(2, 3, 4);
    Map<String, Object> raises = (Map<String, Object>) c.get("raises");
    List<StreamEvent> seen = new ArrayList<>();
    assertThatThrownBy(() -> {
      try (CloseableIterator<StreamEvent> it = each.streamEvents(List.of(1, 2, 3))) {
        while (it.hasNext()) seen.add(it.next());
      }
    }).satisfies(t -> {
      assertThat(Encoding.pythonName(t)).isEqualTo(raises.get("type"));
      assertThat(t.getMessage()).isEqualTo(((String) raises.get("message")).replace("astream_events", "streamEvents"));
    });
    assertThat(seen).isEmpty();
  }

  /** A19: message history, built from public parts (the wrapper is deprecated upstream). */
  void a19() {
    Map<String, List<BaseMessage>> store = new ConcurrentHashMap<>();
    Runnable<Map<String, Object>, PromptValue> prompt = ChatPromptTemplate.of(ChatPromptTemplate.system("You are a cat"),
        ChatPromptTemplate.placeholder("history"), ChatPromptTemplate.human("{question}"));
    Runnable<Object, BaseMessage> model = GenericFakeChatModel.cycling(List.of(new AIMessage("hello", "ai3"), new AIMessage("world", "ai4")));
    @SuppressWarnings({"unchecked", "rawtypes"})
    Runnable<Map<String, Object>, BaseMessage> chain = (Runnable) prompt.pipe((Runnable) model);
    Runnable<Map<String, Object>, BaseMessage> withHistory = RunnableLambda.withConfig("RunnableWithMessageHistory",
        (Map<String, Object> in, RunConfig cfg) -> {
          String session = (String) cfg.configurable().get("session_id");
          List<BaseMessage> history = store.computeIfAbsent(session, k -> new CopyOnWriteArrayList<>());
          Map<String, Object> withHist = new LinkedHashMap<>(in);
          withHist.put("history", List.copyOf(history));
          BaseMessage out = chain.invoke(withHist, cfg);
          history.add(new HumanMessage((String) in.get("question")));
          history.add(out);
          return out;
        });
    RunConfig cfg = RunConfig.builder().configurable("session_id", "session-123").build();
    withHistory.invokeAsync(Map.of("question", "hello"), cfg).join();
    assertThat(store.get("session-123")).containsExactly(new HumanMessage("hello"), new AIMessage("hello", "ai3"));
    withHistory.invoke(Map.of("question", "meow"), cfg);
    assertThat(store.get("session-123")).containsExactly(new HumanMessage("hello"), new AIMessage("hello", "ai3"),
        new HumanMessage("meow"), new AIMessage("world", "ai4"));
  }

  @SuppressWarnings("unchecked")
  void a25(Map<String, Object> c) {
    Runnable<Object, Object> child = RunnableLambda.async("child", (x, cfg) -> CompletableFuture.completedFuture(x));
    UUID seven = new UUID(0, 7);
    Runnable<Object, Object> parent = RunnableLambda.async("parent", (x, cfg) -> child.invokeAsync(x, cfg.withRunId(seven)));
    List<LogRecord> logs = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger(EventStreamDriver.class.getName());
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord r) {
        logs.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(h);
    List<StreamEvent> events;
    try {
      events = parent.streamEvents("hello", RunConfig.builder().runId(seven).build(), null).toList();
    } finally {
      logger.removeHandler(h);
    }
    // the duplicate id is detected when the child run starts, and a warning names it
    assertThat(logs).anySatisfy(r -> assertThat(r.getMessage()).contains("duplicate run id " + seven));
    // the first event is the parent's on_chain_start with data.input "hello"
    assertThat(events.get(0).event()).isEqualTo("on_chain_start");
    assertThat(events.get(0).name()).isEqualTo("parent");
    assertThat(events.get(0).dataValue("input")).isEqualTo("hello");
    // no events are dropped: both runs start and end
    assertThat(events).extracting(e -> e.event() + " " + e.name()).containsExactly("on_chain_start parent",
        "on_chain_start child", "on_chain_end child", "on_chain_stream parent", "on_chain_end parent");
  }

  /** A28 (close the stream) and A29 (cancel the consuming task). */
  @SuppressWarnings("unchecked")
  void a28(Map<String, Object> c, boolean cancelConsumer) throws Exception {
    Set<String> record = ConcurrentHashMap.newKeySet();
    CountDownLatch awhileStarted = new CountDownLatch(1);
    CountDownLatch forever = new CountDownLatch(1);
    Runnable<Map<String, Object>, Map<String, Object>> sequence = RunnableLambda.generator("sequence",
        (Map<String, Object> value, java.util.function.Consumer<Map<String, Object>> emit) -> {
          try {
            record.add("alittlewhile started");
            emit.accept(value);
            record.add("awhile started");
            awhileStarted.countDown();
            try {
              forever.await();
            } catch (InterruptedException e) {
              record.add("awhile cancelled");
              throw new CancellationException();
            }
            record.add("anotherwhile started");
            emit.accept(value);
          } catch (CancellationException e) {
            record.add("generator cancelled");
            throw e;
          }
        });
    RunConfig cfg = configOf(c.get("config"));
    List<StreamEvent> seen = new CopyOnWriteArrayList<>();
    if (!cancelConsumer) {
      try (CloseableIterator<StreamEvent> it = sequence.streamEvents(Map.of("value", 1), cfg, null)) {
        while (it.hasNext()) {
          StreamEvent e = it.next();
          seen.add(e);
          if (e.event().equals("on_chain_stream")) {
            assertThat(awhileStarted.await(10, TimeUnit.SECONDS)).isTrue();
            break;
          }
        }
      }
    } else {
      ExecutorService ex = Executors.newSingleThreadExecutor();
      CountDownLatch firstStream = new CountDownLatch(1);
      Future<?> consumer = ex.submit(() -> {
        try (CloseableIterator<StreamEvent> it = sequence.streamEvents(Map.of("value", 1), cfg, null)) {
          while (it.hasNext()) {
            StreamEvent e = it.next();
            seen.add(e);
            if (e.event().equals("on_chain_stream")) firstStream.countDown();
          }
        }
      });
      assertThat(firstStream.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(awhileStarted.await(10, TimeUnit.SECONDS)).isTrue();
      consumer.cancel(true);
      assertThatThrownBy(consumer::get).isInstanceOf(CancellationException.class);
      ex.shutdown();
      assertThat(ex.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    // wait until the producer has observed the cancellation
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!record.contains("generator cancelled") && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      Thread.sleep(1);
    }
    compareEvents(seen, (List<Map<String, Object>>) c.get("expected_events"), (Map<String, Object>) c.get("compare"));
    assertThat(record).contains("generator cancelled", "alittlewhile started", "awhile started", "awhile cancelled")
        .doesNotContain("anotherwhile started");
  }

  @SuppressWarnings("unchecked")
  void a32(Map<String, Object> c) {
    Map<String, Object> raises = (Map<String, Object>) c.get("raises");
    assertThatThrownBy(() -> CustomEvent.dispatch("event1", Map.of("x", 1)))
        .isInstanceOf(IllegalStateException.class)
        .satisfies(t -> assertThat(Encoding.pythonName(t)).isEqualTo(raises.get("type")))
        .hasMessageContaining("without a parent run");
  }

  void a34() throws Exception {
    // There is one event-stream version, v2: no version parameter exists, and the default call gives v2 events
    // (parent_ids present, custom events supported).
    assertThat(Runnable.class.getMethod("streamEvents", Object.class, RunConfig.class, EventFilter.class)).isNotNull();
    assertThat(Stream.of(Runnable.class.getMethods()).filter(m -> m.getName().equals("streamEvents"))
        .flatMap(m -> Stream.of(m.getParameters())).map(p -> p.getType())).doesNotContain((Class) String.class);
    Runnable<Object, Object> inner = RunnableLambda.of("inner", x -> x);
    Runnable<Object, Object> outer = RunnableLambda.of("outer", x -> inner.invoke(x));
    List<StreamEvent> events = outer.streamEvents("x").toList();
    assertThat(events.get(1).parentIds()).containsExactly(events.get(0).runId());
  }
}
