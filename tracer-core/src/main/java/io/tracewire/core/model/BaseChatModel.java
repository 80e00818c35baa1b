package io.tracewire.core.model;

import io.tracewire.core.internal.CurrentRun;
import io.tracewire.core.internal.Runs;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.RunContext;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.RunType;
import io.tracewire.core.internal.Engine;
import io.tracewire.core.util.Frozen;
import io.tracewire.core.internal.LazyIterator;
import io.tracewire.core.internal.Py;
import io.tracewire.core.internal.RunNode;
import io.tracewire.core.prompt.PromptValue;
import io.tracewire.core.runnable.Runnable;

import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ChunkAccumulator;
import io.tracewire.core.message.ChunkPosition;
import io.tracewire.core.message.HumanMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The base of every chat model (a {@code chat_model} run). It owns the event logic once for all
 * providers: {@code ls_*} metadata, the start, stream and end events, message ids
 * ({@code lc_run--<run id>} when the provider assigns none), the synthetic last chunk, chunk
 * aggregation and usage merging, exactly as LangChain's {@code BaseChatModel}.
 *
 * <p>A provider implements {@link #generate} (one complete response) and, if it streams,
 * {@link #supportsStreaming()} and {@link #streamChunks}. Input is a string (one human message),
 * a {@link PromptValue}, one message or a list of messages.
 *
 * <p>When invoked while a listener asks for tokens ({@link RunListener#streamsTokens()}, as
 * {@code streamEvents} does), a streaming model streams internally and emits its chunks as
 * stream events; its output is then the merged chunks as an {@link AIMessage}.
 *
 * <p>Bound arguments ({@code bind(Map.of("stop", ...))}) override the model's settings per call:
 * {@code model}, {@code temperature}, {@code max_tokens}, {@code stop} (a string or a list),
 * {@code tools}, and any other key (passed in {@link ChatRequest#extra()}).
 *
 * <p>{@link #disableStreaming()} turns streaming off always or for calls with tools bound, as
 * LangChain's {@code disable_streaming}; such a call is an invoke whatever the listeners ask for.
 */
public abstract class BaseChatModel extends Runnable<Object, BaseMessage> {
  private final List<String> tags;
  private final Map<String, Object> metadata;

  protected BaseChatModel() {
    this(null, List.of(), Map.of());
  }

  /** A model with an explicit name and its own (non-inherited) tags and metadata. */
  protected BaseChatModel(String name, List<String> tags, Map<String, Object> metadata) {
    super(name);
    this.tags = List.copyOf(tags);
    this.metadata = Frozen.map(metadata);
  }

  // ---------------------------------------------------------------- provider hooks

  /** One complete response. Called on the invoking thread with the run's child config as context. */
  protected abstract AIMessage generate(List<BaseMessage> messages, ChatRequest request);

  /** Whether {@link #streamChunks} streams natively; {@code false} streams the generated message as one chunk. */
  protected boolean supportsStreaming() {
    return false;
  }

  /**
   * The response as chunks. Only called when {@link #supportsStreaming()}; closing the iterator
   * must stop the underlying call at once.
   */
  protected CloseableIterator<AIMessageChunk> streamChunks(List<BaseMessage> messages, ChatRequest request) {
    throw new IllegalStateException(getClass().getName() + " claims streaming support but does not stream");
  }

  /** The {@code ls_provider} value: the class name without a leading or trailing {@code Chat}, lower-cased. */
  protected String lsProvider() {
    String n = getClass().getSimpleName();
    if (n.startsWith("Chat")) {
      n = n.substring(4);
    } else if (n.endsWith("Chat")) {
      n = n.substring(0, n.length() - 4);
    }
    return n.toLowerCase(Locale.ROOT);
  }

  /** The configured model name, or {@code null}. */
  protected String modelName() {
    return null;
  }

  /** The configured temperature, or {@code null}. */
  protected Double temperature() {
    return null;
  }

  /** The configured maximum output tokens, or {@code null}. */
  protected Integer maxTokens() {
    return null;
  }

  /**
   * Whether {@code ls_temperature} is reported as {@code null} when no temperature is set, as
   * LangChain's provider integrations (ChatOpenAI, ChatAnthropic, ChatOllama) do; the default
   * ({@code false}) omits the key, as LangChain's base class does.
   */
  protected boolean reportsUnsetTemperature() {
    return false;
  }

  /** The configured stop sequences, or {@code null}. */
  protected List<String> stop() {
    return null;
  }

  /**
   * When this model does not stream although it could ({@code disable_streaming}, spec §15.1);
   * {@link DisableStreaming#NEVER} by default. Models expose it as a builder or copy option.
   */
  public DisableStreaming disableStreaming() {
    return DisableStreaming.NEVER;
  }

  /** Whether this call streams at all: the model can, and {@link #disableStreaming()} allows it. */
  private boolean canStream(ChatRequest r) {
    return supportsStreaming() && !disableStreaming().disables(r);
  }

  // ---------------------------------------------------------------- runnable

  @Override
  protected String defaultName() {
    return getClass().getSimpleName();
  }

  static List<BaseMessage> toMessages(Object input) {
    if (input instanceof String s) {
      return List.of(new HumanMessage(s));
    }
    if (input instanceof PromptValue p) {
      return p.toMessages();
    }
    if (input instanceof BaseMessage m) {
      return List.of(m);
    }
    if (input instanceof List<?> l) {
      List<BaseMessage> out = new ArrayList<>(l.size());
      for (Object o : l) {
        if (!(o instanceof BaseMessage m)) {
          throw new IllegalArgumentException("chat model input list must hold messages, got " + o);
        }
        out.add(m);
      }
      return out;
    }
    throw new IllegalArgumentException("chat model input must be a String, a PromptValue, a message or a list of messages, got "
        + (input == null ? "null" : input.getClass().getName()));
  }

  @SuppressWarnings("unchecked")
  private ChatRequest request(RunConfig c) {
    Map<String, Object> kw = Runs.kwargs(c) == null ? Map.of() : Runs.kwargs(c);
    String model = kw.get("model") instanceof String s ? s : modelName();
    Double temp = kw.get("temperature") instanceof Number n ? n.doubleValue() : temperature();
    Integer max = kw.get("max_tokens") instanceof Number n ? n.intValue() : maxTokens();
    List<String> stop = stop();
    Object st = kw.get("stop");
    if (st instanceof String s) {
      stop = List.of(s);
    } else if (st instanceof List<?> l) {
      stop = (List<String>) l;
    }
    List<Map<String, Object>> tools = kw.get("tools") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    Map<String, Object> extra = new LinkedHashMap<>(kw);
    for (String k : List.of("model", "temperature", "max_tokens", "stop", "tools")) {
      extra.remove(k);
    }
    return new ChatRequest(model, temp, max, stop, tools, extra, c.configurable());
  }

  private Map<String, Object> lsParams(RunConfig c, ChatRequest r) {
    LinkedHashMap<String, Object> ls = new LinkedHashMap<>();
    ls.put("ls_provider", lsProvider());
    ls.put("ls_model_type", "chat");
    if (r.model() != null) {
      ls.put("ls_model_name", r.model());
    }
    if (r.temperature() != null || reportsUnsetTemperature()) {
      ls.put("ls_temperature", r.temperature());
    }
    if (r.maxTokens() != null) {
      ls.put("ls_max_tokens", r.maxTokens());
    }
    Object st = Runs.kwargs(c) == null ? null : Runs.kwargs(c).get("stop");
    if (st == null && r.stop() != null) {
      st = r.stop();
    }
    if (!Py.falsy(st)) {
      ls.put("ls_stop", st);
    }
    return ls;
  }

  private RunNode startRun(RunConfig c, ChatRequest r, List<BaseMessage> messages) {
    RunNode.Spec spec = Runs.spec(RunType.CHAT_MODEL, name());
    spec.inheritableExtraMetadata = lsParams(c, r);
    spec.localTags = tags;
    spec.localMetadata = metadata;
    spec.selfTapped = true;
    Map<String, Object> in = Frozen.of1("messages", List.of(messages));
    return RunNode.start(c, spec, null, in);
  }

  private static boolean wantsTokens(RunNode node) {
    for (RunListener h : node.handlers) {
      if (h.streamsTokens()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public final BaseMessage invoke(Object input, RunConfig config) {
    RunConfig c = Runs.ensure(config);
    List<BaseMessage> messages = toMessages(input);
    ChatRequest r = request(c);
    RunNode node = startRun(c, r, messages);
    Object in = node.startInput;
    RunConfig child = Runs.child(c, node, null);
    boolean stream = canStream(r)
        && (Boolean.TRUE.equals(r.extra().get("stream")) || (!Boolean.FALSE.equals(r.extra().get("stream")) && wantsTokens(node)));
    AIMessage out;
    if (stream) {
      ChunkAccumulator acc = new ChunkAccumulator();
      AIMessageChunk last = null;
      CurrentRun.Binding pulls = new CurrentRun.Binding(child);
      String chunkId = chunkId(node);
      try (CloseableIterator<AIMessageChunk> chunks = pulls.with(() -> streamChunks(messages, r))) {
        Object pulled;
        while ((pulled = pulls.pull(chunks)) != CurrentRun.Binding.END) {
          AIMessageChunk ch = fill((AIMessageChunk) pulled, chunkId);
          node.emitStream(ch);
          acc.add(ch);
          last = ch;
        }
        if (last == null) {
          throw new IllegalStateException("No generation chunks were returned");
        }
        if (last.chunkPosition() == null) {
          AIMessageChunk syn = synthetic(acc.result(), chunkId);
          node.emitStream(syn);
          acc.add(syn);
        }
      } catch (Throwable t) {
        node.error(t, Frozen.of3("error", t, "output", acc.result(), "input", in));
        throw Engine.unchecked(t);
      }
      out = acc.result().toMessage();
    } else {
      try {
        out = CurrentRun.with(child, () -> generate(messages, r));
      } catch (Throwable t) {
        node.error(t, Frozen.of2("error", t, "input", in));
        throw Engine.unchecked(t);
      }
      if (out.id() == null) {
        out = out.withId("lc_run--" + node.id() + "-0");
      }
    }
    node.endWith(Frozen.of2("output", out, "input", in));
    return out;
  }

  /** The id of the chunks of a run whose provider assigns none (made once per run, not per chunk). */
  private static String chunkId(RunNode node) {
    return "lc_run--" + node.id();
  }

  private static AIMessageChunk fill(AIMessageChunk ch, String chunkId) {
    if (ch == null) {
      throw new IllegalStateException("the model yielded a null chunk");
    }
    return ch.id() == null ? ch.withId(chunkId) : ch;
  }

  private static AIMessageChunk synthetic(AIMessageChunk merged, String chunkId) {
    Object empty = merged.content() instanceof List<?> ? List.of() : "";
    return new AIMessageChunk(empty, chunkId, null, null, null, null, null, ChunkPosition.LAST);
  }

  @Override
  public CloseableIterator<BaseMessage> stream(Object input, RunConfig config) {
    if (!supportsStreaming()) {
      return super.stream(input, config);
    }
    RunConfig c = Runs.ensure(config);
    if (disableStreaming() == DisableStreaming.NEVER) {
      return new LazyIterator<>(() -> new ChatStream(c, input));
    }
    // as LangChain's stream(): a call that must not stream is an invoke yielding its one message
    return new LazyIterator<>(() -> canStream(request(c)) ? new ChatStream(c, input)
        : CloseableIterator.single(invoke(input, c)));
  }

  /** The streaming path ({@code BaseChatModel.astream}). */
  private final class ChatStream implements CloseableIterator<BaseMessage> {
    private final RunNode node;
    private final CurrentRun.Binding pulls;
    private final String chunkId;
    private final Object in;
    private final CloseableIterator<AIMessageChunk> chunks;
    private final ChunkAccumulator merged = new ChunkAccumulator();
    private AIMessageChunk last;
    private AIMessageChunk pending;
    private boolean done;
    private boolean syntheticSent;

    ChatStream(RunConfig c, Object input) {
      List<BaseMessage> messages = toMessages(input);
      ChatRequest r = request(c);
      node = startRun(c, r, messages);
      in = node.startInput;
      pulls = new CurrentRun.Binding(Runs.child(c, node, null));
      chunkId = chunkId(node);
      try {
        chunks = pulls.with(() -> streamChunks(messages, r));
      } catch (Throwable t) {
        done = true;
        node.error(t, Frozen.of2("error", t, "input", in));
        throw Engine.unchecked(t);
      }
    }

    @Override
    public boolean hasNext() {
      if (pending != null) {
        return true;
      }
      if (done) {
        return false;
      }
      try {
        Object pulled = pulls.pull(chunks);
        if (pulled != CurrentRun.Binding.END) {
          AIMessageChunk ch = fill((AIMessageChunk) pulled, chunkId);
          merged.add(ch);
          last = ch;
          node.emitStream(ch);
          pending = ch;
          return true;
        }
        if (last == null) {
          throw new IllegalStateException("No generation chunks were returned");
        }
        if (last.chunkPosition() == null && !syntheticSent) {
          syntheticSent = true;
          AIMessageChunk syn = synthetic(merged.result(), chunkId);
          node.emitStream(syn);
          pending = syn;
          return true;
        }
        done = true;
        chunks.close();
        node.endWith(Frozen.of2("output", merged.result(), "input", in));
        return false;
      } catch (Throwable t) {
        done = true;
        chunks.close();
        node.error(t, Frozen.of3("error", t, "output", merged.result(), "input", in));
        throw Engine.unchecked(t);
      }
    }

    @Override
    public BaseMessage next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      AIMessageChunk p = pending;
      pending = null;
      return p;
    }

    @Override
    public void close() {
      if (!done) {
        done = true;
        node.cancel();
      }
      chunks.close();
    }
  }
}
