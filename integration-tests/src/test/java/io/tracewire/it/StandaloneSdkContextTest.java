package io.tracewire.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Context;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracewire.adapters.Replay;
import io.tracewire.adapters.openai.ChatOpenAI;
import io.tracewire.core.RunConfig;
import io.tracewire.core.RunContext;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.exporters.otel.OtelBridge;
import io.tracewire.exporters.otel.OtlpHttpReceiver;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Without the agent: a standalone bridge SDK exporting over OTLP/HTTP to a real receiver, the
 * real ChatOpenAI against a replayed stream, and the model step on an executor wrapped only by
 * OpenTelemetry ({@link Context#taskWrapping}). The OpenTelemetry-backed run-context storage
 * carries the Tracewire parent across; with the thread-local storage the model run would be a
 * new root and the test fails.
 */
class StandaloneSdkContextTest {
  private OtlpHttpReceiver receiver;
  private MockWebServer provider;
  private ExecutorService pool;

  @BeforeEach
  void setUp() throws Exception {
    receiver = new OtlpHttpReceiver(false);
    provider = new MockWebServer();
    provider.start();
    pool = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void tearDown() throws Exception {
    pool.shutdownNow();
    provider.close();
    receiver.close();
    assertThat(Context.current()).isSameAs(Context.root());
  }

  @Test
  void otelTaskWrappingCarriesTheParentRunAndTheSpanTree() throws Exception {
    assertThat(RunContext.storageName()).isEqualTo("otel");
    provider.enqueue(Replay.stream(Replay.resource("openai-text.sse"), "text/event-stream", 64).build());
    ChatOpenAI model = ChatOpenAI.builder().baseUrl(provider.url("/") + "v1").apiKey("sk-test").model("gpt-4o-mini").build();
    ExecutorService otelOnly = Context.taskWrapping(pool);
    Runnable<Object, BaseMessage> onExecutor = RunnableLambda.of("model_on_executor",
        (Object prompt) -> {
          try {
            return otelOnly.submit(() -> model.invoke(prompt)).get();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    @SuppressWarnings({"unchecked", "rawtypes"})
    Runnable<Map<String, Object>, String> chain = (Runnable) ChatPromptTemplate.of(ChatPromptTemplate.human("{question}"))
        .pipe((Runnable) onExecutor).pipe((Runnable) new StrOutputParser());
    ConcurrentLinkedQueue<StreamEvent> events = new ConcurrentLinkedQueue<>();
    try (OtelBridge bridge = OtelBridge.builder().endpoint(receiver.baseUrl()).serviceName("tracewire-sdk-it")
        .scheduleDelay(Duration.ofMillis(50)).shutdownHook(false).build()) {
      String out = chain.invoke(Map.of("question", "Say hello"),
          RunConfig.builder().listener(bridge).listener(events::add).build());
      assertThat(out).isEqualTo("Hello!");
      assertThat(bridge.flush(Duration.ofSeconds(10))).isTrue();
    }

    Map<String, StreamEvent> starts = new LinkedHashMap<>();
    for (StreamEvent e : events) {
      if (e.event().endsWith("_start")) {
        starts.put(e.name(), e);
      }
    }
    assertThat(starts).containsOnlyKeys("RunnableSequence", "ChatPromptTemplate", "model_on_executor", "ChatOpenAI",
        "StrOutputParser");
    String seq = starts.get("RunnableSequence").runId();
    String step = starts.get("model_on_executor").runId();
    for (StreamEvent e : events) {
      List<String> expected = switch (e.name()) {
        case "RunnableSequence" -> List.of();
        case "ChatOpenAI" -> List.of(seq, step);
        default -> List.of(seq);
      };
      assertThat(e.parentIds()).as("parent_ids of " + e.event() + " " + e.name()).isEqualTo(expected);
    }

    List<Span> spans = receiver.spans();
    assertThat(spans).hasSize(5);
    Map<String, Span> byRun = new HashMap<>();
    Map<String, Span> byId = new HashMap<>();
    for (Span s : spans) {
      byRun.put(OtlpHttpReceiver.attr(s.getAttributesList(), "tracewire.run.id"), s);
      byId.put(hex(s.getSpanId().toByteArray()), s);
    }
    String traceId = hex(spans.get(0).getTraceId().toByteArray());
    for (StreamEvent start : starts.values()) {
      Span s = byRun.get(start.runId());
      assertThat(s).as("span of " + start.name()).isNotNull();
      assertThat(hex(s.getTraceId().toByteArray())).isEqualTo(traceId);
      List<String> parents = start.parentIds();
      if (parents.isEmpty()) {
        assertThat(s.getParentSpanId().isEmpty()).isTrue();
      } else {
        assertThat(hex(s.getParentSpanId().toByteArray())).as("parent span of " + start.name())
            .isEqualTo(hex(byRun.get(parents.get(parents.size() - 1)).getSpanId().toByteArray()));
      }
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
