package io.tracewire.adapters.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The assistant, its tool and its RAG store shared by the AI Service tests. */
final class AiServiceFixtures {
  private AiServiceFixtures() {}

  static final String QUESTION = "What is the weather in Paris and Lyon?";
  static final String ANSWER = "Paris is 18°C and sunny, Lyon 21°C and cloudy.";

  /** A streaming assistant. */
  interface Assistant {
    @SystemMessage("You are a weather assistant. Use the stations listed in the context.")
    TokenStream chat(String question);
  }

  /** A blocking assistant. */
  interface SyncAssistant {
    String chat(String question);
  }

  /** The one tool: refuses Atlantis with an exception. */
  static final class WeatherTools {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();

    @Tool(name = "get_weather", value = "The current weather in a city")
    String getWeather(@P("the city") String city) {
      calls.add(city);
      threads.add(Thread.currentThread());
      return switch (city) {
        case "Paris" -> "18°C, sunny";
        case "Lyon" -> "21°C, cloudy";
        default -> throw new IllegalArgumentException("no weather station in " + city);
      };
    }
  }

  /**
   * A deterministic embedding model for the tests: counts of a few keywords, so retrieval ranks
   * by keyword overlap. (The example module uses the real all-MiniLM-L6-v2 model instead.)
   */
  static final class KeywordEmbeddingModel implements EmbeddingModel {
    private static final List<String> WORDS = List.of("paris", "lyon", "berlin", "weather", "station", "museum");

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
      List<Embedding> out = new ArrayList<>();
      for (TextSegment s : segments) {
        String t = s.text().toLowerCase(Locale.ROOT);
        float[] v = new float[WORDS.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = t.contains(WORDS.get(i)) ? 1f : 0f;
        }
        Embedding e = Embedding.from(v);
        e.normalize();
        out.add(e);
      }
      return Response.from(out);
    }
  }

  static final List<String> DOCS = List.of(
      "Paris weather station: Montsouris park.",
      "Lyon weather: Bron airport.",
      "Berlin museum island.");

  /** A real in-memory store over {@link #DOCS} with a real {@link EmbeddingStoreContentRetriever} (top 2). */
  static ContentRetriever retriever() {
    InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
    KeywordEmbeddingModel model = new KeywordEmbeddingModel();
    int i = 0;
    for (String d : DOCS) {
      TextSegment seg = TextSegment.from(d, dev.langchain4j.data.document.Metadata.from(Map.of("source", "stations.txt", "line", ++i)));
      store.add("doc-" + i, model.embed(seg).content(), seg);
    }
    return EmbeddingStoreContentRetriever.builder().embeddingStore(store).embeddingModel(model).maxResults(2).minScore(0.1).build();
  }
}
