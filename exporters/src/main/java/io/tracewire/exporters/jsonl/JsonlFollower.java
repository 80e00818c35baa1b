package io.tracewire.exporters.jsonl;

import io.tracewire.core.event.StreamEvent;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Tails a JSONL file that is being written ({@code tail -F} for events): returns events as
 * complete lines appear, waits for a file that does not exist yet, and keeps following when the
 * writer rotates the file (renames it and starts a new one: the follower reads the old file to
 * its end, then the new one from its start) or truncates it (it starts again from the top).
 * An unterminated last line is treated as still being written; if the file is rotated or
 * truncated with such a line, that line is reported as malformed. Malformed lines are handled as
 * in {@link JsonlReader}.
 *
 * <p>Changes are noticed by polling every {@link #DEFAULT_POLL_INTERVAL_MILLIS} ms while there is
 * nothing to read. Not thread-safe: one thread calls {@link #poll}; {@link #close} may be called
 * from another thread to end it.
 */
public final class JsonlFollower implements Closeable {
  /** How often an idle follower looks for new data, rotation and truncation: {@value} ms. */
  public static final long DEFAULT_POLL_INTERVAL_MILLIS = 50;

  private final Path path;
  private final int maxLineBytes;
  private final LineDecoder decoder;
  private final long pollNanos;
  private final java.util.ArrayDeque<Path> backlog = new java.util.ArrayDeque<>();
  private Path current;
  private FileChannel channel;
  private Object fileKey;
  private LineScanner scanner;
  private boolean skipExisting;
  private long rotations;
  private long truncations;
  private volatile boolean closed;

  private JsonlFollower(Path path, boolean fromStart, JsonlCodec codec, ReadOptions options, Duration pollInterval) {
    this.path = path;
    this.maxLineBytes = options.maxLineBytes();
    this.decoder = new LineDecoder(codec, options);
    this.pollNanos = pollInterval.toNanos();
    this.skipExisting = !fromStart;
  }

  /** Follows {@code path} from its start. */
  public static JsonlFollower follow(Path path) {
    return follow(path, true, new JsonlCodec(), ReadOptions.DEFAULT, Duration.ofMillis(DEFAULT_POLL_INTERVAL_MILLIS));
  }

  /**
   * Follows {@code path}; with {@code fromStart} false, only lines appended after the first poll
   * are returned.
   */
  public static JsonlFollower follow(Path path, boolean fromStart, JsonlCodec codec, ReadOptions options,
      Duration pollInterval) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
    }
    return new JsonlFollower(path, fromStart, codec, options, pollInterval);
  }

  public long malformedLines() {
    return decoder.malformed.get();
  }

  public long eventsRead() {
    return decoder.events.get();
  }

  /** Times the followed file was replaced by a new one. */
  public long rotations() {
    return rotations;
  }

  /** Times the followed file shrank and was read again from its start. */
  public long truncations() {
    return truncations;
  }

  /**
   * Where the event last returned by {@link #poll} came from (file, line, writer, seq), or
   * {@code null} before the first.
   */
  public LineOrigin lastOrigin() {
    return decoder.lastOrigin;
  }

  /**
   * The next event, waiting up to {@code timeout} for one; {@code null} when none arrived in
   * time or the follower was closed.
   */
  public StreamEvent poll(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!closed) {
      StreamEvent e;
      try {
        e = readAvailable();
        if (e != null) {
          return e;
        }
        if (checkFileChanged()) {
          continue;
        }
      } catch (java.nio.channels.ClosedChannelException ex) {
        if (closed) {
          return null;
        }
        throw ex;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(left, pollNanos));
    }
    return null;
  }

  private StreamEvent readAvailable() throws IOException {
    while (true) {
      if (scanner == null && !tryOpen()) {
        return null;
      }
      LineScanner.Line line;
      while ((line = scanner.next()) != null) {
        StreamEvent e = decoder.decode(current, line);
        if (e != null) {
          return e;
        }
      }
      if (current.equals(path)) {
        return null;
      }
      // A rotated file is complete: report an unterminated tail and go on with the next file.
      LineScanner.Line rest = scanner.rest();
      if (rest != null) {
        decoder.report(current, rest.number(), "truncated line at the end of a rotated file");
      }
      closeFile();
      rotations++;
    }
  }

  private boolean tryOpen() throws IOException {
    Path next = backlog.isEmpty() ? path : backlog.peekFirst();
    try {
      channel = FileChannel.open(next, StandardOpenOption.READ);
      fileKey = Files.readAttributes(next, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      if (channel != null) {
        channel.close();
        channel = null;
      }
      if (next != path) {
        backlog.pollFirst();
        return tryOpen();
      }
      return false;
    }
    if (next != path) {
      backlog.pollFirst();
    }
    current = next;
    if (skipExisting) {
      channel.position(channel.size());
      skipExisting = false;
    }
    scanner = new LineScanner(channel, maxLineBytes);
    return true;
  }

  /** Handles rotation and truncation of the active file; whether there is something new to read. */
  private boolean checkFileChanged() throws IOException {
    if (scanner == null) {
      skipExisting = false;
      return false;
    }
    Object key;
    long size;
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      key = a.fileKey();
      size = a.size();
    } catch (NoSuchFileException e) {
      return false; // rotated away and the new file is not there yet: keep the old one until it is
    }
    if (!Objects.equals(key, fileKey)) {
      // Rotated: the open file is now NAME.k. Read it to its end, then NAME.k+1 ... and the new active file.
      int k = rotatedIndexOf(fileKey);
      int max = JsonlFileSink.highestRotatedIndex(path);
      backlog.clear();
      for (int i = k + 1; k > 0 && i <= max; i++) {
        backlog.add(JsonlFileSink.rotatedFile(path, i));
      }
      current = k > 0 ? JsonlFileSink.rotatedFile(path, k) : current.resolveSibling(current.getFileName() + " (rotated)");
      return true;
    }
    if (size < channel.position()) {
      if (scanner.hasPartial()) {
        LineScanner.Line rest = scanner.rest();
        decoder.report(path, rest.number(), "truncated line (the file was truncated under it)");
      }
      channel.position(0);
      scanner = new LineScanner(channel, maxLineBytes);
      truncations++;
      return true;
    }
    return false;
  }

  private int rotatedIndexOf(Object key) throws IOException {
    int max = JsonlFileSink.highestRotatedIndex(path);
    for (int i = max; i >= 1; i--) {
      try {
        Path p = JsonlFileSink.rotatedFile(path, i);
        if (Objects.equals(key, Files.readAttributes(p, BasicFileAttributes.class).fileKey())) {
          return i;
        }
      } catch (NoSuchFileException e) {
        // removed by log cleanup
      }
    }
    return 0;
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
    closed = true;
    closeFile();
  }
}
