package io.tracewire.exporters.jsonl;

import java.nio.file.Path;

/**
 * Where an event read from a JSONL log came from: its file and line, and the writer that wrote
 * the line with that writer's sequence number. Within one writer, {@code seq} strictly increases
 * in file order (rotated parts first), and a jump of {@code k + 1} means {@code k} events of that
 * writer were lost (see {@code docs/jsonl-format.md}). Lines of schema version 1, and lines
 * encoded outside a log, have no writer.
 *
 * @param file the file
 * @param line the 1-based line number in that file
 * @param writer the writer id ({@code "w"}), or {@code null} when the line has none
 * @param seq the line's {@code seq}
 * @param version the line's schema version ({@code "v"})
 */
public record LineOrigin(Path file, long line, String writer, long seq, int version) {
  @Override
  public String toString() {
    return file + ":" + line;
  }
}
