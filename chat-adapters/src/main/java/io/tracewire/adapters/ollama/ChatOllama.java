package io.tracewire.adapters.ollama;

import io.tracewire.adapters.HttpChatModel;
import io.tracewire.adapters.internal.FrameReader;
import io.tracewire.adapters.internal.Http;
import io.tracewire.adapters.internal.Json;
import io.tracewire.adapters.internal.OllamaMapper;
import io.tracewire.core.model.ChatRequest;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import java.util.List;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Ollama's native chat API ({@code POST {baseUrl}/api/chat}) streamed as NDJSON, as LangChain's
 * {@code ChatOllama}: one {@code AIMessageChunk} per line (text, thinking, tool calls), the final
 * {@code done} line carrying {@code done_reason} and usage from {@code prompt_eval_count} and
 * {@code eval_count} (only when both are present); {@code done_reason: "load"} lines are skipped.
 * No key is needed; an optional bearer token serves authenticating proxies.
 *
 * <p>Threading: immutable and thread-safe; each call runs on the calling (consuming) thread.
 * Closing a stream cancels its HTTP call at once. Failures are {@link
 * io.tracewire.adapters.ChatProviderException}s; retries happen only before the first chunk.
 * {@code invoke} without a token-streaming listener also streams and returns the merged message.
 */
public final class ChatOllama extends HttpChatModel {
  /** {@value}. */
  public static final String DEFAULT_BASE_URL = "http://localhost:11434";

  private final Integer numPredict;

  private ChatOllama(Builder b) {
    super(b, OllamaMapper.PROVIDER, b.optionalKey(), "x-request-id", FrameReader.Framing.NDJSON);
    this.numPredict = b.numPredict;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected CloseableIterator<AIMessageChunk> streamChunks(List<BaseMessage> messages, ChatRequest request) {
    String body = Json.write(OllamaMapper.body(messages, request, numPredict));
    String key = apiKey();
    Request.Builder rb = new Request.Builder()
        .url(baseUrl() + "/api/chat")
        .post(RequestBody.create(body, Http.JSON));
    if (key != null) {
      rb.header("Authorization", "Bearer " + key);
    }
    return open(rb.build(), () -> OllamaMapper.decoder(key), request);
  }

  /**
   * Builder for {@link ChatOllama}; {@code model} is required, the base URL defaults to
   * {@value ChatOllama#DEFAULT_BASE_URL}; {@code apiKey} is an optional bearer token (Ollama
   * behind an authenticating proxy, or Ollama cloud). Not thread-safe.
   */
  public static final class Builder extends HttpChatModel.Builder<Builder, ChatOllama> {
    private Integer numPredict;

    private Builder() {
      super(DEFAULT_BASE_URL, null);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** Ollama's {@code num_predict} (maximum output tokens); a bound {@code max_tokens} wins. */
    public Builder numPredict(int numPredict) {
      this.numPredict = numPredict;
      return this;
    }

    String optionalKey() {
      return optionalApiKey();
    }

    /** Builds the model; fails when no model is set. */
    @Override
    public ChatOllama build() {
      requireModel();
      return new ChatOllama(this);
    }
  }
}
