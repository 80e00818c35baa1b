package io.tracewire.adapters.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.memory.ChatMemory;
import io.tracewire.core.event.CustomEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A LangChain4j chat memory whose reads and writes during an AI Service invocation are custom
 * events of that invocation's chain run: {@value #READ} with {@code {"memory_id", "messages"}}
 * on {@link #messages()}, {@value #WRITE} with {@code {"memory_id", "message"}} on
 * {@link #add(ChatMessage)}, {@value #SET} with {@code {"memory_id", "messages"}} on
 * {@link #set(Iterable)} (the delegate's own replacement, kept atomic), {@value #CLEAR} with
 * {@code {"memory_id"}} on {@link #clear()} (messages in Tracewire's message types).
 *
 * <p>The invocation is the latest one of the same AI Service still open on the memory id this
 * memory was made for (the key its service's memory provider was asked for; that key is the
 * {@code memory_id}), not on the delegate's own {@code id()}: LangChain4j's usual
 * {@code memoryId -> MessageWindowChatMemory.withMaxMessages(n)} gives every user's memory the
 * id {@code "default"}. Outside invocations nothing is emitted. Thread-safe when the delegate is;
 * the delegate's results and exceptions are unchanged.
 */
final class TracedChatMemory implements ChatMemory {
  static final String READ = "chat_memory_read";
  static final String WRITE = "chat_memory_write";
  static final String CLEAR = "chat_memory_clear";
  static final String SET = "chat_memory_set";

  private final ChatMemory delegate;
  private final AiServiceRuns.MemoryKey memory;
  private final String memoryId;

  /** A memory not yet given to an AI Service builder (which re-keys it): it emits nothing until then. */
  TracedChatMemory(ChatMemory delegate) {
    this(delegate, null, delegate.id());
  }

  /** {@code delegate} as the memory of {@code memoryId} in {@code service}. */
  TracedChatMemory(ChatMemory delegate, AiServiceRuns.Service service, Object memoryId) {
    this.delegate = delegate;
    this.memory = new AiServiceRuns.MemoryKey(service, memoryId);
    this.memoryId = String.valueOf(memoryId);
  }

  /** The wrapped memory. */
  ChatMemory delegate() {
    return delegate;
  }

  @Override
  public Object id() {
    return delegate.id();
  }

  @Override
  public void add(ChatMessage message) {
    delegate.add(message);
    emit(WRITE, "message", Lc4jMessages.message(message));
  }

  @Override
  public List<ChatMessage> messages() {
    List<ChatMessage> m = delegate.messages();
    emit(READ, "messages", Lc4jMessages.messages(m));
    return m;
  }

  @Override
  public void set(Iterable<ChatMessage> messages) {
    delegate.set(messages);
    List<ChatMessage> all = new java.util.ArrayList<>();
    messages.forEach(all::add);
    emit(SET, "messages", Lc4jMessages.messages(all));
  }

  @Override
  public void clear() {
    delegate.clear();
    emit(CLEAR, null, null);
  }

  private void emit(String name, String key, Object value) {
    AiServiceRuns.Invocation inv = AiServiceRuns.ofMemory(memory);
    if (inv == null) {
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("memory_id", memoryId);
    if (key != null) {
      data.put(key, value);
    }
    try {
      CustomEvent.dispatch(name, data, inv.childConfig);
    } catch (RuntimeException e) {
      // the invocation ended meanwhile; memory traffic is never failed by tracing
    }
  }

  @Override
  public String toString() {
    return "Traced(" + delegate + ")";
  }
}
