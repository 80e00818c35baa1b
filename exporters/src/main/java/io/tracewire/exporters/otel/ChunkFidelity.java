package io.tracewire.exporters.otel;

/**
 * How many stream chunks of a model run become span events ({@code tracewire.stream.chunk}).
 * Chunk timing (time to first chunk, time per output chunk) is measured for every chunk
 * whatever the fidelity; this only decides which chunks are also recorded as events.
 * Immutable value.
 *
 * @param mode which chunks are recorded
 * @param every for {@link Mode#EVERY_NTH}: record chunk 0, n, 2n, ...; 1 otherwise
 */
public record ChunkFidelity(Mode mode, int every) {

  /** The recording modes. */
  public enum Mode {
    /** No chunk events (the default: the conventions define none). */
    NONE,
    /** The first chunk when it arrives and the last one when the run ends. */
    FIRST_AND_LAST,
    /** Every n-th chunk, starting with the first. */
    EVERY_NTH,
    /** Every chunk. */
    ALL
  }

  public static final ChunkFidelity NONE = new ChunkFidelity(Mode.NONE, 1);
  public static final ChunkFidelity FIRST_AND_LAST = new ChunkFidelity(Mode.FIRST_AND_LAST, 1);
  public static final ChunkFidelity ALL = new ChunkFidelity(Mode.ALL, 1);

  public ChunkFidelity {
    java.util.Objects.requireNonNull(mode, "mode");
    if (every < 1) {
      throw new IllegalArgumentException("every must be >= 1, got " + every);
    }
  }

  /** Every n-th chunk (n >= 1), starting with the first. */
  public static ChunkFidelity everyNth(int n) {
    return new ChunkFidelity(Mode.EVERY_NTH, n);
  }

  /** Whether the chunk with this 0-based index is recorded as it arrives. */
  boolean recordsOnArrival(long index) {
    return switch (mode) {
      case NONE -> false;
      case ALL -> true;
      case FIRST_AND_LAST -> index == 0;
      case EVERY_NTH -> index % every == 0;
    };
  }
}
