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
import io.tracewire.core.runnable.RunHandle;
import io.tracewire.core.message.AIMessageChunk;

/**
 * Records a streaming call's callbacks as run events, then forwards each to the caller's handler
 * on the same thread. The run ends once: at the complete response or the first error.
 */
final class TracingHandler implements StreamingChatResponseHandler {
  private final RunHandle run;
  private final StreamingChatResponseHandler user;
  private final String chunkId;

  TracingHandler(RunHandle run, StreamingChatResponseHandler user) {
    this.run = run;
    this.user = user;
    this.chunkId = "lc_run--" + run.runId();
  }

  private void partial(String text) {
    run.stream(new AIMessageChunk(text == null ? "" : text, chunkId));
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
    user.onPartialToolCall(partialToolCall);
  }

  @Override
  public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
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
    run.end(Lc4jMessages.output(completeResponse, chunkId));
    user.onCompleteResponse(completeResponse);
  }

  @Override
  public void onError(Throwable error) {
    run.error(error);
    user.onError(error);
  }
}
