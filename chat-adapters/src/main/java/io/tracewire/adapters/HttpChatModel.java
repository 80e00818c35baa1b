package io.tracewire.adapters;

import io.tracewire.adapters.internal.CancelScope;
import io.tracewire.adapters.internal.FrameReader;
import io.tracewire.adapters.internal.Http;
import io.tracewire.adapters.internal.HttpChatStream;
import io.tracewire.adapters.internal.Wire;
import io.tracewire.core.model.BaseChatModel;
import io.tracewire.core.model.DisableStreaming;
import io.tracewire.core.model.ChatRequest;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * What the HTTP chat adapters share: the settings every provider takes (base URL, key, model,
 * temperature, maximum tokens, stop, timeouts, retries, client), the {@code ls_*} values they
 * report, streaming over {@link HttpChatStream} with cancellation, and {@code generate} as the
 * merged stream. A provider adds only its request and its wire decoder.
 *
 * <p>Threading: immutable and thread-safe; each call runs on the calling (consuming) thread.
 * Closing a stream, or cancelling an {@link #invokeAsync} future, cancels its HTTP call at once.
 */
public abstract class HttpChatModel extends BaseChatModel {
  private final String provider;
  private final String baseUrl;
  private final String apiKey;
  private final String model;
  private final Double temperature;
  private final Integer maxTokens;
  private final List<String> stop;
  private final DisableStreaming disableStreaming;
  private final HttpChatStream.Settings settings;

  /**
   * @param apiKey the resolved key, or {@code null} where the provider needs none
   * @param requestIdHeader the response header carrying the provider's request id
   */
  protected HttpChatModel(Builder<?, ?> b, String provider, String apiKey, String requestIdHeader,
      FrameReader.Framing framing) {
    super(null, List.of(), java.util.Map.of());
    this.provider = Objects.requireNonNull(provider, "provider");
    this.baseUrl = Http.trimBase(b.baseUrl);
    this.apiKey = apiKey;
    this.model = b.model;
    this.temperature = b.temperature;
    this.maxTokens = b.maxTokens;
    this.stop = b.stop;
    this.disableStreaming = b.disableStreaming;
    OkHttpClient client = Http.client(b.httpClient, b.timeouts);
    this.settings = new HttpChatStream.Settings(provider, client, b.timeouts, b.retries, apiKey, requestIdHeader, framing);
  }

  @Override
  public final DisableStreaming disableStreaming() {
    return disableStreaming;
  }

  /** The API root, without a trailing slash. */
  protected final String baseUrl() {
    return baseUrl;
  }

  /** The API key, or {@code null}. */
  protected final String apiKey() {
    return apiKey;
  }

  /** Streams the response of {@code request}, decoded by a fresh decoder for every attempt. */
  protected final CloseableIterator<AIMessageChunk> open(Request request, Supplier<HttpChatStream.Decoder> decoders,
      ChatRequest chat) {
    HttpChatStream stream = new HttpChatStream(settings, request, decoders);
    CancelScope.register(chat.configurable(), stream);
    return stream;
  }

  @Override
  protected final AIMessage generate(List<BaseMessage> messages, ChatRequest request) {
    return Wire.collect(streamChunks(messages, request));
  }

  /** As {@link BaseChatModel#invokeAsync}, and cancelling the future cancels the HTTP call at once. */
  @Override
  public final CompletableFuture<BaseMessage> invokeAsync(Object input, RunConfig config) {
    return CancelScope.invokeAsync(config, c -> super.invokeAsync(input, c));
  }

  @Override
  protected final boolean supportsStreaming() {
    return true;
  }

  @Override
  protected final String lsProvider() {
    return provider;
  }

  @Override
  protected final String modelName() {
    return model;
  }

  @Override
  protected final Double temperature() {
    return temperature;
  }

  @Override
  protected final boolean reportsUnsetTemperature() {
    return true;
  }

  @Override
  protected final Integer maxTokens() {
    return maxTokens;
  }

  @Override
  protected final List<String> stop() {
    return stop;
  }

  /**
   * The settings every HTTP adapter takes; setters validate at once. Not thread-safe.
   *
   * @param <B> the provider's builder
   * @param <M> the provider's model
   */
  public abstract static class Builder<B extends Builder<B, M>, M extends HttpChatModel> {
    private String baseUrl;
    private String apiKey;
    private String model;
    private Double temperature;
    private Integer maxTokens;
    private List<String> stop;
    private Timeouts timeouts = Timeouts.DEFAULTS;
    private Retries retries = Retries.DEFAULTS;
    private OkHttpClient httpClient = Http.SHARED;
    private DisableStreaming disableStreaming = DisableStreaming.NEVER;

    protected Builder(String defaultBaseUrl, Integer defaultMaxTokens) {
      this.baseUrl = defaultBaseUrl;
      this.maxTokens = defaultMaxTokens;
    }

    protected abstract B self();

    /** Builds the model; fails when a required setting is missing. */
    public abstract M build();

    /** The API root (proxies, compatible servers, tests); each provider has a default. */
    public B baseUrl(String baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      return self();
    }

    /** The API key; providers that need one read their environment variable when it is not set. */
    public B apiKey(String apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      return self();
    }

    public B model(String model) {
      this.model = Objects.requireNonNull(model, "model");
      return self();
    }

    public B temperature(double temperature) {
      this.temperature = temperature;
      return self();
    }

    public B stop(List<String> stop) {
      this.stop = List.copyOf(Objects.requireNonNull(stop, "stop"));
      return self();
    }

    public B timeouts(Timeouts timeouts) {
      this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
      return self();
    }

    public B retries(Retries retries) {
      this.retries = Objects.requireNonNull(retries, "retries");
      return self();
    }

    /**
     * LangChain's {@code disable_streaming}: {@link DisableStreaming#ALWAYS} makes every call one
     * request whose answer is a single message, {@link DisableStreaming#TOOL_CALLING} only calls
     * with tools bound; default {@link DisableStreaming#NEVER}.
     */
    public B disableStreaming(DisableStreaming disableStreaming) {
      this.disableStreaming = Objects.requireNonNull(disableStreaming, "disableStreaming");
      return self();
    }

    /** A client to derive from (shares its connection pool and dispatcher). */
    public B httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return self();
    }

    /** For providers with a maximum-token setting: sets it (positive). */
    protected final B setMaxTokens(int maxTokens) {
      if (maxTokens <= 0) {
        throw new IllegalArgumentException("maxTokens must be positive: " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return self();
    }

    /** Checks that a model is set. */
    protected final void requireModel() {
      Objects.requireNonNull(model, "model");
    }

    /** The key given, else the environment variable's; fails when neither is set. */
    protected final String requireApiKey(String envVar) {
      String key = Wire.apiKey(apiKey, envVar);
      if (key == null) {
        throw new IllegalStateException("apiKey: no API key given and " + envVar + " is not set");
      }
      return key;
    }

    /** The key given, or {@code null}. */
    protected final String optionalApiKey() {
      return apiKey;
    }
  }
}
