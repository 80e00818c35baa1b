package io.tracewire.core.message;

/**
 * Breakdown of input tokens. A {@code null} field means the provider did not report it (never
 * silently 0).
 */
public record InputTokenDetails(Long cacheCreation, Long cacheRead, Long audio) {
  static InputTokenDetails add(InputTokenDetails a, InputTokenDetails b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return new InputTokenDetails(
        UsageMetadata.sum(a.cacheCreation, b.cacheCreation),
        UsageMetadata.sum(a.cacheRead, b.cacheRead),
        UsageMetadata.sum(a.audio, b.audio));
  }
}
