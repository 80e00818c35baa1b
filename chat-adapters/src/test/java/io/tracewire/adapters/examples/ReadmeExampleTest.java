package io.tracewire.adapters.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.adapters.Replay;
import io.tracewire.adapters.anthropic.ChatAnthropic;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.BaseMessage;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** The README example for chat-adapters, compiled and run against a replayed Anthropic stream. */
class ReadmeExampleTest {

  static String readmeExample(String baseUrl) {
    StringBuilder printed = new StringBuilder();
    // --- README example start
    ChatAnthropic chat = ChatAnthropic.builder()
        .baseUrl(baseUrl)                       // omit for https://api.anthropic.com
        .apiKey("sk-ant-test")                  // omit to read ANTHROPIC_API_KEY
        .model("claude-3-haiku-20240307")
        .build();
    try (CloseableIterator<BaseMessage> chunks = chat.stream("Write me a 1 verse song about goldfish on the moon")) {
      while (chunks.hasNext()) {
        printed.append(chunks.next().text()).append('|');
      }
    }
    // --- README example end
    return printed.toString();
  }

  @Test
  void theReadmeExampleStreamsTokens() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(Replay.stream(Replay.resource("anthropic-text.sse"), "text/event-stream", 16).build());
      assertThat(readmeExample(server.url("/").toString())).isEqualTo("|Hello|!||");
    }
  }

  @Test
  void streamEventsCarryTheGuideMetadata() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(Replay.stream(Replay.resource("anthropic-text.sse"), "text/event-stream", 16).build());
      ChatAnthropic chat = ChatAnthropic.builder().baseUrl(server.url("/").toString()).apiKey("k")
          .model("claude-3-haiku-20240307").build();
      StreamEvent start = chat.streamEvents("hi").toList().get(0);
      assertThat(start.metadata()).containsEntry("ls_provider", "anthropic")
          .containsEntry("ls_model_name", "claude-3-haiku-20240307").containsEntry("ls_max_tokens", 1024);
    }
  }
}
