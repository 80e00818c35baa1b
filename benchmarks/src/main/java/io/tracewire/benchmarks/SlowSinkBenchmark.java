package io.tracewire.benchmarks;

import io.tracewire.adapters.openai.ChatOpenAI;
import io.tracewire.bench.Loopback;
import io.tracewire.bench.Workloads;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.sink.EventSink;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.Tracewire;
import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.HumanMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Application throughput (calls per second) with a sink that sleeps 1 ms on every event, under
 * DROP_NEWEST and DROP_OLDEST, against no sink at all ({@code NONE}) and against a sink that
 * does nothing ({@code FAST}, DROP_NEWEST), for three applications:
 * <ul>
 *   <li>{@code lambda}: one traced lambda that adds 1 (2 events per call). There is no
 *       application work at all, so this is the tracer's worst case: the figure is the cost of
 *       producing an event, not of the sink.
 *   <li>{@code chain}: the demo's shape with no I/O, {@code prompt | fake chat model | parser},
 *       streamed token by token (a 24-word reply; 4 runs and about 80 events per call).
 *   <li>{@code chatHttp}: the instrumented workload users run: {@code ChatOpenAI.stream} of a
 *       24-chunk reply from a local MockWebServer speaking OpenAI's SSE wire format (about 26
 *       events per call, real HTTP on loopback with TCP_NODELAY).
 * </ul>
 * The HTTP workloads need about 5 s of warm-up before they are steady (OkHttp, Jackson and the
 * adapter are compiled late), hence 10 warm-up iterations; run it without {@code -wi}/{@code -i}.
 * The teardown prints the sink's counters after close and whether every emitted event (calls
 * times the events of one call, counted by a listener before the sink is installed) is exactly
 * one of delivered, failed or dropped ({@code exact=true}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(2)
public class SlowSinkBenchmark {
  private static final int WORDS = 24;

  @Param({"lambda", "chain", "chatReplay"})
  public String workload;

  @Param({"NONE", "FAST", "DROP_NEWEST", "DROP_OLDEST"})
  public String sink;

  private Tracewire installed;
  private MockWebServer server;
  private java.util.function.Supplier<Object> app;
  private long calls;
  private long eventsPerCall;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    app = switch (workload) {
      case "lambda" -> lambda();
      case "chain" -> chain();
      case "chatReplay" -> chatReplay();
      case "chatHttp" -> chatHttp();
      default -> throw new IllegalArgumentException("unknown workload " + workload);
    };
    // Events per call, counted by a listener on one call before the sink is installed.
    long[] n = {0};
    try (Tracewire counting = Tracewire.builder().listener(e -> n[0]++).closeOnShutdown(false).install()) {
      app.get();
    }
    eventsPerCall = n[0];
    if (!sink.equals("NONE")) {
      boolean fast = sink.equals("FAST");
      EventSink s = fast ? batch -> { } : batch -> {
        for (int i = 0; i < batch.size(); i++) {
          Thread.sleep(1);
        }
      };
      OverflowPolicy policy = fast ? OverflowPolicy.DROP_NEWEST : OverflowPolicy.valueOf(sink);
      installed = Tracewire.builder()
          .sink(s, SinkConfig.named(fast ? "fast" : "sleepy").withPolicy(policy).withCapacity(1024))
          .closeTimeout(Duration.ofSeconds(60))
          .install();
    }
  }

  private static java.util.function.Supplier<Object> lambda() {
    Runnable<Integer, Integer> step = RunnableLambda.of("step", x -> x + 1);
    return () -> step.invoke(1);
  }

  private static java.util.function.Supplier<Object> chain() {
    Runnable<Map<String, Object>, String> chain = ChatPromptTemplate.of(
            ChatPromptTemplate.system("You are terse."), ChatPromptTemplate.human("Tell me about {topic}"))
        .pipe(GenericFakeChatModel.cycling(List.of(new AIMessage(Workloads.reply(WORDS)))))
        .pipe(new StrOutputParser());
    Map<String, Object> input = Map.of("topic", "tracing");
    return () -> Workloads.drain(chain.stream(input));
  }

  private static java.util.function.Supplier<Object> chatReplay() {
    byte[] body = Loopback.openAiStream(WORDS).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    MediaType sse = MediaType.get("text/event-stream");
    OkHttpClient http = new OkHttpClient.Builder()
        .addInterceptor(chain -> new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1)
            .code(200).message("OK").body(ResponseBody.create(body, sse)).build())
        .build();
    ChatOpenAI model = ChatOpenAI.builder().baseUrl("http://replay.invalid/v1/").apiKey("sk-bench")
        .model("gpt-4o-mini").httpClient(http).build();
    List<BaseMessage> messages = List.of(new HumanMessage("Tell me about tracing"));
    return () -> Workloads.drain(model.stream(messages));
  }

  private java.util.function.Supplier<Object> chatHttp() throws IOException {
    String body = Loopback.openAiStream(WORDS);
    server = new MockWebServer();
    server.setServerSocketFactory(Loopback.noDelayServerSockets());
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return Loopback.sseResponse(body);
      }
    });
    server.start();
    OkHttpClient http = new OkHttpClient.Builder().socketFactory(Loopback.noDelaySockets()).build();
    ChatOpenAI model = ChatOpenAI.builder().baseUrl(server.url("/v1/").toString()).apiKey("sk-bench")
        .model("gpt-4o-mini").httpClient(http).build();
    List<BaseMessage> messages = List.of(new HumanMessage("Tell me about tracing"));
    return () -> Workloads.drain(model.stream(messages));
  }

  @Benchmark
  public Object call() {
    calls++;
    return app.get();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (installed != null) {
      installed.close();
      System.out.printf("%n[slow-%s-%s] calls=%d events/call=%d%n", workload, sink, calls, eventsPerCall);
      ProducerCostBenchmark.report("slow-" + workload + "-" + sink, installed.stats(), calls * eventsPerCall);
    }
    if (server != null) {
      server.close();
    }
  }
}
