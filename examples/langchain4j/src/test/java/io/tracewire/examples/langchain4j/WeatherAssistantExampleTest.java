package io.tracewire.examples.langchain4j;

import static io.tracewire.test.TracewireAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.service.AiServices;
import io.tracewire.adapters.langchain4j.TracedAiServices;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.examples.langchain4j.WeatherAssistantExample.Assistant;
import io.tracewire.examples.langchain4j.WeatherAssistantExample.WeatherTools;
import io.tracewire.test.EventRecorder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example, run as its main method does (offline, against its own replay server), and the
 * zero-code option: this module's test class path registers TracingAiServicesFactory
 * ({@code src/test/resources/META-INF/services}), so plain {@code AiServices.builder} is traced.
 */
class WeatherAssistantExampleTest {
  static final String ANSWER = "Paris is 18°C and sunny, Lyon 21°C and cloudy.";
  private static ContentRetriever retriever;

  @BeforeAll
  static void embedTheNotesOnce() {
    retriever = WeatherAssistantExample.retriever();
  }

  @Test
  void theExampleRunsOfflineAndPrintsTheTokensInsideTheRunTree() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    String answer = WeatherAssistantExample.run(new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(answer).isEqualTo(ANSWER);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("▶ chain weather-app", "  ▶ chain Assistant#chat",
        "    ▶ retriever EmbeddingStoreContentRetriever", "    ▶ tool get_weather",
        "Paris is |18°C and sunny|, Lyon |21°C and cloudy.|", "tokens 180 in / 14 out / 194 total",
        "  ✔ chain Assistant#chat", "✔ chain weather-app");
  }

  @Test
  void theRealEmbeddingModelRetrievesTheTwoStationNotes() throws Exception {
    try (MockWebServer provider = WeatherAssistantExample.replayServer()) {
      Assistant assistant = WeatherAssistantExample.assistant(
          WeatherAssistantExample.openAi(provider.url("/v1").toString()), retriever);
      // tag::test[]
      EventRecorder recorder = EventRecorder.create();
      RunnableLambda<String, String> app = RunnableLambda.of("app",
          q -> WeatherAssistantExample.ask(assistant, q, token -> { }));

      app.invoke(WeatherAssistantExample.QUESTION, recorder.config());

      assertThat(recorder).isWellFormed().hasNoErrors().hasUsageTotals(438, 45, 483);
      assertThat(recorder).hasRun("Assistant#chat", "chain").isChildOf("app")
          .hasChildren("EmbeddingStoreContentRetriever", "OpenAiStreamingChatModel", "get_weather",
              "OpenAiStreamingChatModel", "get_weather", "OpenAiStreamingChatModel")
          .hasCustomEvent("chat_memory_write")
          .child("OpenAiStreamingChatModel");
      assertThat(recorder).hasRun("get_weather", "tool").hasOutput(
          new io.tracewire.core.message.ToolMessage("18°C, sunny", "call_Paris01", "get_weather", "success", null));
      // end::test[]
      @SuppressWarnings("unchecked")
      List<Document> docs = (List<Document>) recorder.tree().named("EmbeddingStoreContentRetriever").get(0).output();
      assertThat(docs).extracting(Document::pageContent).containsExactlyInAnyOrder(
          WeatherAssistantExample.NOTES.get(0), WeatherAssistantExample.NOTES.get(1));
      assertThat(docs).allSatisfy(d -> assertThat(d.metadata()).containsKey("score"));
      assertThat(recorder.tree().named("OpenAiStreamingChatModel").get(2)).hasStreamedText(ANSWER);
    }
  }

  @Test
  void withTheFactoryRegisteredAPlainAiServicesBuilderIsTraced() throws Exception {
    assertThat(AiServices.builder(Assistant.class)).isInstanceOf(TracedAiServices.class);
    try (MockWebServer provider = WeatherAssistantExample.replayServer()) {
      // tag::zero-code[]
      Assistant assistant = AiServices.builder(Assistant.class)   // unchanged application code
          .streamingChatModel(WeatherAssistantExample.openAi(provider.url("/v1").toString()))
          .tools(new WeatherTools())
          .contentRetriever(retriever)
          .chatMemory(MessageWindowChatMemory.withMaxMessages(20))
          .build();
      // end::zero-code[]
      EventRecorder recorder = EventRecorder.create();
      String answer = RunnableLambda.of("app", (String q) -> WeatherAssistantExample.ask(assistant, q, t -> { }))
          .invoke(WeatherAssistantExample.QUESTION, recorder.config());

      assertThat(answer).isEqualTo(ANSWER);
      assertThat(recorder).isWellFormed().hasEventSequence(
          "on_chain_start:app", "on_chain_start:Assistant#chat",
          "on_custom_event:chat_memory_read",
          "on_retriever_start:EmbeddingStoreContentRetriever", "on_retriever_end:EmbeddingStoreContentRetriever",
          "on_custom_event:chat_memory_write", "on_custom_event:chat_memory_read", "on_custom_event:chat_memory_write",
          // each tool round streams its tool-call fragments (tool_call_chunks), as in LangChain
          "on_chat_model_start", "on_chat_model_stream", "on_chat_model_stream", "on_chat_model_stream",
          "on_chat_model_stream", "on_chat_model_stream", "on_chat_model_end", "on_custom_event:chat_memory_write",
          "on_tool_start:get_weather", "on_tool_end:get_weather", "on_custom_event:chat_memory_write",
          "on_custom_event:chat_memory_read",
          "on_chat_model_start", "on_chat_model_stream", "on_chat_model_stream", "on_chat_model_stream",
          "on_chat_model_end", "on_custom_event:chat_memory_write",
          "on_tool_start:get_weather", "on_tool_end:get_weather", "on_custom_event:chat_memory_write",
          "on_custom_event:chat_memory_read",
          "on_chat_model_start", "on_chat_model_stream", "on_chat_model_stream", "on_chat_model_stream",
          "on_chat_model_stream", "on_chat_model_end", "on_custom_event:chat_memory_write",
          "on_chain_end:Assistant#chat", "on_chain_end:app");
    }
  }
}
