package io.tracewire.exporters.jsonl;

import io.tracewire.core.event.StreamEvent;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Reads the events of one or more finished JSONL files (see {@link JsonlCodec}), in order.
 * Malformed lines (truncated, not JSON, invalid UTF-8, JSON of the wrong shape, longer than
 * {@link ReadOptions#maxLineBytes()}) are skipped, counted ({@link #malformedLines()}) and
 * reported with file and line number; they never stop the reader. An unterminated last line is
 * decoded if it is a complete event, and reported as truncated otherwise. For a file that is
 * still being written use {@link JsonlFollower}.
 *
 * <p>Not thread-safe. Close it to release the open file. I/O errors surface as
 * {@link UncheckedIOException} from {@link #hasNext()}.
 */
public final class JsonlReader implements Iterator<StreamEvent>, Closeable {
  private final List<Path> files;
  private final int maxLineBytes;
  private final LineDecoder decoder;
  private int fileIndex = -1;
  private FileChannel channel;
  private LineScanner scanner;
  private StreamEvent next;
  private boolean done;

  private JsonlReader(List<Path> files, JsonlCodec codec, ReadOptions options) {
    this.files = List.copyOf(files);
    this.maxLineBytes = options.maxLineBytes();
    this.decoder = new LineDecoder(codec, options);
  }

  /** A reader of one file. */
  public static JsonlReader open(Path file) {
    return open(List.of(file), new JsonlCodec(), ReadOptions.DEFAULT);
  }

  /** A reader of these files, one after the other. */
  public static JsonlReader open(List<Path> files, JsonlCodec codec, ReadOptions options) {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(options, "options");
    return new JsonlReader(files, codec, options);
  }

  /**
   * The files of a rotated log in event order: {@code NAME.1}, {@code NAME.2}, ... (numerically),
   * then the active file {@code NAME} if it exists.
   */
  public static List<Path> logFiles(Path active) throws IOException {
    int max = JsonlFileSink.highestRotatedIndex(active);
    List<Path> out = new ArrayList<>();
    for (int i = 1; i <= max; i++) {
      Path p = JsonlFileSink.rotatedFile(active, i);
      if (Files.exists(p)) {
        out.add(p);
      }
    }
    if (Files.exists(active)) {
      out.add(active);
    }
    return out;
  }

  /**
   * Where the event last returned by {@link #next()} came from (file, line, writer, seq), or
   * {@code null} before the first.
   */
  public LineOrigin lastOrigin() {
    return decoder.lastOrigin;
  }

  /** Lines skipped as malformed so far. */
  public long malformedLines() {
    return decoder.malformed.get();
  }

  /** Events decoded so far. */
  public long eventsRead() {
    return decoder.events.get();
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    try {
      while (!done) {
        if (scanner == null && !openNext()) {
          done = true;
          break;
        }
        LineScanner.Line line = scanner.next();
        if (line == null) {
          line = scanner.rest();
          Path f = files.get(fileIndex);
          if (line != null) {
            next = decoder.decode(f, line);
          }
          closeFile();
        } else {
          next = decoder.decode(files.get(fileIndex), line);
        }
        if (next != null) {
          return true;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return false;
  }

  @Override
  public StreamEvent next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    StreamEvent e = next;
    next = null;
    return e;
  }

  private boolean openNext() throws IOException {
    if (++fileIndex >= files.size()) {
      return false;
    }
    channel = FileChannel.open(files.get(fileIndex), StandardOpenOption.READ);
    scanner = new LineScanner(channel, maxLineBytes);
    return true;
  }

  private void closeFile() throws IOException {
    scanner = null;
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  @Override
  public void close() throws IOException {
    done = true;
    closeFile();
  }
}
