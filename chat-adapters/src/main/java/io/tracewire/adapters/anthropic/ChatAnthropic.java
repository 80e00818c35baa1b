package io.tracewire.adapters.anthropic;

import io.tracewire.adapters.HttpChatModel;
import io.tracewire.adapters.internal.AnthropicMapper;
import io.tracewire.adapters.internal.FrameReader;
import io.tracewire.adapters.internal.Http;
import io.tracewire.adapters.internal.Json;
import io.tracewire.core.model.ChatRequest;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import java.util.List;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Anthropic Messages ({@code POST {baseUrl}/v1/messages}) streamed over SSE, as LangChain's
 * {@code ChatAnthropic}: text deltas, {@code tool_use} blocks with {@code input_json_delta}
 * ({@code tool_call_chunks}), thinking and signature deltas, input usage (with
 * {@code cache_creation} and {@code cache_read}) from {@code message_start} and output usage from
 * {@code message_delta}; {@code ping} is ignored and an in-stream {@code error} fails the call.
 * Content is a string, or a list of blocks when tools or thinking are in play.
 *
 * <p>Threading: immutable and thread-safe; each call runs on the calling (consuming) thread.
 * Closing a stream cancels its HTTP call at once. Failures are {@link
 * io.tracewire.adapters.ChatProviderException}s; retries happen only before the first chunk.
 * {@code invoke} without a token-streaming listener also streams and returns the merged message.
 */
public final class ChatAnthropic extends HttpChatModel {
  /** {@value}. */
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
  /** {@value}: the environment variable read when no key is given. */
  public static final String API_KEY_ENV = "ANTHROPIC_API_KEY";
  /** {@value}: the {@code max_tokens} sent when none is configured (the API requires one). */
  public static final int DEFAULT_MAX_TOKENS = 1024;
  private static final String ANTHROPIC_VERSION = "2023-06-01";

  private ChatAnthropic(Builder b, String key) {
    super(b, AnthropicMapper.PROVIDER, key, "request-id", FrameReader.Framing.SSE);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected CloseableIterator<AIMessageChunk> streamChunks(List<BaseMessage> messages, ChatRequest request) {
    String body = Json.write(AnthropicMapper.body(messages, request, maxTokens()));
    boolean list = AnthropicMapper.listMode(request);
    String key = apiKey();
    Request req = new Request.Builder()
        .url(baseUrl() + "/v1/messages")
        .header("x-api-key", key)
        .header("anthropic-version", ANTHROPIC_VERSION)
        .header("Accept", "text/event-stream")
        .post(RequestBody.create(body, Http.JSON))
        .build();
    return open(req, () -> AnthropicMapper.decoder(list, key), request);
  }

  /**
   * Builder for {@link ChatAnthropic}; {@code model} is required, the base URL defaults to
   * {@value ChatAnthropic#DEFAULT_BASE_URL}, the key to {@value ChatAnthropic#API_KEY_ENV}. Not
   * thread-safe.
   */
  public static final class Builder extends HttpChatModel.Builder<Builder, ChatAnthropic> {
    private Builder() {
      super(DEFAULT_BASE_URL, DEFAULT_MAX_TOKENS);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** The {@code max_tokens} of each request (positive); default {@value ChatAnthropic#DEFAULT_MAX_TOKENS}. */
    public Builder maxTokens(int maxTokens) {
      return setMaxTokens(maxTokens);
    }

    /** Builds the model; fails when no model is set or no API key is given or in the environment. */
    @Override
    public ChatAnthropic build() {
      requireModel();
      return new ChatAnthropic(this, requireApiKey(API_KEY_ENV));
    }
  }
}
