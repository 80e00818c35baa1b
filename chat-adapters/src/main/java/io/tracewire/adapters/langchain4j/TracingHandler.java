package io.tracewire.adapters.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.ToolCallChunk;
import io.tracewire.core.runnable.RunHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Records a streaming call's callbacks as run events, then forwards each to the caller's handler
 * on the same thread. The run ends once: at the complete response or the first error.
 *
 * <p>As LangChain's streamed chat models: every chunk and the end output carry one message id,
 * {@code lc_run--<run id>} (LangChain4j reports the provider's id only with the complete
 * response); partial text is a content chunk; a partial tool call is a chunk with one
 * {@code tool_call_chunk} (name and id on the first fragment of each index only, so merging the
 * chunks by index gives the call back); the end output of a streamed call is the
 * {@link AIMessageChunk} the chunks add up to, of an invoked one ({@code streamed == false}) the
 * {@link io.tracewire.core.message.AIMessage}.
 *
 * <p>LangChain4j calls a handler from one thread at a time (its streaming thread), in order;
 * the tool-call bookkeeping is guarded anyway, since it is tiny and never contended.
 */
final class TracingHandler implements StreamingChatResponseHandler {
  private final RunHandle run;
  private final StreamingChatResponseHandler user;
  private final String chunkId;
  private final boolean streamed;
  /** The tool-call indices in the order their first fragment arrived. */
  private final List<Integer> toolCallIndices = new ArrayList<>(2);

  TracingHandler(RunHandle run, StreamingChatResponseHandler user, boolean streamed) {
    this.run = run;
    this.user = user;
    this.chunkId = "lc_run--" + run.runId();
    this.streamed = streamed;
  }

  private void partial(String text) {
    run.stream(new AIMessageChunk(text == null ? "" : text, chunkId));
  }

  private void partialToolCall(PartialToolCall call) {
    boolean first;
    synchronized (toolCallIndices) {
      first = !toolCallIndices.contains(call.index());
      if (first) {
        toolCallIndices.add(call.index());
      }
    }
    ToolCallChunk c = new ToolCallChunk(first ? call.name() : null,
        call.partialArguments() == null ? "" : call.partialArguments(), first ? call.id() : null, call.index());
    run.stream(AIMessageChunk.builder().content("").id(chunkId).toolCallChunks(List.of(c)).build());
  }

  /** The streamed index of the {@code i}-th tool call of the complete response. */
  private int toolCallIndex(int i) {
    synchronized (toolCallIndices) {
      return i < toolCallIndices.size() ? toolCallIndices.get(i) : i;
    }
  }

  @Override
  public void onPartialResponse(String partialResponse) {
    partial(partialResponse);
    user.onPartialResponse(partialResponse);
  }

  @Override
  public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
    partial(partialResponse.text());
    user.onPartialResponse(partialResponse, context);
  }

  @Override
  public void onPartialThinking(PartialThinking partialThinking) {
    user.onPartialThinking(partialThinking);
  }

  @Override
  public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
    user.onPartialThinking(partialThinking, context);
  }

  @Override
  public void onPartialToolCall(PartialToolCall partialToolCall) {
    partialToolCall(partialToolCall);
    user.onPartialToolCall(partialToolCall);
  }

  @Override
  public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
    partialToolCall(partialToolCall);
    user.onPartialToolCall(partialToolCall, context);
  }

  @Override
  public void onCompleteToolCall(CompleteToolCall completeToolCall) {
    user.onCompleteToolCall(completeToolCall);
  }

  @Override
  public void onUnmappedRawEvent(Object rawEvent) {
    user.onUnmappedRawEvent(rawEvent);
  }

  @Override
  public void onCompleteResponse(ChatResponse completeResponse) {
    AIMessageChunk out = Lc4jMessages.streamedOutput(completeResponse, chunkId, this::toolCallIndex);
    run.end(streamed ? out : out.toMessage());
    user.onCompleteResponse(completeResponse);
  }

  @Override
  public void onError(Throwable error) {
    run.error(error);
    user.onError(error);
  }
}
