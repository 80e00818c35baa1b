package io.tracewire.adapters.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.UsageMetadata;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LangChain4jTracingTest {

  /** A LangChain4j chat model double: answers "Hello!" with usage. */
  static final class FakeOpenAiChatModel implements ChatModel {
    @Override
    public ChatResponse doChat(ChatRequest request) {
      return ChatResponse.builder().aiMessage(AiMessage.from("Hello!")).id("chatcmpl-1").modelName("gpt-4o-mini-2024")
          .tokenUsage(new TokenUsage(12, 3, 15)).finishReason(FinishReason.STOP).build();
    }

    @Override
    public ModelProvider provider() {
      return ModelProvider.OPEN_AI;
    }
  }

  private static final StreamingHandle HANDLE = new StreamingHandle() {
    @Override
    public void cancel() {}

    @Override
    public boolean isCancelled() {
      return false;
    }
  };

  /** A streaming double that answers on its own thread, like HTTP-based models. */
  static final class FakeStreamingModel implements StreamingChatModel {
    private final boolean fail;

    FakeStreamingModel(boolean fail) {
      this.fail = fail;
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
      Thread t = new Thread(() -> {
        handler.onPartialResponse(new PartialResponse("Hel"), new PartialResponseContext(HANDLE));
        handler.onPartialResponse("lo!");
        if (fail) {
          handler.onError(new IllegalStateException("stream broke"));
          return;
        }
        handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from("Hello!"))
            .modelName("claude-x").tokenUsage(new TokenUsage(21, 2)).finishReason(FinishReason.STOP).build());
      }, "fake-model-io");
      t.start();
    }

    @Override
    public ModelProvider provider() {
      return ModelProvider.ANTHROPIC;
    }
  }

  @Test
  void aWrappedChatModelEmitsStartAndEndNestedUnderTheCurrentRun() {
    ChatModel model = LangChain4jTracing.traced(new FakeOpenAiChatModel());
    List<StreamEvent> events = Collections.synchronizedList(new ArrayList<>());
    RunnableLambda<String, String> app = RunnableLambda.of("app", q -> model.chat(ChatRequest.builder()
        .messages(UserMessage.from(q)).modelName("gpt-4o-mini").temperature(0.0).maxOutputTokens(50).build())
        .aiMessage().text());

    String answer = app.invoke("Say hello", RunConfig.builder().listener(events::add).build());

    assertThat(answer).isEqualTo("Hello!");
    assertThat(events).extracting(StreamEvent::event).containsExactly(
        "on_chain_start", "on_chat_model_start", "on_chat_model_end", "on_chain_end");
    StreamEvent start = events.get(1);
    StreamEvent end = events.get(2);
    assertThat(start.name()).isEqualTo("FakeOpenAiChatModel");
    assertThat(start.parentIds()).containsExactly(events.get(0).runId());
    assertThat(start.metadata()).containsEntry("ls_provider", "openai").containsEntry("ls_model_name", "gpt-4o-mini")
        .containsEntry("ls_model_type", "chat").containsEntry("ls_temperature", 0.0).containsEntry("ls_max_tokens", 50);
    AIMessage out = (AIMessage) ((Map<?, ?>) end.data()).get("output");
    assertThat(out.text()).isEqualTo("Hello!");
    assertThat(out.id()).isEqualTo("chatcmpl-1");
    assertThat(out.usageMetadata()).isEqualTo(new UsageMetadata(12, 3, 15));
    assertThat(out.responseMetadata()).containsEntry("model_name", "gpt-4o-mini-2024").containsEntry("finish_reason", "stop");
    assertThat(end.metadata()).containsEntry("ls_provider", "openai");
  }

  @Test
  void aWrappedStreamingModelEmitsOneStreamEventPerPartialResponse() throws Exception {
    StreamingChatModel model = LangChain4jTracing.traced(new FakeStreamingModel(false));
    List<StreamEvent> events = Collections.synchronizedList(new ArrayList<>());
    List<String> seenByCaller = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    RunnableLambda<String, Void> app = RunnableLambda.of("app", q -> {
      model.chat(q, new StreamingChatResponseHandler() {
        @Override
        public void onPartialResponse(String partial) {
          seenByCaller.add(partial);
        }

        @Override
        public void onCompleteResponse(ChatResponse r) {
          done.complete(r);
        }

        @Override
        public void onError(Throwable error) {
          done.completeExceptionally(error);
        }
      });
      return null;
    });

    app.invoke("Say hello", RunConfig.builder().listener(events::add).build());
    done.get(30, TimeUnit.SECONDS);

    assertThat(seenByCaller).containsExactly("Hel", "lo!");
    List<StreamEvent> model1 = events.stream().filter(e -> e.event().startsWith("on_chat_model")).collect(Collectors.toList());
    assertThat(model1).extracting(StreamEvent::event).containsExactly(
        "on_chat_model_start", "on_chat_model_stream", "on_chat_model_stream", "on_chat_model_end");
    String runId = model1.get(0).runId();
    assertThat(model1.get(0).parentIds()).hasSize(1);
    assertThat(model1.get(0).metadata()).containsEntry("ls_provider", "anthropic");
    AIMessageChunk c = (AIMessageChunk) ((Map<?, ?>) model1.get(1).data()).get("chunk");
    assertThat(c.content()).isEqualTo("Hel");
    assertThat(c.id()).isEqualTo("lc_run--" + runId);
    // a streamed call ends, as in LangChain, with the chunks' sum under their one id
    AIMessageChunk out = (AIMessageChunk) ((Map<?, ?>) model1.get(3).data()).get("output");
    assertThat(out.text()).isEqualTo("Hello!");
    assertThat(out.id()).isEqualTo("lc_run--" + runId);
    assertThat(out.usageMetadata()).isEqualTo(new UsageMetadata(21, 2, 23));
  }

  @Test
  void aStreamingErrorEndsTheRunWithAnErrorAndReachesTheCaller() throws Exception {
    StreamingChatModel model = LangChain4jTracing.traced(new FakeStreamingModel(true));
    List<StreamEvent> events = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Throwable> failed = new CompletableFuture<>();
    RunnableLambda<String, Void> app = RunnableLambda.of("app", q -> {
      model.chat(q, new StreamingChatResponseHandler() {
        @Override
        public void onCompleteResponse(ChatResponse r) {
          failed.complete(null);
        }

        @Override
        public void onError(Throwable error) {
          failed.complete(error);
        }
      });
      return null;
    });
    app.invoke("x", RunConfig.builder().listener(events::add).build());
    assertThat(failed.get(30, TimeUnit.SECONDS)).hasMessage("stream broke");
    assertThat(events).extracting(StreamEvent::event).containsSubsequence("on_chat_model_start", "on_chat_model_stream", "on_chat_model_error")
        .doesNotContain("on_chat_model_end");
  }

  @Test
  void usageNotReportedIsAbsentNotZero() {
    ChatModel bare = new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        return ChatResponse.builder().aiMessage(AiMessage.from("ok")).build();
      }
    };
    List<StreamEvent> events = Collections.synchronizedList(new ArrayList<>());
    RunnableLambda<String, String> app = RunnableLambda.of("app", q -> LangChain4jTracing.traced(bare).chat(q));
    app.invoke("x", RunConfig.builder().listener(events::add).build());
    AIMessage out = (AIMessage) ((Map<?, ?>) events.get(2).data()).get("output");
    assertThat(out.usageMetadata()).isNull();
    assertThat(out.id()).startsWith("lc_run--");
  }

  private static void assertEveryInterfaceMethodIsImplemented(Class<?> api, Class<?> wrapper) {
    for (Method m : api.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      assertThat(Arrays.stream(wrapper.getDeclaredMethods())
          .anyMatch(w -> w.getName().equals(m.getName()) && Arrays.equals(w.getParameterTypes(), m.getParameterTypes())))
          .as("%s overrides %s%s", wrapper.getSimpleName(), m.getName(), Arrays.toString(m.getParameterTypes()))
          .isTrue();
    }
  }

  @Test
  void theWrappersForwardEveryMethodOfTheLangChain4jInterfaces() {
    assertEveryInterfaceMethodIsImplemented(ChatModel.class, TracedChatModel.class);
    assertEveryInterfaceMethodIsImplemented(StreamingChatModel.class, TracedStreamingChatModel.class);
    assertEveryInterfaceMethodIsImplemented(dev.langchain4j.service.tool.ToolProvider.class, TracedToolProvider.class);
  }

  /** Every way LangChain4j's builder takes tools is decorated, so no tool escapes its run. */
  @Test
  void theTracedBuilderOverridesEveryMethodThatTakesTools() {
    for (Method m : dev.langchain4j.service.AiServices.class.getMethods()) {
      if (!Modifier.isStatic(m.getModifiers()) && (m.getName().equals("tools") || m.getName().equals("toolProvider")
          || m.getName().equals("toolProviders"))) {
        assertThat(Arrays.stream(TracedAiServices.class.getDeclaredMethods())
            .anyMatch(w -> w.getName().equals(m.getName()) && Arrays.equals(w.getParameterTypes(), m.getParameterTypes())))
            .as("TracedAiServices overrides %s%s", m.getName(), Arrays.toString(m.getParameterTypes()))
            .isTrue();
      }
    }
  }
}
