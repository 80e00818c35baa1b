package io.tracewire.adapters.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.RunHandle;
import io.tracewire.core.event.RunType;
import io.tracewire.core.runnable.Runnable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A LangChain4j model call as a {@code chat_model} run: start with {@code ls_*} metadata, one
 * stream event per partial response or partial tool call, end with the response (usage, model
 * name, finish reason in LangChain's vocabulary) or error; see {@link TracingHandler} for the
 * streamed shape. Nested under the caller's current run. Thread-safe.
 */
final class BridgeRun extends Runnable<ChatRequest, ChatResponse> {
  private final ChatModel sync;
  private final StreamingChatModel streaming;

  BridgeRun(ChatModel sync, StreamingChatModel streaming, Class<?> modelClass) {
    super(modelClass.getSimpleName());
    this.sync = sync;
    this.streaming = streaming;
  }

  @Override
  public ChatResponse invoke(ChatRequest request, RunConfig config) {
    return call(request, null, config);
  }

  ChatResponse call(ChatRequest request, ChatRequestOptions options, RunConfig config) {
    if (sync == null) {
      CompletableFuture<ChatResponse> f = new CompletableFuture<>();
      stream(request, options, config, false, new StreamingChatResponseHandler() {
        @Override
        public void onCompleteResponse(ChatResponse response) {
          f.complete(response);
        }

        @Override
        public void onError(Throwable error) {
          f.completeExceptionally(error);
        }
      });
      try {
        return f.join();
      } catch (CompletionException e) {
        Throwable c = e.getCause();
        throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
      }
    }
    RunHandle h = begin(request, config, sync.provider(), sync.defaultRequestParameters());
    ChatResponse r;
    try {
      r = options == null ? sync.chat(request) : sync.chat(request, options);
    } catch (RuntimeException | Error t) {
      h.error(t);
      throw t;
    }
    h.end(Lc4jMessages.output(r, "lc_run--" + h.runId()));
    return r;
  }

  void stream(ChatRequest request, ChatRequestOptions options, RunConfig config, StreamingChatResponseHandler user) {
    stream(request, options, config, true, user);
  }

  /** {@code streamed}: the caller streams (end output: the chunks' sum), else it waits for the message. */
  private void stream(ChatRequest request, ChatRequestOptions options, RunConfig config, boolean streamed,
      StreamingChatResponseHandler user) {
    RunHandle h = begin(request, config, streaming.provider(), streaming.defaultRequestParameters());
    TracingHandler handler = new TracingHandler(h, user, streamed);
    try {
      if (options == null) {
        streaming.chat(request, handler);
      } else {
        streaming.chat(request, options, handler);
      }
    } catch (RuntimeException | Error t) {
      h.error(t);
      throw t;
    }
  }

  private RunHandle begin(ChatRequest request, RunConfig config, dev.langchain4j.model.ModelProvider provider,
      ChatRequestParameters defaults) {
    Class<?> modelClass = sync != null ? sync.getClass() : streaming.getClass();
    Map<String, Object> ls = Lc4jMessages.lsParams(provider, modelClass, request, defaults);
    RunConfig c;
    if (config == null) {
      c = RunConfig.builder().metadata(ls).build();
    } else {
      Map<String, Object> m = new LinkedHashMap<>(config.metadata());
      m.putAll(ls);
      c = config.toBuilder().metadata(m).build();
    }
    Map<String, Object> input = Map.of("messages", List.of(Lc4jMessages.messages(request.messages())));
    return startRun(c, RunType.CHAT_MODEL, input);
  }
}
