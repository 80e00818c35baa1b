package io.tracewire.exporters.jsonl;

/**
 * When {@link JsonlFileSink} forces written lines to the storage device
 * ({@code FileChannel.force}). Without a force, lines reach the operating system at the end of
 * every batch (they survive a crash of the JVM, not of the machine).
 */
public enum FsyncPolicy {
  /** Never force; fastest. Lines survive a JVM crash, not a power loss. */
  NEVER,
  /** Force after every batch; slowest, loses at most the batch being written on power loss. */
  PER_BATCH,
  /** Force at the first batch (or flush) after the interval has passed since the last force. */
  INTERVAL
}
