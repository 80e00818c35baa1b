package io.tracewire.adapters.langchain4j;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.ChatMemoryProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.service.AiServiceContext;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.memory.ChatMemoryService;
import dev.langchain4j.service.tool.AiServiceTool;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * LangChain4j's {@link AiServices} builder with tracing built in: use it exactly like
 * {@code AiServices.builder(type)} (obtain it from {@link LangChain4jTracing#aiServices(Class)}).
 * Every builder method is LangChain4j's own; this class only decorates what it is given:
 *
 * <ul>
 *   <li>{@link #chatModel} / {@link #streamingChatModel}: each model call is a {@code chat_model}
 *       run (token events for streaming models), a child of the invocation's run;
 *   <li>{@code tools(...)}: each tool execution is a {@code tool} run (the executors are decorated;
 *       {@code @CompensateFor} actions are not supported on traced tools);
 *   <li>{@code toolProvider(...)} / {@code toolProviders(...)}: the tools each provider supplies
 *       (LangChain4j's {@code McpToolProvider} included) are {@code tool} runs the same way;
 *   <li>{@link #contentRetriever}: each retrieval is a {@code retriever} run with its documents
 *       (a custom {@code retrievalAugmentor} is passed through: wrap its retrievers with
 *       {@link LangChain4jTracing#traced(ContentRetriever)});
 *   <li>{@link #chatMemory} / {@link #chatMemoryProvider}: reads and writes during an invocation
 *       are custom events of its run, keyed by the invocation's memory id (its {@code @MemoryId}
 *       argument), which is also their {@code memory_id};
 *   <li>{@link #build()}: registers the AI Service listeners that open one {@code chain} run per
 *       method call, named {@code Interface#method}, inputs the arguments by parameter name, ended
 *       with the method's result (a streamed answer: its final text) or failed with its error.
 * </ul>
 *
 * <p>The service LangChain4j builds is returned as is: no proxy. Not thread-safe (a builder);
 * the built service is as thread-safe as LangChain4j's. Tracing never changes results or
 * exceptions, and its failures are logged, never thrown into the service.
 *
 * @param <T> the AI Service interface
 */
public final class TracedAiServices<T> extends AiServices<T> {
  private final AiServices<T> inner;
  private final AiServiceRuns.Service service;

  TracedAiServices(AiServiceContext context, AiServices<T> inner) {
    super(context);
    this.inner = inner;
    this.service = new AiServiceRuns.Service(context.aiServiceClass);
  }

  @Override
  public AiServices<T> chatModel(ChatModel chatModel) {
    // a model already wrapped with traced(model) is re-wrapped so its calls find their invocation
    ChatModel m = chatModel instanceof TracedChatModel t ? t.delegate() : chatModel;
    return super.chatModel(m == null ? null : new TracedChatModel(m, AiServiceRuns::takeModelParent));
  }

  @Override
  public AiServices<T> streamingChatModel(StreamingChatModel streamingChatModel) {
    StreamingChatModel m = streamingChatModel instanceof TracedStreamingChatModel t ? t.delegate() : streamingChatModel;
    return super.streamingChatModel(m == null ? null : new TracedStreamingChatModel(m, AiServiceRuns::takeModelParent));
  }

  @Override
  public AiServices<T> tools(Object... objectsWithTools) {
    Objects.requireNonNull(objectsWithTools, "objectsWithTools");
    return tools(Arrays.asList(objectsWithTools));
  }

  @Override
  public AiServices<T> tools(Collection<Object> objectsWithTools) {
    Objects.requireNonNull(objectsWithTools, "objectsWithTools");
    List<AiServiceTool> found = new ArrayList<>();
    for (Object o : objectsWithTools) {
      found.addAll(ToolService.findTools(o));
    }
    return tools(found);
  }

  @Override
  public AiServices<T> tools(List<AiServiceTool> tools) {
    Objects.requireNonNull(tools, "tools");
    List<AiServiceTool> traced = new ArrayList<>(tools.size());
    for (AiServiceTool t : tools) {
      traced.add(TracedToolProvider.traced(t));
    }
    return super.tools(traced);
  }

  /** The provider's tools are traced like the ones given to {@code tools(...)}. */
  @Override
  public AiServices<T> toolProvider(ToolProvider toolProvider) {
    return super.toolProvider(TracedToolProvider.of(toolProvider));
  }

  /** Each provider's tools are traced like the ones given to {@code tools(...)}. */
  @Override
  public AiServices<T> toolProviders(Collection<ToolProvider> toolProviders) {
    return super.toolProviders(traced(toolProviders));
  }

  /** Each provider's tools are traced like the ones given to {@code tools(...)}. */
  @Override
  public AiServices<T> toolProviders(ToolProvider... toolProviders) {
    return toolProviders == null ? super.toolProviders(toolProviders)
        : super.toolProviders(traced(Arrays.asList(toolProviders)).toArray(ToolProvider[]::new));
  }

  private static List<ToolProvider> traced(Collection<ToolProvider> providers) {
    if (providers == null) {
      return null;
    }
    List<ToolProvider> out = new ArrayList<>(providers.size());
    for (ToolProvider p : providers) {
      out.add(TracedToolProvider.of(p));
    }
    return out;
  }

  @Override
  public AiServices<T> tools(Map<ToolSpecification, ToolExecutor> tools) {
    return super.tools(traced(tools));
  }

  @Override
  @Deprecated(since = "1.14.0")
  @SuppressWarnings("deprecation")
  public AiServices<T> tools(Map<ToolSpecification, ToolExecutor> tools, Set<String> immediateReturnToolNames) {
    return super.tools(traced(tools), immediateReturnToolNames);
  }

  private static Map<ToolSpecification, ToolExecutor> traced(Map<ToolSpecification, ToolExecutor> tools) {
    Objects.requireNonNull(tools, "tools");
    Map<ToolSpecification, ToolExecutor> out = new LinkedHashMap<>();
    tools.forEach((spec, ex) -> out.put(spec, ex instanceof TracedToolExecutor ? ex : new TracedToolExecutor(spec.name(), ex)));
    return out;
  }

  @Override
  public AiServices<T> contentRetriever(ContentRetriever contentRetriever) {
    return super.contentRetriever(contentRetriever == null || contentRetriever instanceof TracedContentRetriever
        ? contentRetriever : new TracedContentRetriever(contentRetriever));
  }

  /** The one memory of every invocation: LangChain4j gives those invocations the memory id {@code "default"}. */
  @Override
  public AiServices<T> chatMemory(ChatMemory chatMemory) {
    return super.chatMemory(chatMemory == null ? null : traced(chatMemory, ChatMemoryService.DEFAULT));
  }

  /** Each memory the provider makes is traced under the key it was made for (the invocation's memory id). */
  @Override
  public AiServices<T> chatMemoryProvider(ChatMemoryProvider chatMemoryProvider) {
    if (chatMemoryProvider == null) {
      return super.chatMemoryProvider(null);
    }
    return super.chatMemoryProvider(id -> {
      ChatMemory m = chatMemoryProvider.get(id);
      return m == null ? null : traced(m, id);
    });
  }

  private ChatMemory traced(ChatMemory m, Object memoryId) {
    // a memory traced for another service (or id) is re-keyed for this one
    ChatMemory d = m instanceof TracedChatMemory t ? t.delegate() : m;
    return new TracedChatMemory(d, service, memoryId);
  }

  /** Registers the tracing listeners, then builds the service with LangChain4j's own builder. */
  @Override
  public T build() {
    context.eventListenerRegistrar.register(AiServiceRuns.listeners(service));
    return inner.build();
  }
}
