package io.tracewire.core.message;

/** Breakdown of output tokens; {@code null} means not reported. */
public record OutputTokenDetails(Long reasoning, Long audio) {
  static OutputTokenDetails add(OutputTokenDetails a, OutputTokenDetails b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return new OutputTokenDetails(
        UsageMetadata.sum(a.reasoning, b.reasoning), UsageMetadata.sum(a.audio, b.audio));
  }
}
