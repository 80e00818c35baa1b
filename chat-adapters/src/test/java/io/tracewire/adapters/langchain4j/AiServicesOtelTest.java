package io.tracewire.adapters.langchain4j;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.tracewire.adapters.langchain4j.AiServiceFixtures.ANSWER;
import static io.tracewire.adapters.langchain4j.AiServiceFixtures.QUESTION;
import static io.tracewire.test.SpanTreeAssert.assertThatSpans;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.adapters.Replay;
import io.tracewire.adapters.langchain4j.AiServiceFixtures.Assistant;
import io.tracewire.adapters.langchain4j.AiServiceFixtures.WeatherTools;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.exporters.otel.OtelBridge;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The streamed AI Service scenario of {@link AiServicesTracingTest} exported through the
 * OpenTelemetry bridge: the same tree as GenAI spans. It lives here because chat-adapters may
 * depend on the exporters at test scope (the exporters do not depend on chat-adapters).
 */
class AiServicesOtelTest {
  @StartStop
  final MockWebServer server = new MockWebServer();

  private InMemorySpanExporter spans;
  private OpenTelemetrySdk sdk;
  private OtelBridge bridge;

  @BeforeEach
  void setUp() {
    spans = InMemorySpanExporter.create();
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .build();
    bridge = OtelBridge.builder().openTelemetry(sdk).build();
  }

  @AfterEach
  void tearDown() {
    assertThat(Context.current()).as("no OpenTelemetry context left on the test thread").isSameAs(Context.root());
    bridge.close();
    sdk.close();
  }

  @Test
  void theStreamedServiceCallIsOneTraceOfGenAiSpans() {
    for (String r : List.of("openai-round1.sse", "openai-round2.sse", "openai-final.sse")) {
      server.enqueue(Replay.stream(Replay.resource("lc4j/" + r), "text/event-stream", 97).build());
    }
    Assistant assistant = LangChain4jTracing.aiServices(Assistant.class)
        .streamingChatModel(OpenAiStreamingChatModel.builder().baseUrl(server.url("/v1").toString())
            .apiKey("sk-test-not-a-key").modelName("gpt-4o-mini").build())
        .tools(new WeatherTools())
        .contentRetriever(AiServiceFixtures.retriever())
        .chatMemory(MessageWindowChatMemory.withMaxMessages(20))
        .build();
    RunnableLambda<String, String> app = RunnableLambda.of("app", q -> {
      CompletableFuture<ChatResponse> done = new CompletableFuture<>();
      assistant.chat(q).onCompleteResponse(done::complete).onError(done::completeExceptionally).start();
      return done.join().aiMessage().text();
    });

    // tag::otel[]
    assertThat(app.invoke(QUESTION, RunConfig.builder().listener(bridge).build())).isEqualTo(ANSWER);

    assertThatSpans(spans).hasSpanCount(8).hasSingleRoot("app").hasNoErrors().hasTree("""
        app
          invoke_agent Assistant#chat
            retrieval embeddingstore
            chat gpt-4o-mini
            execute_tool get_weather
            chat gpt-4o-mini
            execute_tool get_weather
            chat gpt-4o-mini
        """);
    // end::otel[]
    List<SpanData> all = spans.getFinishedSpanItems().stream()
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).collect(Collectors.toList());
    assertThat(all).extracting(SpanData::getName).containsExactly("app", "invoke_agent Assistant#chat",
        "retrieval embeddingstore", "chat gpt-4o-mini", "execute_tool get_weather", "chat gpt-4o-mini",
        "execute_tool get_weather", "chat gpt-4o-mini");
    assertThat(all).extracting(s -> s.getTraceId()).containsOnly(all.get(0).getTraceId());

    SpanData agent = all.get(1);
    assertThat(agent.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(agent.getAttributes().get(stringKey("gen_ai.operation.name"))).isEqualTo("invoke_agent");
    assertThat(agent.getAttributes().get(stringKey("gen_ai.agent.name"))).isEqualTo("Assistant#chat");

    SpanData tool1 = all.get(4);
    assertThat(tool1.getAttributes().get(stringKey("gen_ai.operation.name"))).isEqualTo("execute_tool");
    assertThat(tool1.getAttributes().get(stringKey("gen_ai.tool.name"))).isEqualTo("get_weather");
    assertThat(tool1.getAttributes().get(stringKey("gen_ai.tool.call.id"))).isEqualTo("call_Paris01");
    assertThat(all.get(6).getAttributes().get(stringKey("gen_ai.tool.call.id"))).isEqualTo("call_Lyon02");

    SpanData first = all.get(3);
    SpanData last = all.get(7);
    assertThat(first.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(first.getAttributes().get(stringKey("gen_ai.provider.name"))).isEqualTo("openai");
    assertThat(first.getAttributes().get(longKey("gen_ai.usage.input_tokens"))).isEqualTo(112L);
    assertThat(first.getAttributes().get(longKey("gen_ai.usage.output_tokens"))).isEqualTo(16L);
    assertThat(last.getAttributes().get(longKey("gen_ai.usage.input_tokens"))).isEqualTo(180L);
    assertThat(last.getAttributes().get(stringKey("gen_ai.response.model"))).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(last.getAttributes().get(longKey("tracewire.stream.chunks"))).isEqualTo(4L);
    assertThat(all).allSatisfy(s -> assertThat(s.getAttributes().toString()).doesNotContain("not-a-key"));
  }
}
