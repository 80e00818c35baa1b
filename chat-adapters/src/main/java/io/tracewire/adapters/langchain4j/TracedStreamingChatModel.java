package io.tracewire.adapters.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import io.tracewire.core.RunConfig;

/** A {@link StreamingChatModel} whose calls are traced; see {@link LangChain4jTracing#traced(StreamingChatModel)}. */
final class TracedStreamingChatModel implements StreamingChatModel {
  private final StreamingChatModel delegate;
  private final BridgeRun run;
  private final Supplier<RunConfig> parent;

  TracedStreamingChatModel(StreamingChatModel delegate) {
    this(delegate, () -> null);
  }

  /** With the parent config of each call ({@code null} from the supplier: the thread's context). */
  TracedStreamingChatModel(StreamingChatModel delegate, Supplier<RunConfig> parent) {
    this.delegate = delegate;
    this.parent = parent;
    this.run = new BridgeRun(null, delegate, delegate.getClass());
  }

  @Override
  public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
    run.stream(request, null, parent.get(), handler);
  }

  @Override
  public void chat(ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler) {
    run.stream(request, options, parent.get(), handler);
  }

  /** The provider SPI; forwarded untraced (callers use {@code chat}). */
  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    delegate.doChat(request, handler);
  }

  @Override
  public void chat(String userMessage, StreamingChatResponseHandler handler) {
    chat(ChatRequest.builder().messages(UserMessage.from(userMessage)).build(), handler);
  }

  @Override
  public void chat(List<ChatMessage> messages, StreamingChatResponseHandler handler) {
    chat(ChatRequest.builder().messages(messages).build(), handler);
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
  StreamingChatModel delegate() {
    return delegate;
  }

  @Override
  public String toString() {
    return "Traced(" + delegate.getClass().getSimpleName() + ")";
  }
}
