package io.tracewire.adapters.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import io.tracewire.core.RunConfig;

/** A {@link ChatModel} whose calls are traced; see {@link LangChain4jTracing#traced(ChatModel)}. */
final class TracedChatModel implements ChatModel {
  private final ChatModel delegate;
  private final BridgeRun run;
  private final Supplier<RunConfig> parent;

  TracedChatModel(ChatModel delegate) {
    this(delegate, () -> null);
  }

  /** With the parent config of each call ({@code null} from the supplier: the thread's context). */
  TracedChatModel(ChatModel delegate, Supplier<RunConfig> parent) {
    this.delegate = delegate;
    this.parent = parent;
    this.run = new BridgeRun(delegate, null, delegate.getClass());
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return run.call(request, null, parent.get());
  }

  @Override
  public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
    return run.call(request, options, parent.get());
  }

  /** The provider SPI; forwarded untraced (callers use {@code chat}). */
  @Override
  public ChatResponse doChat(ChatRequest request) {
    return delegate.doChat(request);
  }

  @Override
  public String chat(String userMessage) {
    return chat(ChatRequest.builder().messages(UserMessage.from(userMessage)).build()).aiMessage().text();
  }

  @Override
  public ChatResponse chat(ChatMessage... messages) {
    return chat(Arrays.asList(messages));
  }

  @Override
  public ChatResponse chat(List<ChatMessage> messages) {
    return chat(ChatRequest.builder().messages(messages).build());
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return delegate.defaultRequestParameters();
  }

  @Override
  public List<ChatModelListener> listeners() {
    return delegate.listeners();
  }

  @Override
  public ModelProvider provider() {
    return delegate.provider();
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return delegate.supportedCapabilities();
  }

  /** The wrapped model. */
  ChatModel delegate() {
    return delegate;
  }

  @Override
  public String toString() {
    return "Traced(" + delegate.getClass().getSimpleName() + ")";
  }
}
