package io.tracewire.exporters.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.CustomEvent;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.retriever.BaseRetriever;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.tool.Tool;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * The chain the end-to-end ITs export: prompt | streaming chat model | parser | a step that
 * dispatches a custom event, calls a tool and a retriever. Stateless; every call builds new runnables.
 */
final class DemoChain {
  static final String QUESTION = "What is a goldfish?";
  static final String OUTPUT = "hi there / sunny in Oslo / 2 docs";
  /** sequence, prompt, chat model, parser, the research step, the tool, the retriever. */
  static final int RUNS_PER_CHAIN = 7;
  /** What one {@link #runStreaming} emits (checked by {@link #assertShape}). */
  static final int EVENTS_PER_RUN = 23;

  private DemoChain() {}

  static Tool weather() {
    return Tool.builder("get_weather").description("The weather in a city").arg("city", "string", "the city")
        .function(a -> "sunny in " + a.get("city")).build();
  }

  static BaseRetriever docs() {
    return BaseRetriever.of("fish_docs", q -> List.of(new Document("Goldfish are freshwater fish.", Map.of("source", "a.md")),
        new Document("Goldfish can live for decades.", Map.of("source", "b.md"))));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Runnable<Map<String, Object>, String> chain() {
    Tool tool = weather();
    BaseRetriever retriever = docs();
    Runnable<String, String> research = RunnableLambda.of("research", (String text) -> {
      CustomEvent.dispatch("progress", Map.of("step", 1, "of", 2));
      Object r = tool.invoke(Map.of("name", "get_weather", "args", Map.of("city", "Oslo"), "id", "call_1", "type", "tool_call"));
      List<Document> found = retriever.invoke(QUESTION);
      return text + " / " + (r instanceof ToolMessage tm ? tm.text() : String.valueOf(r)) + " / " + found.size() + " docs";
    });
    return ChatPromptTemplate.of(ChatPromptTemplate.system("You are a cat"), ChatPromptTemplate.human("{question}"))
        .pipe((Runnable) new ChatOpenAI(true, () -> { }, "hi", " there")).pipe((Runnable) new StrOutputParser())
        .pipe((Runnable) research);
  }

  /** Streams the chain to its end and returns the joined output. */
  static String runStreaming(RunConfig config) {
    StringBuilder out = new StringBuilder();
    try (CloseableIterator<String> it = chain().stream(Map.of("question", QUESTION), config)) {
      it.forEachRemaining(out::append);
    }
    return out.toString();
  }

  /** The events of one streamed run, as a listener sees them. */
  static void assertShape(List<StreamEvent> events) {
    assertThat(events).extracting(e -> e.event() + " " + e.name()).contains("on_chain_start " + "demo_chain",
        "on_prompt_start ChatPromptTemplate", "on_chat_model_start ChatOpenAI", "on_chat_model_stream ChatOpenAI",
        "on_chat_model_end ChatOpenAI", "on_parser_start StrOutputParser", "on_chain_start research",
        "on_custom_event progress", "on_tool_start get_weather", "on_tool_end get_weather",
        "on_retriever_start fish_docs", "on_retriever_end fish_docs", "on_chain_end demo_chain");
    assertThat(events.stream().map(StreamEvent::runId).distinct()).hasSize(RUNS_PER_CHAIN);
    assertThat(events).hasSize(EVENTS_PER_RUN);
  }

  /** A standalone bridge exporting to {@code endpoint}. */
  static OtelBridge.Builder bridge(String endpoint, OtlpProtocol protocol, String service) {
    return OtelBridge.builder().endpoint(endpoint).protocol(protocol).serviceName(service)
        .scheduleDelay(Duration.ofMillis(100)).shutdownHook(false);
  }

  /** A log sink exporting every event (every chunk too) to {@code endpoint}, linked to {@code bridge}'s spans. */
  static OtlpLogSink.Builder sink(String endpoint, OtlpProtocol protocol, String service, OtelBridge bridge) {
    return OtlpLogSink.builder().endpoint(endpoint).protocol(protocol).serviceName(service)
        .events(EnumSet.allOf(LogEventKind.class)).chunkFidelity(ChunkFidelity.ALL).bridge(bridge);
  }
}
