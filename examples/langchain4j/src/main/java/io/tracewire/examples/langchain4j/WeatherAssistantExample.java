package io.tracewire.examples.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.tracewire.adapters.langchain4j.LangChain4jTracing;
import io.tracewire.core.Tracewire;
import io.tracewire.exporters.console.ConsoleSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/**
 * A traced LangChain4j assistant: one tool, chat memory and retrieval over an in-memory
 * embedding store (all-MiniLM-L6-v2, in-process: the model ships in its jar), answering from a
 * replayed OpenAI stream that the example serves itself, so it runs offline:
 *
 * <pre>mvn -B -q -pl examples/langchain4j -am process-classes -Prun-example</pre>
 *
 * It prints the answer's tokens as they stream and the run tree (Tracewire's console sink).
 * Single-threaded entry point; the streamed answer arrives on LangChain4j's HTTP client thread.
 */
public final class WeatherAssistantExample {
  private WeatherAssistantExample() {}

  /** The question the replayed stream answers. */
  public static final String QUESTION = "What is the weather in Paris and Lyon?";

  // tag::service[]
  /** The AI Service: LangChain4j implements it. */
  public interface Assistant {
    @SystemMessage("You are a weather assistant. Use the stations listed in the context.")
    TokenStream chat(String question);
  }

  /** Its one tool. */
  public static final class WeatherTools {
    @Tool(name = "get_weather", value = "The current weather in a city")
    public String getWeather(@P("the city") String city) {
      return switch (city) {
        case "Paris" -> "18°C, sunny";
        case "Lyon" -> "21°C, cloudy";
        default -> throw new IllegalArgumentException("no weather station in " + city);
      };
    }
  }
  // end::service[]

  /** Station notes the assistant retrieves from. */
  public static final List<String> NOTES = List.of(
      "Paris weather station: Montsouris park, 75 m above sea level.",
      "Lyon weather station: Bron airport, 200 m above sea level.",
      "The Louvre is the most visited museum in the world.");

  /** A retriever over {@link #NOTES}, embedded in-process with all-MiniLM-L6-v2. */
  public static ContentRetriever retriever() {
    // tag::rag[]
    EmbeddingModel embeddings = new AllMiniLmL6V2EmbeddingModel();
    InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
    for (String note : NOTES) {
      TextSegment segment = TextSegment.from(note);
      store.add(embeddings.embed(segment).content(), segment);
    }
    ContentRetriever retriever = EmbeddingStoreContentRetriever.builder()
        .embeddingStore(store).embeddingModel(embeddings).maxResults(2).build();
    // end::rag[]
    return retriever;
  }

  /** Builds the traced assistant over {@code model}. */
  public static Assistant assistant(StreamingChatModel model, ContentRetriever retriever) {
    // tag::build[]
    Assistant assistant = LangChain4jTracing.aiServices(Assistant.class)   // instead of AiServices.builder(...)
        .streamingChatModel(model)
        .tools(new WeatherTools())
        .contentRetriever(retriever)
        .chatMemory(MessageWindowChatMemory.withMaxMessages(20))
        .build();
    // end::build[]
    return assistant;
  }

  /** Asks {@code question} and waits for the streamed answer, passing each token to {@code tokens}. */
  public static String ask(Assistant assistant, String question, Consumer<String> tokens) {
    // tag::ask[]
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    assistant.chat(question)
        .onPartialResponse(tokens)
        .onCompleteResponse(done::complete)
        .onError(done::completeExceptionally)
        .start();
    String answer = done.join().aiMessage().text();
    // end::ask[]
    return answer;
  }

  /** A local server that replays the recorded OpenAI streams of this conversation (three model calls). */
  public static MockWebServer replayServer() throws IOException {
    MockWebServer server = new MockWebServer();
    for (String name : List.of("round1", "round2", "final")) {
      server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
          .body(resource("/replay/openai-" + name + ".sse")).build());
    }
    server.start();
    return server;
  }

  /** An OpenAI streaming model pointed at {@code baseUrl} (the replay server). */
  public static StreamingChatModel openAi(String baseUrl) {
    return OpenAiStreamingChatModel.builder().baseUrl(baseUrl).apiKey("sk-replayed-no-key-needed")
        .modelName("gpt-4o-mini").temperature(0.0).build();
  }

  /** Runs the whole example, printing to {@code out}; returns the answer. */
  public static String run(PrintStream out) throws IOException {
    try (MockWebServer provider = replayServer()) {
      Assistant assistant = assistant(openAi(provider.url("/v1").toString()), retriever());
      // tag::console[]
      try (Tracewire tracing = Tracewire.builder()
          .sink(ConsoleSink.builder().out(out).color(false).build())
          .install()) {
        return Tracewire.trace("weather-app", () -> ask(assistant, QUESTION, token -> { }));
      } // flushes the console sink: the run tree is printed
      // end::console[]
    }
  }

  public static void main(String[] args) throws IOException {
    String answer = run(System.out);
    System.out.println();
    System.out.println("Answer: " + answer);
  }

  private static String resource(String path) {
    try (InputStream in = WeatherAssistantExample.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
