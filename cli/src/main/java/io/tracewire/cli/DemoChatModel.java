package io.tracewire.cli;

import io.tracewire.core.model.BaseChatModel;
import io.tracewire.core.model.ChatRequest;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ChunkPosition;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.UsageMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.CancellationException;

/**
 * The demo's offline model: answers with a fixed song, chunked like a real tokenizer (sub-word
 * pieces, leading spaces, an empty first chunk carrying input usage, as Anthropic streams) and
 * paced like a real model. Deterministic: the same chunks every time; only pacing uses a seeded
 * jitter.
 */
final class DemoChatModel extends BaseChatModel {
  static final String MODEL = "tracewire-demo-1";
  static final String SONG = "Here is a 1 verse song about goldfish on the moon:\n\n"
      + "Little orange swimmers in a bowl of silver light,\n"
      + "Drifting past the craters in the quiet lunar night,\n"
      + "They blow their tiny bubbles where no water ever flowed,\n"
      + "Goldfish on the moon, finding home so far from home.";

  private final Duration meanDelay;

  DemoChatModel(Duration meanDelay) {
    super(null, List.of(), Map.of());
    this.meanDelay = meanDelay;
  }

  @Override
  protected String lsProvider() {
    return "tracewire";
  }

  @Override
  protected String modelName() {
    return MODEL;
  }

  @Override
  protected Integer maxTokens() {
    return 1024;
  }

  @Override
  protected boolean supportsStreaming() {
    return true;
  }

  /** Splits text into token-like pieces: a word with its leading space, long words in two. */
  static List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int j = i;
      while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
        j++;
      }
      while (j < text.length() && !Character.isWhitespace(text.charAt(j))) {
        j++;
      }
      String piece = text.substring(i, j);
      if (piece.strip().length() > 6) {
        int cut = piece.length() - piece.strip().length() + 3;
        out.add(piece.substring(0, cut));
        out.add(piece.substring(cut));
      } else {
        out.add(piece);
      }
      i = j;
    }
    return out;
  }

  private static int inputTokens(List<BaseMessage> messages) {
    int n = 0;
    for (BaseMessage m : messages) {
      n += tokenize(m.text()).size();
    }
    return n + 8;
  }

  @Override
  protected AIMessage generate(List<BaseMessage> messages, ChatRequest request) {
    int in = inputTokens(messages);
    int out = tokenize(SONG).size();
    return new AIMessage(SONG, null, null, null, Map.of("model_name", MODEL, "stop_reason", "end_turn"), null,
        new UsageMetadata(in, out, in + out, new InputTokenDetails(0L, 0L, null), null));
  }

  @Override
  protected CloseableIterator<AIMessageChunk> streamChunks(List<BaseMessage> messages, ChatRequest request) {
    List<String> tokens = tokenize(SONG);
    int in = inputTokens(messages);
    Random jitter = new Random(42);
    return new CloseableIterator<>() {
      private int i = -1;
      private boolean closed;

      @Override
      public boolean hasNext() {
        return !closed && i <= tokens.size();
      }

      @Override
      public AIMessageChunk next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        pause(i < 0 ? meanDelay.multipliedBy(4) : meanDelay.multipliedBy(50 + jitter.nextInt(100)).dividedBy(100));
        AIMessageChunk c;
        if (i < 0) {
          c = AIMessageChunk.builder().content("").usage(new UsageMetadata(in, 1, in + 1, new InputTokenDetails(0L, 0L, null), null))
              .responseMetadata(Map.of("model_name", MODEL)).build();
        } else if (i < tokens.size()) {
          c = new AIMessageChunk(tokens.get(i));
        } else {
          c = AIMessageChunk.builder().content("").usage(new UsageMetadata(0, tokens.size() - 1, tokens.size() - 1))
              .responseMetadata(Map.of("stop_reason", "end_turn")).chunkPosition(ChunkPosition.LAST).build();
        }
        i++;
        return c;
      }

      @Override
      public void close() {
        closed = true;
      }
    };
  }

  private static void pause(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted");
    }
  }
}
