package io.tracewire.test;

import io.tracewire.core.model.BaseChatModel;
import io.tracewire.core.model.ChatRequest;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat model that plays {@link ChatScript}s: call {@code n} plays the {@code n}-th script.
 * Streams natively (so {@code stream}, {@code streamEvents} and token-streaming listeners see
 * each scripted chunk); {@code invoke} without a token-streaming listener plays the whole script
 * and returns the merged message. It records what it was called with.
 *
 * <p>Thread-safe: concurrent calls each take the next script. Pauses and latch waits block the
 * calling thread; an interrupt during one ends the stream with a {@link CancellationException}.
 * Closing a stream early stops it before the next step and is counted
 * ({@link #closedEarlyCount()}).
 */
public final class ScriptedChatModel extends BaseChatModel {
  /** The default {@code ls_model_name}, {@value}. */
  public static final String DEFAULT_MODEL_NAME = "scripted";

  /** Sleeps for pauses; replaced in the kit's own tests to check pauses without timing them. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final List<ChatScript> scripts;
  private final String modelName;
  private final Sleeper sleeper;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger closedEarly = new AtomicInteger();
  private final List<List<BaseMessage>> calls = new ArrayList<>();

  private ScriptedChatModel(Builder b) {
    super(b.name, b.tags, b.metadata);
    this.scripts = List.copyOf(b.scripts);
    this.modelName = b.modelName;
    this.sleeper = b.sleeper;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A model answering each call with the next of {@code responses}, each streamed as one chunk per whitespace-separated piece. */
  public static ScriptedChatModel replying(String... responses) {
    Builder b = builder();
    for (String r : responses) {
      List<String> pieces = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < r.length(); i++) {
        if (r.charAt(i) == ' ' && i > start) {
          pieces.add(r.substring(start, i));
          start = i;
        }
      }
      pieces.add(r.substring(start));
      b.respond(ChatScript.of(pieces.toArray(String[]::new)));
    }
    return b.build();
  }

  /** The messages of each call so far, in call order. A snapshot. */
  public List<List<BaseMessage>> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** How many streams were closed before their script finished. */
  public int closedEarlyCount() {
    return closedEarly.get();
  }

  @Override
  protected String lsProvider() {
    return "scripted";
  }

  @Override
  protected String modelName() {
    return modelName;
  }

  @Override
  protected boolean supportsStreaming() {
    return true;
  }

  private ChatScript take(List<BaseMessage> messages) {
    synchronized (calls) {
      calls.add(List.copyOf(messages));
    }
    int n = next.getAndIncrement();
    if (n >= scripts.size()) {
      throw new NoSuchElementException("ScriptedChatModel '" + name() + "' has " + scripts.size()
          + " scripts but was called " + (n + 1) + " times");
    }
    return scripts.get(n);
  }

  @Override
  protected AIMessage generate(List<BaseMessage> messages, ChatRequest request) {
    AIMessageChunk merged = null;
    try (Player p = new Player(take(messages))) {
      while (p.hasNext()) {
        AIMessageChunk c = p.next();
        merged = merged == null ? c : merged.add(c);
      }
    }
    return merged.toMessage();
  }

  @Override
  protected CloseableIterator<AIMessageChunk> streamChunks(List<BaseMessage> messages, ChatRequest request) {
    return new Player(take(messages));
  }

  /** Plays one script; not thread-safe (one consumer), close may come from another thread. */
  private final class Player implements CloseableIterator<AIMessageChunk> {
    private final List<ChatScript.Step> steps;
    private int at;
    private AIMessageChunk pending;
    private volatile boolean closed;

    Player(ChatScript script) {
      this.steps = script.steps();
    }

    @Override
    public boolean hasNext() {
      while (pending == null && !closed && at < steps.size()) {
        ChatScript.Step s = steps.get(at++);
        if (s instanceof ChatScript.Chunk c) {
          pending = c.chunk();
        } else if (s instanceof ChatScript.Pause p) {
          block(() -> sleeper.sleep(p.duration()));
        } else if (s instanceof ChatScript.Await a) {
          block(a.latch()::await);
        } else if (s instanceof ChatScript.Fail f) {
          at = steps.size();
          throw f.error();
        }
      }
      return pending != null;
    }

    @Override
    public AIMessageChunk next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      AIMessageChunk c = pending;
      pending = null;
      return c;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        if (at < steps.size() || pending != null) {
          closedEarly.incrementAndGet();
        }
      }
    }
  }

  private interface Blocking {
    void run() throws InterruptedException;
  }

  private static void block(Blocking b) {
    try {
      b.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      CancellationException c = new CancellationException("interrupted while playing the script");
      c.initCause(e);
      throw c;
    }
  }

  /** Builder. Not thread-safe. Setters validate at once. */
  public static final class Builder {
    private String name;
    private List<String> tags = List.of();
    private Map<String, Object> metadata = Map.of();
    private String modelName = DEFAULT_MODEL_NAME;
    private final List<ChatScript> scripts = new ArrayList<>();
    private Sleeper sleeper = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);

    private Builder() {}

    /** The run name (default {@code ScriptedChatModel}). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The model's own tags (on its runs only, as LangChain's model tags). */
    public Builder tags(String... tags) {
      this.tags = List.of(tags);
      return this;
    }

    /** The model's own metadata (on its runs only). */
    public Builder metadata(Map<String, Object> metadata) {
      this.metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
      return this;
    }

    /** The {@code ls_model_name} (default {@value #DEFAULT_MODEL_NAME}). */
    public Builder modelName(String modelName) {
      this.modelName = Objects.requireNonNull(modelName, "modelName");
      return this;
    }

    /** Adds the script of the next call. */
    public Builder respond(ChatScript script) {
      scripts.add(Objects.requireNonNull(script, "script"));
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    public ScriptedChatModel build() {
      if (scripts.isEmpty()) {
        throw new IllegalStateException("add at least one script with respond(...)");
      }
      return new ScriptedChatModel(this);
    }
  }
}
