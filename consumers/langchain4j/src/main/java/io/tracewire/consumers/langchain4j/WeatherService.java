package io.tracewire.consumers.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;
import io.tracewire.adapters.langchain4j.LangChain4jTracing;

/** A user's LangChain4j AI Service: one tool and one chat memory per user (chatMemoryProvider). */
public final class WeatherService {
  private WeatherService() {}

  /** The AI Service. */
  public interface Assistant {
    TokenStream chat(@MemoryId String user, @UserMessage String question);
  }

  /** Its tool. */
  public static final class WeatherTools {
    @Tool(name = "get_weather", value = "Current weather of a city")
    public String getWeather(@P("the city") String city) {
      return city.startsWith("Paris") ? "sunny, 24C" : city.startsWith("Rome") ? "cloudy, 19C" : "18C, foggy";
    }
  }

  /** The traced assistant over an OpenAI streaming model at {@code baseUrl}. */
  public static Assistant assistant(String baseUrl) {
    return LangChain4jTracing.aiServices(Assistant.class)
        .streamingChatModel(OpenAiStreamingChatModel.builder().baseUrl(baseUrl).apiKey("sk-replayed-not-a-secret")
            .modelName("gpt-4o-mini").build())
        .tools(new WeatherTools())
        .chatMemoryProvider(memoryId -> MessageWindowChatMemory.withMaxMessages(10))
        .build();
  }
}
