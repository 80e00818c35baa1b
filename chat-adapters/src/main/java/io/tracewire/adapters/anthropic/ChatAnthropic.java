package io.tracewire.adapters.anthropic;

import io.tracewire.adapters.Retries;
import io.tracewire.adapters.Timeouts;
import io.tracewire.adapters.internal.CancelScope;
import io.tracewire.adapters.internal.FrameReader;
import io.tracewire.adapters.internal.Http;
import io.tracewire.adapters.internal.HttpChatStream;
import io.tracewire.adapters.internal.Json;
import io.tracewire.adapters.internal.AnthropicMapper;
import io.tracewire.adapters.internal.Wire;
import io.tracewire.core.BaseChatModel;
import io.tracewire.core.ChatRequest;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import java.util.concurrent.CompletableFuture;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import java.util.List;
import java.util.Objects;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * OpenAI Chat Completions ({@code POST {baseUrl}/chat/completions}) streamed over SSE, as
 * LangChain's {@code ChatAnthropic}: one {@code AIMessageChunk} per {@code chat.completion.chunk}
 * (text, tool-call deltas with {@code tool_call_chunks}), {@code finish_reason}/{@code model_name}
 * on the finishing chunk, and with {@code stream_options.include_usage} (default on) one usage
 * chunk. Works with OpenAI-compatible servers through {@link Builder#baseUrl}.
 *
 * <p>Threading: immutable and thread-safe; each call runs on the calling (consuming) thread.
 * Closing a stream cancels its HTTP call at once. Failures are {@link
 * io.tracewire.adapters.ChatProviderException}s; retries happen only before the first chunk.
 * {@code invoke} without a token-streaming listener also streams and returns the merged message.
 */
public final class ChatAnthropic extends BaseChatModel {
  /** {@value}. */
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
  /** {@value}: the environment variable read when no key is given. */
  public static final String API_KEY_ENV = "ANTHROPIC_API_KEY";
  /** {@value}: the {@code max_tokens} sent when none is configured (the API requires one). */
  public static final int DEFAULT_MAX_TOKENS = 1024;
  private static final String ANTHROPIC_VERSION = "2023-06-01";

  private final String baseUrl;
  private final String apiKey;
  private final String model;
  private final Double temperature;
  private final Integer maxTokens;
  private final List<String> stop;
  private final HttpChatStream.Settings settings;

  private ChatAnthropic(Builder b, String key) {
    this.baseUrl = Http.trimBase(b.baseUrl);
    this.apiKey = key;
    this.model = b.model;
    this.temperature = b.temperature;
    this.maxTokens = b.maxTokens;
    this.stop = b.stop;
    OkHttpClient client = Http.client(b.httpClient, b.timeouts);
    this.settings = new HttpChatStream.Settings(AnthropicMapper.PROVIDER, client, b.timeouts, b.retries, key,
        "request-id", FrameReader.Framing.SSE);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected AIMessage generate(List<BaseMessage> messages, ChatRequest request) {
    return Wire.collect(streamChunks(messages, request));
  }

  /** As {@link BaseChatModel#invokeAsync}, and cancelling the future cancels the HTTP call at once. */
  @Override
  public CompletableFuture<BaseMessage> invokeAsync(Object input, RunConfig config) {
    return CancelScope.invokeAsync(config, c -> super.invokeAsync(input, c));
  }

  @Override
  protected boolean supportsStreaming() {
    return true;
  }

  @Override
  protected CloseableIterator<AIMessageChunk> streamChunks(List<BaseMessage> messages, ChatRequest request) {
    String body = Json.write(AnthropicMapper.body(messages, request, maxTokens));
    boolean list = AnthropicMapper.listMode(request);
    Request req = new Request.Builder()
        .url(baseUrl + "/v1/messages")
        .header("x-api-key", apiKey)
        .header("anthropic-version", ANTHROPIC_VERSION)
        .header("Accept", "text/event-stream")
        .post(RequestBody.create(body, Http.JSON))
        .build();
    HttpChatStream stream = new HttpChatStream(settings, req, () -> AnthropicMapper.decoder(list, apiKey));
    CancelScope.register(request.configurable(), stream);
    return stream;
  }

  @Override
  protected String lsProvider() {
    return AnthropicMapper.PROVIDER;
  }

  @Override
  protected String modelName() {
    return model;
  }

  @Override
  protected Double temperature() {
    return temperature;
  }

  @Override
  protected boolean reportsUnsetTemperature() {
    return true;
  }

  @Override
  protected Integer maxTokens() {
    return maxTokens;
  }

  @Override
  protected List<String> stop() {
    return stop;
  }

  /** Builder for {@link ChatAnthropic}; {@code model} is required. Not thread-safe. */
  public static final class Builder {
    private String baseUrl = DEFAULT_BASE_URL;
    private String apiKey;
    private String model;
    private Double temperature;
    private Integer maxTokens = DEFAULT_MAX_TOKENS;
    private List<String> stop;
    private Timeouts timeouts = Timeouts.DEFAULTS;
    private Retries retries = Retries.DEFAULTS;
    private OkHttpClient httpClient = Http.SHARED;

    private Builder() {}

    /** The API root, default {@value ChatAnthropic#DEFAULT_BASE_URL} (proxies, compatible servers, tests). */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      return this;
    }

    /** The API key; when not set, {@value ChatAnthropic#API_KEY_ENV} is read at {@link #build()}. */
    public Builder apiKey(String apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      return this;
    }

    public Builder model(String model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    public Builder temperature(double temperature) {
      this.temperature = temperature;
      return this;
    }

    /** The {@code max_tokens} of each request; default {@value ChatAnthropic#DEFAULT_MAX_TOKENS}. */
    public Builder maxTokens(int maxTokens) {
      if (maxTokens <= 0) {
        throw new IllegalArgumentException("maxTokens must be positive: " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    public Builder stop(List<String> stop) {
      this.stop = List.copyOf(Objects.requireNonNull(stop, "stop"));
      return this;
    }

    public Builder timeouts(Timeouts timeouts) {
      this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
      return this;
    }

    public Builder retries(Retries retries) {
      this.retries = Objects.requireNonNull(retries, "retries");
      return this;
    }

    /** A client to derive from (shares its connection pool and dispatcher). */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** Builds the model; fails when no model is set or no API key is given or in the environment. */
    public ChatAnthropic build() {
      Objects.requireNonNull(model, "model");
      String key = Wire.apiKey(apiKey, API_KEY_ENV);
      if (key == null) {
        throw new IllegalStateException("apiKey: no API key given and " + API_KEY_ENV + " is not set");
      }
      return new ChatAnthropic(this, key);
    }
  }
}
