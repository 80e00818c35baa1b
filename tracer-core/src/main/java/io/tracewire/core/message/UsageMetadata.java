package io.tracewire.core.message;

/**
 * Token usage of a model call, as LangChain's {@code usage_metadata}. Chunks' usage adds up
 * field by field ({@link #add}); detail records are {@code null} when not reported.
 */
public record UsageMetadata(
    long inputTokens,
    long outputTokens,
    long totalTokens,
    InputTokenDetails inputTokenDetails,
    OutputTokenDetails outputTokenDetails) {

  public UsageMetadata(long inputTokens, long outputTokens, long totalTokens) {
    this(inputTokens, outputTokens, totalTokens, null, null);
  }

  /** Field-wise sum, as LangChain's {@code add_usage}; {@code null} operands are neutral. */
  public static UsageMetadata add(UsageMetadata a, UsageMetadata b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return new UsageMetadata(
        a.inputTokens + b.inputTokens,
        a.outputTokens + b.outputTokens,
        a.totalTokens + b.totalTokens,
        InputTokenDetails.add(a.inputTokenDetails, b.inputTokenDetails),
        OutputTokenDetails.add(a.outputTokenDetails, b.outputTokenDetails));
  }

  static Long sum(Long a, Long b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a + b;
  }
}
