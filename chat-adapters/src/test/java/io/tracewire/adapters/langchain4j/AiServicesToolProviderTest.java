package io.tracewire.adapters.langchain4j;

import static io.tracewire.adapters.langchain4j.AiServiceFixtures.ANSWER;
import static io.tracewire.adapters.langchain4j.AiServiceFixtures.QUESTION;
import static io.tracewire.test.TracewireAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderResult;
import io.tracewire.adapters.Replay;
import io.tracewire.adapters.langchain4j.AiServiceFixtures.SyncAssistant;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.test.EventRecorder;
import io.tracewire.test.RecordedRun;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * Tools supplied by a {@link ToolProvider} (any provider, not only MCP's) are {@code tool} runs of
 * the AI Service invocation, like the ones given to {@code tools(...)}: real AI Services and the
 * real OpenAI client against recorded OpenAI responses.
 */
class AiServicesToolProviderTest {
  @StartStop
  final MockWebServer server = new MockWebServer();

  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger provided = new AtomicInteger();

  /** get_weather from a provider, executed by a plain {@link ToolExecutor} lambda. */
  private ToolProvider provider() {
    ToolSpecification spec = ToolSpecification.builder().name("get_weather").description("The current weather in a city")
        .parameters(JsonObjectSchema.builder().addStringProperty("city", "the city").required("city").build()).build();
    ToolExecutor executor = (request, memoryId) -> {
      String city = Lc4jMessages.arguments(request.arguments()).get("city").toString();
      calls.add(city);
      return switch (city) {
        case "Paris" -> "18°C, sunny";
        case "Lyon" -> "21°C, cloudy";
        default -> throw new IllegalArgumentException("no weather station in " + city);
      };
    };
    return request -> {
      provided.incrementAndGet();
      return ToolProviderResult.builder().add(spec, executor).build();
    };
  }

  private SyncAssistant assistant(ToolProvider provider) {
    return LangChain4jTracing.aiServices(SyncAssistant.class)
        .chatModel(OpenAiChatModel.builder().baseUrl(server.url("/v1").toString()).apiKey("sk-test-not-a-key")
            .modelName("gpt-4o-mini").build())
        .toolProvider(provider)
        .build();
  }

  @Test
  void eachProvidedToolExecutionIsAToolRunUnderTheServiceCall() {
    server.enqueue(Replay.error(200, Replay.resource("lc4j/openai-parallel-tools.json")).build());
    server.enqueue(Replay.error(200, Replay.resource("lc4j/openai-answer.json")).build());
    EventRecorder recorder = EventRecorder.create();

    String answer = RunnableLambda.of("app", assistant(provider())::chat).invoke(QUESTION, recorder.config());

    assertThat(answer).isEqualTo(ANSWER);
    assertThat(calls).containsExactly("Paris", "Lyon");
    assertThat(provided).hasValue(1);
    assertThat(recorder).isWellFormed().hasNoErrors().hasEventSequence(
        "on_chain_start:app", "on_chain_start:SyncAssistant#chat",
        "on_chat_model_start:OpenAiChatModel", "on_chat_model_end:OpenAiChatModel",
        "on_tool_start:get_weather", "on_tool_end:get_weather",
        "on_tool_start:get_weather", "on_tool_end:get_weather",
        "on_chat_model_start:OpenAiChatModel", "on_chat_model_end:OpenAiChatModel",
        "on_chain_end:SyncAssistant#chat", "on_chain_end:app");
    RecordedRun service = recorder.tree().named("SyncAssistant#chat").get(0);
    List<RecordedRun> tools = recorder.tree().named("get_weather");
    assertThat(tools).allSatisfy(t -> assertThat(t).hasType("tool").isChildOf("SyncAssistant#chat"));
    assertThat(tools.get(0).startEvent().parentIds()).containsExactly(recorder.tree().named("app").get(0).runId(), service.runId());
    assertThat(tools.get(0).startEvent().dataValue("input")).isEqualTo(Map.of("city", "Paris"));
    assertThat(tools.get(0).output()).isEqualTo(new ToolMessage("18°C, sunny", "call_ParP1", "get_weather", "success", null));
    assertThat(tools.get(1).output()).isEqualTo(new ToolMessage("21°C, cloudy", "call_LyoP2", "get_weather", "success", null));
  }

  @Test
  void aProvidedToolThatThrowsIsAToolErrorWithItsCallId() {
    server.enqueue(Replay.error(200, Replay.resource("lc4j/openai-tool-atlantis.json")).build());
    server.enqueue(Replay.error(200, Replay.resource("lc4j/openai-sorry.json")).build());
    EventRecorder recorder = EventRecorder.create();

    String answer = RunnableLambda.of("app", assistant(provider())::chat).invoke("Weather in Atlantis?", recorder.config());

    assertThat(answer).isEqualTo("There is no weather station in Atlantis.");
    assertThat(recorder).isWellFormed().hasEventSequence(
        "on_chain_start:app", "on_chain_start:SyncAssistant#chat",
        "on_chat_model_start:OpenAiChatModel", "on_chat_model_end:OpenAiChatModel",
        "on_tool_start:get_weather", "on_tool_error:get_weather",
        "on_chat_model_start:OpenAiChatModel", "on_chat_model_end:OpenAiChatModel",
        "on_chain_end:SyncAssistant#chat", "on_chain_end:app");
    RecordedRun tool = recorder.tree().named("get_weather").get(0);
    assertThat(tool).hasFailedWith(IllegalArgumentException.class).isChildOf("SyncAssistant#chat");
    assertThat(tool.error()).hasMessage("no weather station in Atlantis");
    assertThat(tool.terminalEvent().dataValue("tool_call_id")).isEqualTo("call_Atl01");
    assertThat(tool.terminalEvent().dataValue("input")).isEqualTo(Map.of("city", "Atlantis"));
  }

  @Test
  void aProviderIsWrappedOnceAndKeepsItsDynamicFlag() {
    ToolProvider dynamic = new ToolProvider() {
      @Override
      public ToolProviderResult provideTools(dev.langchain4j.service.tool.ToolProviderRequest request) {
        return null;
      }

      @Override
      public boolean isDynamic() {
        return true;
      }
    };
    ToolProvider traced = TracedToolProvider.of(dynamic);
    assertThat(traced.isDynamic()).isTrue();
    assertThat(TracedToolProvider.of(traced)).isSameAs(traced);
    assertThat(traced.provideTools(null)).isNull();
  }
}
