package io.tracewire.mcp;

import io.tracewire.propagation.PropagationStats;
import java.util.Objects;

/**
 * A snapshot of an {@link McpTracing}'s counters. Each counter only grows. Immutable.
 *
 * @param clientRuns client requests ({@code tools/call}, {@code resources/read}, {@code prompts/get}) traced as runs
 * @param serverRuns server requests handled inside a run
 * @param unanswered client runs ended without a response, because the transport closed first
 * @param rejectedMetaValues {@code traceparent}, {@code tracestate} or {@code baggage} entries of an
 *     incoming {@code _meta} ignored because they were not JSON strings (oversized and malformed
 *     strings are counted in {@link #propagation()})
 * @param failures unexpected failures inside the tracing (the request went on untraced)
 * @param propagation the counters of the propagation that reads and writes the W3C values
 */
public record McpStats(long clientRuns, long serverRuns, long unanswered, long rejectedMetaValues, long failures,
    PropagationStats propagation) {
  public McpStats {
    Objects.requireNonNull(propagation, "propagation");
  }

  /** Every ignored {@code _meta} value: wrong JSON types plus what the propagation rejected. */
  public long rejected() {
    return rejectedMetaValues + propagation.rejected();
  }
}
