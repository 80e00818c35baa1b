package io.tracewire.core.fake;

import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * LangChain's {@code FakeStreamingListLLM}: streaming first invokes (a complete run: start and
 * end events), then yields the response one character at a time, so it emits no stream events
 * of its own. Optional sleep before each character and failure at a chunk number.
 */
public final class FakeStreamingListLLM extends FakeListLLM {
  /** The failure {@code errorOnChunkNumber} causes. */
  public static final class FakeListLLMError extends RuntimeException {
    public FakeListLLMError() {
      super("FakeListLLMError");
    }
  }

  private final Duration sleep;
  private final Integer errorOnChunkNumber;

  public FakeStreamingListLLM(List<String> responses) {
    this(responses, Duration.ZERO, null);
  }

  public FakeStreamingListLLM(List<String> responses, Duration sleep, Integer errorOnChunkNumber) {
    super(responses);
    this.sleep = sleep == null ? Duration.ZERO : sleep;
    this.errorOnChunkNumber = errorOnChunkNumber;
  }

  @Override
  public CloseableIterator<String> stream(Object input, RunConfig config) {
    return new CloseableIterator<>() {
      private String text;
      private int n;

      @Override
      public boolean hasNext() {
        if (text == null) {
          text = invoke(input, config);
        }
        return n < text.length();
      }

      @Override
      public String next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Pacing.sleep(sleep);
        if (errorOnChunkNumber != null && n == errorOnChunkNumber) {
          throw new FakeListLLMError();
        }
        return text.substring(n, ++n);
      }

      @Override
      public void close() {
        n = Integer.MAX_VALUE;
      }
    };
  }
}
