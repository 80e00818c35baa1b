package io.tracewire.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/** The Spring AI to Tracewire value mapping, on Spring AI's own value classes. */
class SpringAiMessagesTest {
  @Test
  void messagesKeepRolesToolCallsAndOneToolMessagePerResponse() {
    AssistantMessage asked = AssistantMessage.builder().content("")
        .toolCalls(List.of(new AssistantMessage.ToolCall("call_1", "function", "get_weather", "{\"city\":\"Paris\"}")))
        .build();
    ToolResponseMessage answered = ToolResponseMessage.builder().responses(List.of(
        new ToolResponseMessage.ToolResponse("call_1", "get_weather", "sunny"),
        new ToolResponseMessage.ToolResponse("call_2", "get_weather", "cloudy"))).build();
    List<BaseMessage> out = SpringAiMessages.messages(List.of(new SystemMessage("be brief"), new UserMessage("hi"),
        asked, answered));

    assertThat(out).hasSize(5);
    assertThat(out.get(0)).isInstanceOf(io.tracewire.core.message.SystemMessage.class);
    assertThat(out.get(1)).isEqualTo(new HumanMessage("hi"));
    AIMessage ai = (AIMessage) out.get(2);
    assertThat(ai.toolCalls()).singleElement().satisfies(tc -> {
      assertThat(tc.id()).isEqualTo("call_1");
      assertThat(tc.args()).isEqualTo(Map.of("city", "Paris"));
    });
    assertThat(out.subList(3, 5)).extracting(m -> ((ToolMessage) m).toolCallId()).containsExactly("call_1", "call_2");
  }

  @Test
  void usageIsAbsentUnlessTheProviderReportedSome() {
    assertThat(SpringAiMessages.usage(response(new EmptyUsage()))).isNull();
    assertThat(SpringAiMessages.usage(response(new DefaultUsage(0, 0, 0, "native")))).isNull();
    assertThat(SpringAiMessages.usage(response(new DefaultUsage(12, 3, 15, null)))).isNull();
    assertThat(SpringAiMessages.usage(response(new DefaultUsage(12, 3, 15, "native"))))
        .isEqualTo(new UsageMetadata(12, 3, 15));
    assertThat(SpringAiMessages.usage(null)).isNull();
  }

  @Test
  void lsParamsTakeThePromptOptionsOverTheModelDefaults() {
    ChatOptions defaults = ChatOptions.builder().model("gpt-4o-mini").temperature(0.7).maxTokens(100)
        .stopSequences(List.of("END")).build();
    Prompt plain = new Prompt("hi");
    Prompt specific = new Prompt("hi", ChatOptions.builder().model("gpt-4o").temperature(0.0).build());
    Map<String, Object> a = SpringAiMessages.lsParams(FakeChatModel.class, plain, defaults);
    Map<String, Object> b = SpringAiMessages.lsParams(FakeChatModel.class, specific, defaults);

    assertThat(a).containsExactly(Map.entry("ls_provider", "fake"), Map.entry("ls_model_type", "chat"),
        Map.entry("ls_model_name", "gpt-4o-mini"), Map.entry("ls_temperature", 0.7), Map.entry("ls_max_tokens", 100),
        Map.entry("ls_stop", List.of("END")));
    assertThat(b).containsEntry("ls_model_name", "gpt-4o").containsEntry("ls_temperature", 0.0)
        .containsEntry("ls_max_tokens", 100);
  }

  @Test
  void toolCallIdsAreClaimedByNameAndArgumentsThenByName() {
    TracedToolCallingManager.Batch batch = new TracedToolCallingManager.Batch(List.of(
        new AssistantMessage.ToolCall("a", "function", "get_weather", "{\"city\":\"Paris\"}"),
        new AssistantMessage.ToolCall("b", "function", "get_weather", "{\"city\":\"Rome\"}"),
        new AssistantMessage.ToolCall("c", "function", "get_time", "")), io.tracewire.core.RunConfig.empty());

    assertThat(batch.claim("get_weather", "{\"city\":\"Rome\"}")).isEqualTo("b");
    assertThat(batch.claim("get_time", "{}")).isEqualTo("c");
    assertThat(batch.claim("get_weather", "{\"city\": \"Paris\"}")).isEqualTo("a");
    assertThat(batch.claim("get_weather", "{}")).isNull();
    assertThat(batch.claim("unknown", "{}")).isNull();
  }

  private static ChatResponse response(org.springframework.ai.chat.metadata.Usage usage) {
    return new ChatResponse(List.of(new Generation(new AssistantMessage("x"))),
        ChatResponseMetadata.builder().usage(usage).build());
  }

  @Test
  void aCumulativeUsageReportAddsOnlyWhatItGrewAndANonCumulativeOneAddsItself() {
    UsageMetadata first = new UsageMetadata(25, 1, 26);
    assertThat(TracedChatModel.Accumulator.increment(null, first)).isEqualTo(first);
    assertThat(TracedChatModel.Accumulator.increment(first, new UsageMetadata(25, 6, 31))).isEqualTo(new UsageMetadata(0, 5, 5));
    assertThat(TracedChatModel.Accumulator.increment(first, first)).as("a repeated report").isNull();
    assertThat(TracedChatModel.Accumulator.increment(first, new UsageMetadata(0, 5, 5))).isEqualTo(new UsageMetadata(0, 5, 5));
  }

  /** Only its class name matters (ls_provider). */
  abstract static class FakeChatModel implements org.springframework.ai.chat.model.ChatModel {}
}
