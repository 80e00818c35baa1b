package io.tracewire.core.fake;

import io.tracewire.core.model.BaseChatModel;
import io.tracewire.core.model.ChatRequest;
import io.tracewire.core.model.DisableStreaming;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ChunkPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * LangChain's {@code GenericFakeChatModel}: each call takes the next message from a source (a
 * string becomes an {@link AIMessage}). Streaming splits string content on whitespace, keeping
 * each whitespace character as its own chunk ({@code "hello world!"} streams {@code "hello"},
 * {@code " "}, {@code "world!"}); every chunk carries the message id; the last content chunk is
 * marked last unless the message has additional kwargs, which then stream as extra chunks
 * (a {@code function_call}'s string values split on {@code ','}).
 *
 * <p>{@link #configurableMessages} makes the source a configurable field: a call whose config has
 * {@code configurable.<id>} (an {@link Iterator} or {@link Iterable}) takes messages from it.
 * An optional per-chunk delay makes the stream look like a real model's.
 */
public final class GenericFakeChatModel extends BaseChatModel {
  private final Iterator<?> messages;
  private final String configurableId;
  private final Duration chunkDelay;
  private final DisableStreaming disableStreaming;

  private GenericFakeChatModel(String name, Iterator<?> messages, String configurableId, Duration chunkDelay,
      DisableStreaming disableStreaming) {
    super(name, List.of(), Map.of());
    this.messages = messages;
    this.configurableId = configurableId;
    this.chunkDelay = chunkDelay;
    this.disableStreaming = disableStreaming;
  }

  /** Takes messages from {@code messages}, in order (an {@link AIMessage} or a {@code String} each). */
  public static GenericFakeChatModel of(Iterator<?> messages) {
    return new GenericFakeChatModel(null, Objects.requireNonNull(messages, "messages"), null, Duration.ZERO,
        DisableStreaming.NEVER);
  }

  /** Cycles through {@code messages} forever. */
  public static GenericFakeChatModel cycling(List<?> messages) {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("messages must not be empty");
    }
    List<?> copy = List.copyOf(messages);
    return of(new Iterator<Object>() {
      private int i;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Object next() {
        Object o = copy.get(i);
        i = (i + 1) % copy.size();
        return o;
      }
    });
  }

  /** A copy whose run name is {@code name}. */
  public GenericFakeChatModel named(String name) {
    return new GenericFakeChatModel(name, messages, configurableId, chunkDelay, disableStreaming);
  }

  /** A copy that reads its message source from {@code configurable.<id>} when a call sets it. */
  public GenericFakeChatModel configurableMessages(String id) {
    return new GenericFakeChatModel(name().equals(defaultName()) ? null : name(), messages, Objects.requireNonNull(id, "id"), chunkDelay,
        disableStreaming);
  }

  /** A copy that waits {@code delay} before each chunk. */
  public GenericFakeChatModel withChunkDelay(Duration delay) {
    return new GenericFakeChatModel(name().equals(defaultName()) ? null : name(), messages, configurableId, Objects.requireNonNull(delay, "delay"),
        disableStreaming);
  }

  /** A copy with LangChain's {@code disable_streaming} set to {@code mode}. */
  public GenericFakeChatModel disableStreaming(DisableStreaming mode) {
    return new GenericFakeChatModel(name().equals(defaultName()) ? null : name(), messages, configurableId, chunkDelay,
        Objects.requireNonNull(mode, "disableStreaming"));
  }

  @Override
  public DisableStreaming disableStreaming() {
    return disableStreaming;
  }

  private AIMessage nextMessage(ChatRequest request) {
    Iterator<?> source = messages;
    if (configurableId != null && request.configurable().containsKey(configurableId)) {
      Object v = request.configurable().get(configurableId);
      if (v instanceof Iterator<?> it) {
        source = it;
      } else if (v instanceof Iterable<?> itb) {
        source = itb.iterator();
      } else {
        throw new IllegalArgumentException("configurable '" + configurableId + "' must be an Iterator or Iterable of messages");
      }
    }
    Object o;
    synchronized (source) {
      if (!source.hasNext()) {
        throw new NoSuchElementException("GenericFakeChatModel has no more messages");
      }
      o = source.next();
    }
    if (o instanceof String s) {
      return new AIMessage(s);
    }
    if (o instanceof AIMessage m) {
      return m;
    }
    throw new IllegalArgumentException("GenericFakeChatModel messages must be AIMessage or String, got " + o);
  }

  @Override
  protected AIMessage generate(List<BaseMessage> input, ChatRequest request) {
    return nextMessage(request);
  }

  @Override
  protected boolean supportsStreaming() {
    return true;
  }

  /** Python's {@code re.split(r"(\s)", s)}: pieces and single whitespace separators, empty pieces kept. */
  static List<String> splitKeepingWhitespace(String s) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        out.add(s.substring(start, i));
        out.add(String.valueOf(s.charAt(i)));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  @Override
  protected CloseableIterator<AIMessageChunk> streamChunks(List<BaseMessage> input, ChatRequest request) {
    AIMessage m = nextMessage(request);
    List<AIMessageChunk> chunks = new ArrayList<>();
    if (!(m.content() instanceof String content)) {
      throw new IllegalArgumentException("GenericFakeChatModel streams only string content");
    }
    if (!content.isEmpty()) {
      List<String> pieces = splitKeepingWhitespace(content);
      for (int i = 0; i < pieces.size(); i++) {
        boolean last = i == pieces.size() - 1 && m.additionalKwargs().isEmpty();
        chunks.add(new AIMessageChunk(pieces.get(i), m.id(), null, null, null, null, null, last ? ChunkPosition.LAST : null));
      }
    }
    for (Map.Entry<String, Object> e : m.additionalKwargs().entrySet()) {
      if (e.getKey().equals("function_call") && e.getValue() instanceof Map<?, ?> fc) {
        for (Map.Entry<?, ?> f : fc.entrySet()) {
          if (f.getValue() instanceof String fs) {
            for (String part : fs.split(",", -1)) {
              chunks.add(kwargsChunk(m.id(), Map.of("function_call", Map.of(String.valueOf(f.getKey()), part))));
            }
          } else {
            chunks.add(kwargsChunk(m.id(), Map.of("function_call", Map.of(String.valueOf(f.getKey()), f.getValue()))));
          }
        }
      } else {
        Map<String, Object> kw = new LinkedHashMap<>();
        kw.put(e.getKey(), e.getValue());
        chunks.add(kwargsChunk(m.id(), kw));
      }
    }
    Iterator<AIMessageChunk> it = chunks.iterator();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public AIMessageChunk next() {
        Pacing.sleep(chunkDelay);
        return it.next();
      }

      @Override
      public void close() {}
    };
  }

  private static AIMessageChunk kwargsChunk(String id, Map<String, Object> kwargs) {
    return new AIMessageChunk("", id, null, kwargs, null, null, null, null);
  }
}
