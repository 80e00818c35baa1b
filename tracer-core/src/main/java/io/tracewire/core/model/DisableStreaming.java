package io.tracewire.core.model;

/**
 * When a chat model that can stream does not: LangChain's {@code disable_streaming} field
 * ({@code BaseChatModel._should_stream}, spec §15.1). A model that does not stream a call makes it
 * with {@code invoke}: {@code stream} yields the one {@link io.tracewire.core.message.AIMessage}
 * (id {@code lc_run--<run id>-0} when the provider sets none), and no {@code on_chat_model_stream}
 * event is emitted, not even when a listener asks for tokens or the call binds
 * {@code stream=true}.
 */
public enum DisableStreaming {
  /** {@code disable_streaming=False}, the default: stream whenever LangChain would. */
  NEVER,
  /** {@code disable_streaming=True}: never stream. */
  ALWAYS,
  /** {@code disable_streaming="tool_calling"}: do not stream a call that has tools bound. */
  TOOL_CALLING;

  /** Whether a call with these resolved parameters must not stream. */
  boolean disables(ChatRequest request) {
    return this == ALWAYS || (this == TOOL_CALLING && !request.tools().isEmpty());
  }
}
