package io.tracewire.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.tracewire.core.CloseableIterator;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code disable_streaming} (spec §15.1) with LangChain's two meanings: {@code True} never
 * streams, {@code "tool_calling"} does not stream when tools are bound. A model that does not
 * stream falls back to {@code invoke}: its {@code stream} yields the one {@link AIMessage}
 * (id {@code lc_run--<run>-0}), and {@code streamEvents} shows start and end only. The expected
 * lists are langchain-core 1.6.0's output for {@code GenericFakeChatModel(disable_streaming=...)}.
 */
class DisableStreamingTest {
  private static final List<Map<String, Object>> TOOLS = List.of(Map.of("type", "function", "function",
      Map.of("name", "get_weather", "description", "w", "parameters", Map.of("type", "object", "properties", Map.of()))));

  private static GenericFakeChatModel model(DisableStreaming mode) {
    return GenericFakeChatModel.cycling(List.of("hello world")).disableStreaming(mode);
  }

  private static Runnable<Object, BaseMessage> withTools(GenericFakeChatModel m) {
    return m.bind(Map.of("tools", TOOLS));
  }

  private static List<String> events(Runnable<Object, ?> r) {
    try (CloseableIterator<StreamEvent> it = r.streamEvents("hi")) {
      return it.toList().stream().map(e -> e.event() + " " + e.name()
          + (e.hasData("chunk") ? " " + typeAndText(e.dataValue("chunk")) : "")
          + (e.hasData("output") ? " " + typeAndText(e.dataValue("output")) : "")).toList();
    }
  }

  private static String typeAndText(Object o) {
    return o instanceof BaseMessage m ? m.getClass().getSimpleName() + "(" + m.text() + ")" : String.valueOf(o);
  }

  private static final List<String> STREAMED_ROOT = List.of(
      "on_chat_model_start GenericFakeChatModel",
      "on_chat_model_stream GenericFakeChatModel AIMessageChunk(hello)",
      "on_chat_model_stream GenericFakeChatModel AIMessageChunk( )",
      "on_chat_model_stream GenericFakeChatModel AIMessageChunk(world)",
      "on_chat_model_end GenericFakeChatModel AIMessageChunk(hello world)");

  private static final List<String> INVOKED_ROOT = List.of(
      "on_chat_model_start GenericFakeChatModel",
      "on_chat_model_end GenericFakeChatModel AIMessage(hello world)");

  private static final List<String> STREAMED_NESTED = List.of(
      "on_chain_start app",
      "on_chat_model_start GenericFakeChatModel",
      "on_chat_model_stream GenericFakeChatModel AIMessageChunk(hello)",
      "on_chat_model_stream GenericFakeChatModel AIMessageChunk( )",
      "on_chat_model_stream GenericFakeChatModel AIMessageChunk(world)",
      "on_chat_model_end GenericFakeChatModel AIMessage(hello world)",
      "on_chain_stream app AIMessage(hello world)",
      "on_chain_end app AIMessage(hello world)");

  private static final List<String> INVOKED_NESTED = List.of(
      "on_chain_start app",
      "on_chat_model_start GenericFakeChatModel",
      "on_chat_model_end GenericFakeChatModel AIMessage(hello world)",
      "on_chain_stream app AIMessage(hello world)",
      "on_chain_end app AIMessage(hello world)");

  private static Runnable<Object, ?> app(Runnable<Object, BaseMessage> m) {
    return RunnableLambda.of("app", (Object x) -> m.invoke(x));
  }

  @Test
  void byDefaultAModelStreamsWithOrWithoutTools() {
    assertThat(model(DisableStreaming.NEVER).disableStreaming()).isEqualTo(DisableStreaming.NEVER);
    assertThat(GenericFakeChatModel.cycling(List.of("x")).disableStreaming()).isEqualTo(DisableStreaming.NEVER);
    assertThat(events(model(DisableStreaming.NEVER))).isEqualTo(STREAMED_ROOT);
    assertThat(events(withTools(model(DisableStreaming.NEVER)))).isEqualTo(STREAMED_ROOT);
    assertThat(events(app(model(DisableStreaming.NEVER)))).isEqualTo(STREAMED_NESTED);
  }

  @Test
  void alwaysDisabledStreamingIsAnInvokeAtTheRootAndNested() {
    assertThat(events(model(DisableStreaming.ALWAYS))).isEqualTo(INVOKED_ROOT);
    assertThat(events(withTools(model(DisableStreaming.ALWAYS)))).isEqualTo(INVOKED_ROOT);
    assertThat(events(app(model(DisableStreaming.ALWAYS)))).isEqualTo(INVOKED_NESTED);
    assertThat(events(app(withTools(model(DisableStreaming.ALWAYS))))).isEqualTo(INVOKED_NESTED);
  }

  @Test
  void toolCallingDisablesStreamingOnlyWhenToolsAreBound() {
    assertThat(events(model(DisableStreaming.TOOL_CALLING))).isEqualTo(STREAMED_ROOT);
    assertThat(events(app(model(DisableStreaming.TOOL_CALLING)))).isEqualTo(STREAMED_NESTED);
    assertThat(events(withTools(model(DisableStreaming.TOOL_CALLING)))).isEqualTo(INVOKED_ROOT);
    assertThat(events(app(withTools(model(DisableStreaming.TOOL_CALLING))))).isEqualTo(INVOKED_NESTED);
  }

  @Test
  void streamOfADisabledModelYieldsOneAIMessageWithTheInvokeId() {
    List<BaseMessage> out = model(DisableStreaming.ALWAYS).stream("hi").toList();
    assertThat(out).hasSize(1);
    assertThat(out.get(0)).isExactlyInstanceOf(AIMessage.class);
    assertThat(out.get(0).text()).isEqualTo("hello world");
    assertThat(out.get(0).id()).startsWith("lc_run--").endsWith("-0");

    List<BaseMessage> streamed = withTools(model(DisableStreaming.TOOL_CALLING)).stream("hi").toList();
    assertThat(streamed).hasSize(1).first().isExactlyInstanceOf(AIMessage.class);
    assertThat(model(DisableStreaming.TOOL_CALLING).stream("hi").toList()).hasSize(3)
        .allSatisfy(m -> assertThat(m).isInstanceOf(AIMessageChunk.class));
  }

  @Test
  void disabledStreamingWinsOverAnExplicitStreamArgument() {
    Runnable<Object, BaseMessage> m = model(DisableStreaming.ALWAYS).bind(Map.of("stream", true));
    assertThat(events(app(m))).isEqualTo(INVOKED_NESTED);
  }

  @Test
  void theModeIsRequired() {
    assertThatNullPointerException().isThrownBy(() -> GenericFakeChatModel.cycling(List.of("x")).disableStreaming(null))
        .withMessage("disableStreaming");
  }
}
