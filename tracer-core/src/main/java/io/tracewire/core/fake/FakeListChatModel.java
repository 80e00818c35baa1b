package io.tracewire.core.fake;

import io.tracewire.core.model.BaseChatModel;
import io.tracewire.core.model.ChatRequest;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ChunkPosition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * LangChain's {@code FakeListChatModel}: cycles through fixed responses; streams one character
 * per chunk (the last marked last), optionally sleeping before each, and fails with
 * {@link FakeListChatModelError} at a given chunk number.
 */
public final class FakeListChatModel extends BaseChatModel {
  /** The failure {@code errorOnChunkNumber} causes. */
  public static final class FakeListChatModelError extends RuntimeException {
    public FakeListChatModelError() {
      super("FakeListChatModelError");
    }
  }

  private final List<String> responses;
  private final Duration sleep;
  private final Integer errorOnChunkNumber;
  private int i;

  public FakeListChatModel(List<String> responses) {
    this(responses, Duration.ZERO, null);
  }

  public FakeListChatModel(List<String> responses, Duration sleep, Integer errorOnChunkNumber) {
    super(null, List.of(), Map.of());
    if (responses.isEmpty()) {
      throw new IllegalArgumentException("responses must not be empty");
    }
    this.responses = List.copyOf(responses);
    this.sleep = sleep == null ? Duration.ZERO : sleep;
    this.errorOnChunkNumber = errorOnChunkNumber;
  }

  private synchronized String nextResponse() {
    String r = responses.get(i);
    i = i < responses.size() - 1 ? i + 1 : 0;
    return r;
  }

  @Override
  protected AIMessage generate(List<BaseMessage> messages, ChatRequest request) {
    Pacing.sleep(sleep);
    return new AIMessage(nextResponse());
  }

  @Override
  protected boolean supportsStreaming() {
    return true;
  }

  @Override
  protected CloseableIterator<AIMessageChunk> streamChunks(List<BaseMessage> messages, ChatRequest request) {
    String r = nextResponse();
    return new CloseableIterator<>() {
      private int n;

      @Override
      public boolean hasNext() {
        return n < r.length();
      }

      @Override
      public AIMessageChunk next() {
        if (n >= r.length()) {
          throw new NoSuchElementException();
        }
        Pacing.sleep(sleep);
        if (errorOnChunkNumber != null && n == errorOnChunkNumber) {
          throw new FakeListChatModelError();
        }
        String c = r.substring(n, n + 1);
        n++;
        return new AIMessageChunk(c, null, null, null, null, null, null, n == r.length() ? ChunkPosition.LAST : null);
      }

      @Override
      public void close() {
        n = r.length();
      }
    };
  }
}
