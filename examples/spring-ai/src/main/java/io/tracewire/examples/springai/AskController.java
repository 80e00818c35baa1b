package io.tracewire.examples.springai;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/** The one endpoint: streams the model's answer, one SSE {@code data:} line per token. */
@RestController
class AskController {
  private final ChatClient chat;

  AskController(ChatClient.Builder builder) {
    this.chat = builder.defaultSystem("You are a concise weather assistant.").build();
  }

  @GetMapping(path = "/ask", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  Flux<String> ask(@RequestParam(defaultValue = "What should I wear in Paris today?") String q) {
    return chat.prompt().user(q).stream().content();
  }
}
