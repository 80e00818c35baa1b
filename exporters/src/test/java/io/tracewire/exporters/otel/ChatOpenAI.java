package io.tracewire.exporters.otel;

import io.tracewire.core.model.BaseChatModel;
import io.tracewire.core.model.ChatRequest;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ChunkPosition;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.OutputTokenDetails;
import io.tracewire.core.message.UsageMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test chat model that looks like an OpenAI adapter (ls_provider "openai", model gpt-4o) and
 * reports response metadata and usage with cache and reasoning details. {@code onCall} runs inside
 * generate/streamChunks, where an instrumented HTTP client would run.
 */
final class ChatOpenAI extends BaseChatModel {
  static final UsageMetadata USAGE = new UsageMetadata(12, 5, 17, new InputTokenDetails(2L, 3L, null),
      new OutputTokenDetails(4L, null));
  static final Map<String, Object> RESPONSE = Map.of("model_name", "gpt-4o-2024-08-06", "finish_reason", "stop");

  private final boolean streaming;
  private final java.lang.Runnable onCall;
  private final List<String> pieces;

  ChatOpenAI(boolean streaming, java.lang.Runnable onCall, String... pieces) {
    this.streaming = streaming;
    this.onCall = onCall;
    this.pieces = List.of(pieces.length == 0 ? new String[] {"hi", " there"} : pieces);
  }

  ChatOpenAI() {
    this(false, () -> {});
  }

  @Override
  protected String modelName() {
    return "gpt-4o";
  }

  @Override
  protected Double temperature() {
    return 0.25;
  }

  @Override
  protected Integer maxTokens() {
    return 100;
  }

  @Override
  protected List<String> stop() {
    return List.of("END");
  }

  @Override
  protected AIMessage generate(List<BaseMessage> messages, ChatRequest request) {
    onCall.run();
    return new AIMessage(String.join("", pieces), "chatcmpl-1", null, null, RESPONSE, null, USAGE);
  }

  @Override
  protected boolean supportsStreaming() {
    return streaming;
  }

  @Override
  protected CloseableIterator<AIMessageChunk> streamChunks(List<BaseMessage> messages, ChatRequest request) {
    onCall.run();
    List<AIMessageChunk> chunks = new ArrayList<>();
    for (String p : pieces) {
      chunks.add(new AIMessageChunk(p, "chatcmpl-1"));
    }
    chunks.add(new AIMessageChunk("", "chatcmpl-1", null, null, RESPONSE, null, USAGE, ChunkPosition.LAST));
    return CloseableIterator.of(chunks.iterator());
  }
}
