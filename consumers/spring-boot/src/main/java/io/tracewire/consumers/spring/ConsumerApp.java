package io.tracewire.consumers.spring;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/** A user's Boot app: a ChatClient with one tool, a blocking endpoint and a streaming (SSE) one. */
@SpringBootApplication
public class ConsumerApp {
  public static void main(String[] args) {
    SpringApplication.run(ConsumerApp.class, args);
  }

  /** The app's tool. */
  public static class WeatherTools {
    @Tool(name = "get_weather", description = "Current weather of a city")
    public String getWeather(@ToolParam(description = "the city") String city) {
      return city.startsWith("Paris") ? "sunny, 24C" : city.startsWith("Rome") ? "cloudy, 19C" : "18C, foggy";
    }
  }

  @RestController
  static class ChatController {
    private final ChatClient chat;

    ChatController(ChatClient.Builder builder) {
      this.chat = builder.defaultTools(new WeatherTools()).build();
    }

    @GetMapping("/chat")
    String chat(@RequestParam String user) {
      return chat.prompt().user("Weather in Paris and Rome? (asked by " + user + ")").call().content();
    }

    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<String> stream(@RequestParam String user) {
      return chat.prompt().user("Weather in Paris and Rome? (asked by " + user + ")").stream().content();
    }
  }
}
