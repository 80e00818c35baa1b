package io.tracewire.adapters.openai;

import io.tracewire.adapters.HttpChatModel;
import io.tracewire.adapters.internal.FrameReader;
import io.tracewire.adapters.internal.Http;
import io.tracewire.adapters.internal.Json;
import io.tracewire.adapters.internal.OpenAiMapper;
import io.tracewire.core.model.ChatRequest;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import java.util.List;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * OpenAI Chat Completions ({@code POST {baseUrl}/chat/completions}) streamed over SSE, as
 * LangChain's {@code ChatOpenAI}: one {@code AIMessageChunk} per {@code chat.completion.chunk}
 * (text, tool-call deltas with {@code tool_call_chunks}), {@code finish_reason}/{@code model_name}
 * on the finishing chunk, and with {@code stream_options.include_usage} (default on) one usage
 * chunk. Works with OpenAI-compatible servers through {@link Builder#baseUrl}.
 *
 * <p>Threading: immutable and thread-safe; each call runs on the calling (consuming) thread.
 * Closing a stream cancels its HTTP call at once. Failures are {@link
 * io.tracewire.adapters.ChatProviderException}s; retries happen only before the first chunk.
 * {@code invoke} without a token-streaming listener also streams and returns the merged message.
 */
public final class ChatOpenAI extends HttpChatModel {
  /** {@value}. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  /** {@value}: the environment variable read when no key is given. */
  public static final String API_KEY_ENV = "OPENAI_API_KEY";

  private final boolean streamUsage;

  private ChatOpenAI(Builder b, String key) {
    super(b, OpenAiMapper.PROVIDER, key, "x-request-id", FrameReader.Framing.SSE);
    this.streamUsage = b.streamUsage;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected CloseableIterator<AIMessageChunk> streamChunks(List<BaseMessage> messages, ChatRequest request) {
    Object su = request.extra().get("stream_usage");
    boolean usage = su instanceof Boolean bo ? bo : streamUsage;
    String body = Json.write(OpenAiMapper.body(messages, request, usage));
    String key = apiKey();
    Request.Builder rb = new Request.Builder()
        .url(baseUrl() + "/chat/completions")
        .header("Accept", "text/event-stream")
        .post(RequestBody.create(body, Http.JSON));
    if (key != null) {
      rb.header("Authorization", "Bearer " + key);
    }
    return open(rb.build(), () -> OpenAiMapper.decoder(key), request);
  }

  /**
   * Builder for {@link ChatOpenAI}; {@code model} is required, the base URL defaults to
   * {@value ChatOpenAI#DEFAULT_BASE_URL}, the key to {@value ChatOpenAI#API_KEY_ENV}. Not thread-safe.
   */
  public static final class Builder extends HttpChatModel.Builder<Builder, ChatOpenAI> {
    private boolean streamUsage = true;

    private Builder() {
      super(DEFAULT_BASE_URL, null);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** The {@code max_tokens} of each request (positive); unset by default. */
    public Builder maxTokens(int maxTokens) {
      return setMaxTokens(maxTokens);
    }

    /** Whether to request the final usage chunk ({@code stream_options.include_usage}); default {@code true}. */
    public Builder streamUsage(boolean streamUsage) {
      this.streamUsage = streamUsage;
      return this;
    }

    /** Builds the model; fails when no model is set or no API key is given or in the environment. */
    @Override
    public ChatOpenAI build() {
      requireModel();
      return new ChatOpenAI(this, requireApiKey(API_KEY_ENV));
    }
  }
}
