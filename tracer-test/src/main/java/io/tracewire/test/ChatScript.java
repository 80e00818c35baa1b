package io.tracewire.test;

import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.ToolCallChunk;
import io.tracewire.core.message.UsageMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * What a {@link ScriptedChatModel} does for one call: a list of steps played in order while the
 * model streams (chunks, pauses, waits on a latch, a failure). Immutable and thread-safe; build
 * with {@link #builder()} or {@link #of(String...)}.
 */
public final class ChatScript {
  /** One step of a script. */
  sealed interface Step permits Chunk, Pause, Await, Fail {}

  record Chunk(AIMessageChunk chunk) implements Step {}

  record Pause(Duration duration) implements Step {}

  record Await(CountDownLatch latch) implements Step {}

  record Fail(RuntimeException error) implements Step {}

  private final List<Step> steps;

  private ChatScript(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  /** A script streaming these text chunks, in order. */
  public static ChatScript of(String... chunks) {
    Builder b = builder();
    for (String c : chunks) {
      b.text(c);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  List<Step> steps() {
    return steps;
  }

  /** Builder. Not thread-safe. Setters validate at once. */
  public static final class Builder {
    private final List<Step> steps = new ArrayList<>();
    private Duration betweenChunks = Duration.ZERO;

    private Builder() {}

    /** Streams a text chunk. */
    public Builder text(String text) {
      return chunk(new AIMessageChunk(Objects.requireNonNull(text, "text")));
    }

    /** Streams this chunk as is (set an id, response metadata, a chunk position...). */
    public Builder chunk(AIMessageChunk chunk) {
      steps.add(new Chunk(Objects.requireNonNull(chunk, "chunk")));
      return this;
    }

    /**
     * Streams a chunk with empty content and one tool-call piece; pieces with the same
     * {@code index} merge (name and args concatenate), as providers stream them.
     *
     * @param name the tool name, or {@code null} on continuation pieces
     * @param args a piece of the JSON arguments, or {@code null}
     * @param id the tool call id, or {@code null} on continuation pieces
     */
    public Builder toolCallChunk(String name, String args, String id, int index) {
      return chunk(AIMessageChunk.builder().content("")
          .toolCallChunks(List.of(new ToolCallChunk(name, args, id, index))).build());
    }

    /** Streams a chunk with empty content carrying token usage (as providers send usage last). */
    public Builder usage(long inputTokens, long outputTokens) {
      if (inputTokens < 0 || outputTokens < 0) {
        throw new IllegalArgumentException("token counts must be >= 0, got " + inputTokens + ", " + outputTokens);
      }
      return chunk(AIMessageChunk.builder().content("")
          .usage(new UsageMetadata(inputTokens, outputTokens, inputTokens + outputTokens)).build());
    }

    /** Waits this long before the next step (an interrupt cancels the stream). */
    public Builder pause(Duration duration) {
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative()) {
        throw new IllegalArgumentException("duration must not be negative, got " + duration);
      }
      steps.add(new Pause(duration));
      return this;
    }

    /**
     * Blocks the stream until {@code latch} opens: lets a test act (cancel, inspect) at a
     * known point of a stream without sleeping. An interrupt cancels the stream.
     */
    public Builder awaitLatch(CountDownLatch latch) {
      steps.add(new Await(Objects.requireNonNull(latch, "latch")));
      return this;
    }

    /** Throws {@code error} at this point of the stream (after the chunks before it were delivered). */
    public Builder failWith(RuntimeException error) {
      steps.add(new Fail(Objects.requireNonNull(error, "error")));
      return this;
    }

    /**
     * Waits {@code delay} before every chunk but the first, in addition to explicit pauses, as a
     * model's inter-token latency (default none).
     */
    public Builder pauseBetweenChunks(Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative, got " + delay);
      }
      this.betweenChunks = delay;
      return this;
    }

    public ChatScript build() {
      if (steps.stream().noneMatch(s -> s instanceof Chunk || s instanceof Fail)) {
        throw new IllegalStateException("a script needs at least one chunk or a failure");
      }
      if (betweenChunks.isZero()) {
        return new ChatScript(steps);
      }
      List<Step> paced = new ArrayList<>();
      boolean first = true;
      for (Step s : steps) {
        if (s instanceof Chunk) {
          if (!first) {
            paced.add(new Pause(betweenChunks));
          }
          first = false;
        }
        paced.add(s);
      }
      return new ChatScript(paced);
    }
  }
}
