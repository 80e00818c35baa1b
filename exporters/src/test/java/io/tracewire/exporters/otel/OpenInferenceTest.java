package io.tracewire.exporters.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunType;
import io.tracewire.core.retriever.BaseRetriever;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.tool.Tool;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenInference attributes ({@code OtelBridge.Builder#openInference}) that Arize Phoenix reads,
 * exactly, on chain, prompt, chat, parser, tool and retriever spans; with and without content.
 */
class OpenInferenceTest {
  /** The OpenInference namespaces the bridge writes into. */
  private static final List<String> OI_PREFIXES = List.of("openinference.", "llm.", "input.", "output.", "tool.",
      "retrieval.");

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
      .build();
  private OtelBridge bridge;

  @AfterEach
  void close() {
    if (bridge != null) {
      bridge.close();
    }
    sdk.close();
  }

  private RunConfig traced(boolean openInference, boolean content) {
    bridge = OtelBridge.builder().openTelemetry(sdk).openInference(openInference).captureContent(content).build();
    return RunConfig.builder().listener(bridge).build();
  }

  /** The OpenInference attributes of the span with this name, by key (values as Java objects). */
  private Map<String, Object> oi(String spanName) {
    SpanData span = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(spanName)).findFirst()
        .orElseThrow(() -> new AssertionError("no span " + spanName));
    Map<String, Object> out = new TreeMap<>();
    span.getAttributes().forEach((AttributeKey<?> k, Object v) -> {
      if (OI_PREFIXES.stream().anyMatch(k.getKey()::startsWith)) {
        out.put(k.getKey(), v);
      }
    });
    return out;
  }

  private static Tool weatherTool() {
    return Tool.builder("get_weather").description("Weather").arg("city", "string", null)
        .function(a -> "sunny in " + a.get("city")).build();
  }

  private static final Map<String, Object> WEATHER_CALL = Map.of("name", "get_weather", "args", Map.of("city", "Oslo"),
      "id", "call_1", "type", "tool_call");

  private static BaseRetriever retriever() {
    return BaseRetriever.of("docs", q -> List.of(new Document("Goldfish live long.", Map.of("source", "a.md"), "doc-1"),
        new Document("Cats sleep.")));
  }

  private static final String MESSAGES_IN = "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":"
      + "\"You are a cat\"}]},{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi?\"}]}]";

  /** A sorted map of alternating keys and values. */
  private static Map<String, Object> attributes(Object... keysAndValues) {
    Map<String, Object> m = new TreeMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** What the model span carries whether or not content is captured. */
  private static Map<String, Object> llmAttributes() {
    Map<String, Object> m = new TreeMap<>();
    m.put("openinference.span.kind", "LLM");
    // the model that answered (response metadata) replaces the requested gpt-4o
    m.put("llm.model_name", "gpt-4o-2024-08-06");
    m.put("llm.provider", "openai");
    m.put("llm.token_count.prompt", 12L);
    m.put("llm.token_count.completion", 5L);
    m.put("llm.token_count.total", 17L);
    m.put("llm.token_count.prompt_details.cache_read", 3L);
    m.put("llm.token_count.prompt_details.cache_write", 2L);
    m.put("llm.token_count.completion_details.reasoning", 4L);
    return m;
  }

  @Test
  void chainSpansGetTheirKindsAndTheChatSpanItsModelProviderAndTokensWithoutContent() {
    OtlpExportTest.chain().invoke(Map.of("question", "hi?"), traced(true, false));

    assertThat(oi("RunnableSequence")).containsExactlyEntriesOf(Map.of("openinference.span.kind", "CHAIN"));
    assertThat(oi("ChatPromptTemplate")).containsExactlyEntriesOf(Map.of("openinference.span.kind", "PROMPT"));
    assertThat(oi("chat gpt-4o")).containsExactlyEntriesOf(llmAttributes());
    assertThat(oi("StrOutputParser")).containsExactlyEntriesOf(Map.of("openinference.span.kind", "CHAIN"));
  }

  @Test
  void contentCaptureAddsInputAndOutputValuesWithTheirMimeTypes() {
    OtlpExportTest.chain().invoke(Map.of("question", "hi?"), traced(true, true));

    assertThat(oi("RunnableSequence")).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "openinference.span.kind", "CHAIN",
        "input.value", "{\"question\":\"hi?\"}", "input.mime_type", "application/json",
        "output.value", "hi there", "output.mime_type", "text/plain")));
    assertThat(oi("ChatPromptTemplate")).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "openinference.span.kind", "PROMPT",
        "input.value", "{\"question\":\"hi?\"}", "input.mime_type", "application/json",
        "output.value", MESSAGES_IN, "output.mime_type", "application/json")));
    Map<String, Object> chat = llmAttributes();
    chat.putAll(attributes("input.value", MESSAGES_IN, "input.mime_type", "application/json",
        "output.value", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"hi there\"}],"
            + "\"finish_reason\":\"stop\"}]", "output.mime_type", "application/json",
        "llm.input_messages.0.message.role", "system", "llm.input_messages.0.message.content", "You are a cat",
        "llm.input_messages.1.message.role", "user", "llm.input_messages.1.message.content", "hi?",
        "llm.output_messages.0.message.role", "assistant", "llm.output_messages.0.message.content", "hi there"));
    assertThat(oi("chat gpt-4o")).containsExactlyEntriesOf(chat);
    assertThat(oi("StrOutputParser")).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "openinference.span.kind", "CHAIN",
        "input.value", "{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"hi there\"}]}",
        "input.mime_type", "application/json",
        "output.value", "hi there", "output.mime_type", "text/plain")));
  }

  @Test
  void toolSpanCarriesItsNameAndWithContentItsArgumentsAndResult() {
    weatherTool().invoke(WEATHER_CALL, traced(true, false));
    assertThat(oi("execute_tool get_weather")).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "openinference.span.kind", "TOOL", "tool.name", "get_weather")));

    exporter.reset();
    bridge.close();
    weatherTool().invoke(WEATHER_CALL, traced(true, true));
    assertThat(oi("execute_tool get_weather")).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "openinference.span.kind", "TOOL", "tool.name", "get_weather",
        "input.value", "{\"city\":\"Oslo\"}", "input.mime_type", "application/json",
        "output.value", "sunny in Oslo", "output.mime_type", "text/plain")));
  }

  @Test
  void retrieverSpanListsTheDocumentsIdsAndMetadataAndTheirContentOnlyWithContentCapture() {
    retriever().invoke("fish", traced(true, false));
    assertThat(oi("retrieval docs")).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        "openinference.span.kind", "RETRIEVER",
        "retrieval.documents.0.document.id", "doc-1",
        "retrieval.documents.0.document.metadata", "{\"source\":\"a.md\"}")));

    exporter.reset();
    bridge.close();
    retriever().invoke("fish", traced(true, true));
    assertThat(oi("retrieval docs")).containsExactlyEntriesOf(attributes("openinference.span.kind", "RETRIEVER",
        "retrieval.documents.0.document.id", "doc-1",
        "retrieval.documents.0.document.metadata", "{\"source\":\"a.md\"}",
        "retrieval.documents.0.document.content", "Goldfish live long.",
        "retrieval.documents.1.document.content", "Cats sleep.",
        "input.value", "{\"query\":\"fish\"}", "input.mime_type", "application/json",
        "output.value", "[{\"page_content\":\"Goldfish live long.\",\"metadata\":{\"source\":\"a.md\"}},"
            + "{\"page_content\":\"Cats sleep.\",\"metadata\":{}}]", "output.mime_type", "application/json"));
  }

  @Test
  void offByDefaultNoSpanCarriesOpenInferenceAttributes() {
    bridge = OtelBridge.builder().openTelemetry(sdk).captureContent(true).build();
    RunConfig cfg = RunConfig.builder().listener(bridge).build();
    OtlpExportTest.chain().invoke(Map.of("question", "hi?"), cfg);
    weatherTool().invoke(WEATHER_CALL, cfg);
    retriever().invoke("fish", cfg);

    assertThat(exporter.getFinishedSpanItems()).hasSize(6)
        .allSatisfy(s -> assertThat(oi(s.getName())).isEmpty());
  }

  @Test
  void agentNamedChainsAndCustomRunTypesMapToTheirKinds() {
    RunnableLambda.<String, String>of("research_agent", q -> q).invoke("q", traced(true, false));
    assertThat(oi("research_agent")).containsExactlyEntriesOf(Map.of("openinference.span.kind", "AGENT"));

    Map<String, Object> none = Map.of();
    assertThat(GenAiMapping.openInferenceKind(RunType.CHAIN, "Assistant", Map.of("ls_agent_name", "Assistant")))
        .isEqualTo("AGENT");
    assertThat(GenAiMapping.openInferenceKind(RunType.CHAIN, "Memory", Map.of("ls_agent_name", "Assistant")))
        .isEqualTo("CHAIN");
    assertThat(GenAiMapping.openInferenceKind(RunType.of("embedding"), "embed", none)).isEqualTo("EMBEDDING");
    assertThat(GenAiMapping.openInferenceKind(RunType.of("reranker"), "rerank", none)).isEqualTo("RERANKER");
    assertThat(GenAiMapping.openInferenceKind(RunType.of("my_step"), "step", none)).isEqualTo("CHAIN");
    assertThat(GenAiMapping.openInferenceKind(RunType.PARSER, "StrOutputParser", none)).isEqualTo("CHAIN");
    assertThat(GenAiMapping.openInferenceKind(RunType.LLM, "OpenAI", none)).isEqualTo("LLM");
  }

  @Test
  void providersUseOpenInferenceWellKnownValues() {
    Map<String, String> expected = Map.of("azure_openai", "azure", "bedrock", "aws", "google_vertexai", "google",
        "Ollama", "ollama", "somethingnew", "somethingnew");
    expected.forEach((ls, name) -> assertThat(GenAiMapping.openInferenceProvider(ls)).as(ls).isEqualTo(name));
    assertThat(GenAiMapping.openInferenceProvider(null)).isNull();
  }
}
