package io.tracewire.exporters.jsonl;

import java.util.function.Consumer;

/**
 * Options of {@link JsonlReader} and {@link JsonlFollower}.
 *
 * @param maxLineBytes lines longer than this are skipped (without being held in memory) and
 *     reported as malformed; default {@value #DEFAULT_MAX_LINE_BYTES}
 * @param onMalformed called (on the reading thread) for every skipped line, or {@code null};
 *     every skipped line is also counted. Without a listener, the first
 *     {@value #LOGGED_MALFORMED_LINES} of each reader are logged as {@code java.util.logging}
 *     warnings with file and line number; with one, the listener reports them and nothing is
 *     logged, so that each line is reported once
 */
public record ReadOptions(int maxLineBytes, Consumer<MalformedLine> onMalformed) {
  /** The default line limit: 8 MiB. */
  public static final int DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;
  /** How many malformed lines a reader logs before only counting them. */
  public static final int LOGGED_MALFORMED_LINES = 100;
  /** The defaults. */
  public static final ReadOptions DEFAULT = new ReadOptions(DEFAULT_MAX_LINE_BYTES, null);

  public ReadOptions {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
    }
  }

  public ReadOptions withMaxLineBytes(int max) {
    return new ReadOptions(max, onMalformed);
  }

  public ReadOptions withOnMalformed(Consumer<MalformedLine> listener) {
    return new ReadOptions(maxLineBytes, listener);
  }
}
