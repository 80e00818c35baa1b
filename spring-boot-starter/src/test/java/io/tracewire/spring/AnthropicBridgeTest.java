package io.tracewire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.Tracewire;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The real Spring AI Anthropic client (official Anthropic Java SDK) against recorded Anthropic bytes. */
@SpringBootTest(classes = AnthropicBridgeTest.App.class, properties = {
    "spring.main.web-application-type=none",
    "spring.ai.model.chat=anthropic",
    "spring.ai.model.embedding=none",
    "spring.ai.model.image=none",
    "spring.ai.model.audio.speech=none",
    "spring.ai.model.audio.transcription=none",
    "spring.ai.model.moderation=none",
    "spring.ai.anthropic.api-key=sk-ant-test-not-a-secret",
    "spring.ai.anthropic.chat.model=claude-sonnet-4-5",
    "spring.ai.anthropic.chat.temperature=0.5",
    "spring.ai.anthropic.chat.max-tokens=256"})
@DirtiesContext
class AnthropicBridgeTest {
  static final ProviderReplay REPLAY = new ProviderReplay();

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    String base = REPLAY.url("/");
    r.add("spring.ai.anthropic.base-url", () -> base.substring(0, base.length() - 1));
  }

  @AfterAll
  static void stop() {
    REPLAY.close();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    Collector collector() {
      return new Collector();
    }
  }

  @Autowired ChatClient.Builder chatClientBuilder;
  @Autowired Collector collector;
  @Autowired Tracewire tracewire;

  @BeforeEach
  void reset() {
    tracewire.flush(Duration.ofSeconds(5));
    collector.clear();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> data(StreamEvent e) {
    return (Map<String, Object>) e.data();
  }

  @Test
  void streamedPromptHasTheExactTokensUsageAndLsParams() {
    REPLAY.sse("anthropic-text.sse");
    String answer = String.join("", chatClientBuilder.build().prompt().user("Say hello").stream().content()
        .collectList().block(Duration.ofSeconds(20)));
    assertThat(tracewire.flush(Duration.ofSeconds(10))).isTrue();

    assertThat(answer).isEqualTo("Hello!");
    List<String> tokens = collector.named("on_chat_model_stream").stream()
        .map(e -> ((BaseMessage) data(e).get("chunk")).text()).filter(t -> !t.isEmpty()).toList();
    assertThat(tokens).containsExactly("Hello", "!");
    StreamEvent start = collector.one("on_chat_model_start");
    assertThat(start.name()).isEqualTo("AnthropicChatModel");
    assertThat(start.metadata()).containsEntry("ls_provider", "anthropic")
        .containsEntry("ls_model_name", "claude-sonnet-4-5").containsEntry("ls_temperature", 0.5)
        .containsEntry("ls_max_tokens", 256);
    AIMessageChunk out = (AIMessageChunk) data(collector.one("on_chat_model_end")).get("output");
    assertThat(out.text()).isEqualTo("Hello!");
    assertThat(out.usageMetadata()).isEqualTo(new UsageMetadata(25, 6, 31));
    assertThat(out.id()).isEqualTo("msg_01TestText");
    StreamEvent root = collector.one("on_chain_start");
    assertThat(start.parentIds()).containsExactly(root.runId());
  }

  @Test
  void toolUseIsAToolRunWithItsIdUnderTheChatClientRun() {
    REPLAY.sse("anthropic-tool.sse").sse("anthropic-after-tool.sse");
    WeatherTools tools = new WeatherTools();
    String answer = String.join("", chatClientBuilder.build().prompt().user("Weather in San Francisco?").tools(tools)
        .stream().content().collectList().block(Duration.ofSeconds(20)));
    assertThat(tracewire.flush(Duration.ofSeconds(10))).isTrue();

    assertThat(answer).endsWith("It is 18°C and foggy.");
    assertThat(tools.calls).containsExactly("San Francisco, CA");
    StreamEvent root = collector.where(e -> e.event().equals("on_chain_start") && e.parentIds().isEmpty()).get(0);
    StreamEvent tool = collector.one("on_tool_start");
    assertThat(tool.name()).isEqualTo("get_weather");
    assertThat(tool.parentIds()).containsExactly(root.runId());
    assertThat(data(tool).get("input")).isEqualTo(Map.of("location", "San Francisco, CA"));
    ToolMessage result = (ToolMessage) data(collector.one("on_tool_end")).get("output");
    assertThat(result.toolCallId()).isEqualTo("toolu_01T3stWeather");
    assertThat(collector.named("on_chat_model_start")).hasSize(2)
        .allSatisfy(e -> assertThat(e.parentIds()).containsExactly(root.runId()));
    AIMessageChunk first = (AIMessageChunk) data(collector.named("on_chat_model_end").get(0)).get("output");
    assertThat(first.usageMetadata()).isEqualTo(new UsageMetadata(40, 57, 97));
  }

  @Test
  void theStreamedUsageIsOnTheChunkThatBroughtItAsInLangChain() {
    REPLAY.sse("anthropic-text.sse");
    chatClientBuilder.build().prompt().user("Say hello").stream().content().collectList().block(Duration.ofSeconds(20));
    assertThat(tracewire.flush(Duration.ofSeconds(10))).isTrue();

    List<UsageMetadata> usage = collector.named("on_chat_model_stream").stream()
        .map(e -> ((AIMessageChunk) data(e).get("chunk")).usageMetadata()).toList();
    // Spring AI reports the usage once, on its last response (message_delta): that chunk carries it
    assertThat(usage).containsExactly(null, null, new UsageMetadata(25, 6, 31));
    assertThat(((AIMessageChunk) data(collector.one("on_chat_model_end")).get("output")).usageMetadata())
        .isEqualTo(new UsageMetadata(25, 6, 31));
  }

  @Test
  void blockingPromptIsAChainWithAChatModelRunAndUsage() {
    REPLAY.json("anthropic-message.json");
    String answer = chatClientBuilder.build().prompt().user("Say hello in French").call().content();
    assertThat(tracewire.flush(Duration.ofSeconds(10))).isTrue();

    assertThat(answer).isEqualTo("Bonjour!");
    StreamEvent root = collector.one("on_chain_start");
    assertThat(collector.one("on_chat_model_start").parentIds()).containsExactly(root.runId());
    AIMessage out = (AIMessage) data(collector.one("on_chat_model_end")).get("output");
    assertThat(out.text()).isEqualTo("Bonjour!");
    assertThat(out.usageMetadata()).isEqualTo(new UsageMetadata(14, 5, 19));
    assertThat(out.id()).isEqualTo("msg_01TestCall");
    assertThat(out.responseMetadata()).containsEntry("finish_reason", "end_turn");
  }
}
