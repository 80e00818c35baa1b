package io.tracewire.consumers.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.adapters.openai.ChatOpenAI;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.UsageMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttp;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * Tracewire's own chat adapters ({@code tracewire-chat-adapters}, here through
 * {@code tracewire-cli}) with their {@code okhttp-jvm} 5 excluded, running on the one OkHttp the
 * framework brings: {@code com.squareup.okhttp3:okhttp} 4.12.0 of Spring AI's OpenAI SDK. 24
 * users at once stream a tool-call round and then the answer with usage, over real HTTP.
 */
class ChatAdaptersOnTheFrameworksOkHttpTest {
  static final int USERS = 24;
  static final Map<String, Object> TOOL = Map.of("type", "function", "function", Map.of("name", "get_weather",
      "description", "Current weather of a city", "parameters", Map.of("type", "object")));

  @Test
  void theOnlyOkHttpOnTheClassPathIsTheFrameworks412() {
    assertThat(OkHttp.VERSION).isEqualTo("4.12.0");
    assertThat(OkHttpClient.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .endsWith("/okhttp-4.12.0.jar");
  }

  @Test
  void chatOpenAiStreamsToolCallsAndTheAnswerWithUsageForTwentyFourUsersAtOnce() throws Exception {
    try (MockWebServer provider = new MockWebServer()) {
      provider.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          String body = request.getBody().readUtf8();
          String name = body.contains("\"tools\"") ? "openai-tools.sse" : "openai-after-tools.sse";
          return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/event-stream; charset=utf-8")
              .setBody(resource(name));
        }
      });
      provider.start();
      ChatOpenAI model = ChatOpenAI.builder().baseUrl(provider.url("/v1").toString()).apiKey("sk-replayed-not-a-secret")
          .model("gpt-4o-mini").build();
      ExecutorService pool = Executors.newFixedThreadPool(USERS);
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<Void>> calls = new ArrayList<>();
      try {
        for (int i = 0; i < USERS; i++) {
          String question = String.format("Weather in Paris and Rome? (asked by user-a%02d)", i);
          calls.add(CompletableFuture.runAsync(() -> {
            try {
              start.await();
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            AIMessage toolRound = (AIMessage) model.bind(Map.of("tools", List.of(TOOL))).invoke(question);
            assertThat(toolRound.toolCalls()).as(question).containsExactly(
                new ToolCall("get_weather", Map.of("city", "Paris"), "call_Ab12"),
                new ToolCall("get_weather", Map.of("city", "Rome"), "call_Cd34"));
            StringBuilder tokens = new StringBuilder();
            AIMessageChunk answer = null; // a streamed model ends with the merged chunk, as in LangChain
            for (StreamEvent e : model.streamEvents(question).toList()) {
              if (e.event().equals("on_chat_model_stream")) {
                tokens.append(((AIMessageChunk) e.dataValue("chunk")).content());
              } else if (e.event().equals("on_chat_model_end")) {
                answer = (AIMessageChunk) e.dataValue("output");
              }
            }
            assertThat(tokens).as(question).hasToString("Paris is sunny, Rome is cloudy.");
            assertThat(answer).as(question).isNotNull();
            assertThat(answer.usageMetadata()).as(question).isEqualTo(new UsageMetadata(88, 9, 97));
          }, pool));
        }
        start.countDown();
        for (CompletableFuture<Void> c : calls) {
          c.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdown();
      }
      assertThat(provider.getRequestCount()).isEqualTo(2 * USERS);
    }
  }

  private static String resource(String name) {
    try (InputStream in = ChatAdaptersOnTheFrameworksOkHttpTest.class.getResourceAsStream("/replay/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
