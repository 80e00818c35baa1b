package io.tracewire.adapters.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import java.util.Objects;

/**
 * Traces existing LangChain4j models without changing the calling code beyond wrapping:
 *
 * <pre>{@code
 * ChatModel model = LangChain4jTracing.traced(OpenAiChatModel.builder()...build());
 * model.chat("Hi");   // on_chat_model_start, on_chat_model_end (usage, ls_* metadata)
 * }</pre>
 *
 * <p>Each {@code chat} call through a wrapper is one {@code chat_model} run nested under the
 * caller's current run ({@link io.tracewire.core.RunConfig#current()}), named after the model
 * class, with {@code ls_provider} (from {@link dev.langchain4j.model.ModelProvider}),
 * {@code ls_model_name}, {@code ls_model_type=chat}, {@code ls_temperature},
 * {@code ls_max_tokens} and {@code ls_stop} from the request or the model's default parameters.
 * A streaming call emits one {@code on_chat_model_stream} per partial response, on the thread
 * the model calls its handler on, before the caller's handler sees it; the end event carries
 * the complete response (text, tool calls, usage when reported, model name, finish reason).
 * Errors end the run with {@code on_chat_model_error} and reach the caller unchanged.
 */
public final class LangChain4jTracing {
  private LangChain4jTracing() {}

  /** A traced view of {@code model}; thread-safe when the model is. */
  public static ChatModel traced(ChatModel model) {
    return new TracedChatModel(Objects.requireNonNull(model, "model"));
  }

  /** A traced view of {@code model}; thread-safe when the model is. */
  public static StreamingChatModel traced(StreamingChatModel model) {
    return new TracedStreamingChatModel(Objects.requireNonNull(model, "model"));
  }
}
