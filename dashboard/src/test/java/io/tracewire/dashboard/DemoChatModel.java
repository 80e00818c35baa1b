package io.tracewire.dashboard;

import io.tracewire.core.model.BaseChatModel;
import io.tracewire.core.model.ChatRequest;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.UsageMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A fake chat model shaped like Anthropic's stream: a first empty chunk with input usage, word
 * pieces paced by a delay, and a last chunk with output usage.
 */
final class DemoChatModel extends BaseChatModel {
  private final String text;
  private final Duration delay;

  DemoChatModel(String text, Duration delay) {
    super("ChatAnthropic", List.of(), java.util.Map.of());
    this.text = text;
    this.delay = delay;
  }

  private List<String> pieces() {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == ' ' && cur.length() > 0) {
        out.add(cur.toString());
        cur.setLength(0);
      }
      cur.append(c);
      if (cur.length() >= 6 && c != ' ') {
        out.add(cur.toString());
        cur.setLength(0);
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  @Override
  protected AIMessage generate(List<BaseMessage> messages, ChatRequest request) {
    int n = pieces().size();
    return new AIMessage(text, null, null, null, null, null, usage(n));
  }

  private static UsageMetadata usage(int out) {
    return new UsageMetadata(21, out, 21 + out, new InputTokenDetails(0L, 0L, null), null);
  }

  @Override
  protected boolean supportsStreaming() {
    return true;
  }

  @Override
  protected CloseableIterator<AIMessageChunk> streamChunks(List<BaseMessage> messages, ChatRequest request) {
    List<String> pieces = pieces();
    Iterator<AIMessageChunk> it = new Iterator<>() {
      private int i = -1;

      @Override
      public boolean hasNext() {
        return i <= pieces.size();
      }

      @Override
      public AIMessageChunk next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int k = i++;
        if (k == -1) {
          return AIMessageChunk.builder().content("")
              .usage(new UsageMetadata(21, 2, 23, new InputTokenDetails(0L, 0L, null), null)).build();
        }
        sleep(k == 0 ? delay.multipliedBy(4) : delay.multipliedBy(k % 9 == 8 ? 3 : 1));
        if (k == pieces.size()) {
          return AIMessageChunk.builder().content("").usage(new UsageMetadata(0, pieces.size() - 2, pieces.size() - 2))
              .responseMetadata("stop_reason", "end_turn").build();
        }
        return AIMessageChunk.builder().content(pieces.get(k)).build();
      }
    };
    return CloseableIterator.of(it);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  protected String lsProvider() {
    return "anthropic";
  }

  @Override
  protected String modelName() {
    return "claude-3-haiku-20240307";
  }

  @Override
  protected Integer maxTokens() {
    return 1024;
  }
}
