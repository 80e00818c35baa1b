package io.tracewire.exporters.jsonl;

import java.nio.file.Path;

/**
 * A JSONL line that was skipped because it is not a valid event.
 *
 * @param file the file
 * @param line the 1-based line number in that file
 * @param reason why: truncated, too long, not JSON, invalid UTF-8, wrong shape...
 */
public record MalformedLine(Path file, long line, String reason) {
  @Override
  public String toString() {
    return file + ":" + line + ": " + reason;
  }
}
