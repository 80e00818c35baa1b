package io.tracewire.propagation;

/**
 * A snapshot of a {@link TracewirePropagation}'s counters. Each counter only grows. Immutable.
 *
 * @param injected calls of {@code inject} that wrote their headers
 * @param extracted calls of {@code extract}
 * @param remoteParents extracted requests that carried a valid caller's run
 * @param rejectedTraceparent {@code traceparent} values ignored (oversized, malformed, unsupported version)
 * @param rejectedTracestate {@code tracestate} values ignored (oversized or malformed)
 * @param rejectedBaggage {@code baggage} values ignored (oversized)
 * @param rejectedRunPath run paths ignored (not 1 to {@code MAX_DEPTH + 1} canonical UUIDs)
 * @param failures unexpected failures inside inject or extract (the request went on without run context)
 */
public record PropagationStats(long injected, long extracted, long remoteParents, long rejectedTraceparent,
    long rejectedTracestate, long rejectedBaggage, long rejectedRunPath, long failures) {

  /** All rejected header values together. */
  public long rejected() {
    return rejectedTraceparent + rejectedTracestate + rejectedBaggage + rejectedRunPath;
  }
}
