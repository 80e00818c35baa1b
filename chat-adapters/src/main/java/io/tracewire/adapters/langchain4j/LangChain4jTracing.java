package io.tracewire.adapters.langchain4j;

import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.service.AiServiceContext;
import dev.langchain4j.service.AiServices;
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
 *
 * <h2>AI Services</h2>
 * {@link #aiServices(Class)} is {@code AiServices.builder(type)} with tracing: one {@code chain}
 * run per service method call ({@code Assistant#chat}, inputs the arguments), its model calls as
 * {@code chat_model} runs, tool executions as {@code tool} runs (the tools of {@code tools(...)} and
 * of tool providers, LangChain4j's {@code McpToolProvider} included: {@link LangChain4jMcpTracing}
 * carries the context to the MCP server), retrievals as {@code retriever}
 * runs with their documents, chat memory reads and writes as custom events, all in one tree
 * under the caller's current run:
 *
 * <pre>{@code
 * Assistant assistant = LangChain4jTracing.aiServices(Assistant.class)
 *     .streamingChatModel(model).tools(new WeatherTools()).contentRetriever(retriever)
 *     .chatMemory(MessageWindowChatMemory.withMaxMessages(10))
 *     .build();
 * }</pre>
 *
 * The run tree is built from LangChain4j's own hooks (its AI Service listener events, decorated
 * tool executors, content retrievers, chat memories and models), so it holds across the threads
 * LangChain4j uses for streaming and concurrent tools. See {@link TracedAiServices} for details
 * and limits. To trace every {@code AiServices.builder(type)} of an application without changing
 * it (also the ones a framework calls), register {@link TracingAiServicesFactory}. The AI Service methods need {@code dev.langchain4j:langchain4j} on the class path;
 * the model wrappers need only {@code langchain4j-core}.
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

  /**
   * {@code AiServices.builder(type)} with tracing; every LangChain4j builder method is available.
   * Not thread-safe (a builder).
   */
  public static <T> TracedAiServices<T> aiServices(Class<T> type) {
    Objects.requireNonNull(type, "type");
    AiServiceContext context = AiServiceContext.create(type);
    AiServices<T> builder = AiServices.builder(context);
    // with TracingAiServicesFactory registered, LangChain4j's builder already is a traced one
    return builder instanceof TracedAiServices<T> traced ? traced : new TracedAiServices<>(context, builder);
  }

  /**
   * A content retriever whose retrievals are {@code retriever} runs, for retrievers inside a
   * custom {@code RetrievalAugmentor} (the {@link #aiServices} builder wraps the one given to
   * {@code contentRetriever} itself). Thread-safe when the retriever is.
   */
  public static ContentRetriever traced(ContentRetriever retriever) {
    Objects.requireNonNull(retriever, "retriever");
    return retriever instanceof TracedContentRetriever ? retriever : new TracedContentRetriever(retriever);
  }

  /**
   * A chat memory whose reads and writes during an AI Service invocation are custom events of
   * its run ({@code chat_memory_read}, {@code chat_memory_write}, {@code chat_memory_set},
   * {@code chat_memory_clear}),
   * for memories created outside the {@link #aiServices} builder (for example inside a
   * {@code chatMemoryProvider}). The builder keys each memory by the memory id it is used for (the
   * {@code @MemoryId} argument), which becomes the events' {@code memory_id}. Thread-safe when the
   * memory is.
   */
  public static ChatMemory traced(ChatMemory memory) {
    Objects.requireNonNull(memory, "memory");
    return memory instanceof TracedChatMemory ? memory : new TracedChatMemory(memory);
  }
}
