package io.tracewire.exporters.jsonl;

import io.tracewire.core.sink.EventSink;
import io.tracewire.core.event.StreamEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * An {@link EventSink} that appends events to a JSONL file, one line each, in the format of
 * {@link JsonlCodec}. Install it on an {@code EventBus} (for zero loss use
 * {@code OverflowPolicy.BLOCK}).
 *
 * <p><b>Crash safety.</b> A batch is encoded in memory, then written with one sequence of
 * channel writes; every line ends with {@code '\n'}. A crash mid-write therefore leaves at most
 * one truncated last line, which readers detect and skip. When the sink opens a file whose last
 * line is unterminated, it first ends it with a newline, so new lines stay intact.
 *
 * <p><b>Rotation.</b> With a size limit ({@link Builder#maxFileBytes}) or an age limit
 * ({@link Builder#rotateEvery}), the active file {@code NAME} is renamed to {@code NAME.1},
 * then {@code NAME.2}, and so on (the numbers continue from the highest existing one), and a new
 * {@code NAME} is started. Rotated files in numeric order followed by the active file hold the
 * events in order. Limits are checked per batch: a file exceeds the size limit by at most one
 * batch only when a single batch is larger than the limit.
 *
 * <p><b>Faults.</b> A failing write (disk full, I/O error, missing directory) fails the batch:
 * {@link JsonlSinkStats#writeErrors()} counts it, the event bus counts its events as failed,
 * the first error is logged, the file is reopened at the next batch, and nothing is thrown to
 * the application. A file deleted or replaced under the writer is detected before and after
 * every batch and created again ({@link JsonlSinkStats#reopens()}); a batch that went to the
 * deleted file is written again to the new one.
 *
 * <p>Threading: the event bus calls it from one worker thread; {@link #stats()} may be called
 * from any thread.
 */
public final class JsonlFileSink implements EventSink {
  private static final Logger LOG = Logger.getLogger(JsonlFileSink.class.getName());

  /** The default fsync interval for {@link FsyncPolicy#INTERVAL}: {@value} ms. */
  public static final long DEFAULT_FSYNC_INTERVAL_MILLIS = 1000;

  private final Path path;
  private final FsyncPolicy fsync;
  private final long fsyncIntervalNanos;
  private final long maxFileBytes;
  private final long rotateNanos;
  private final LongSupplier nanoClock;
  private final Bytes buffer = new Bytes(64 * 1024);
  private final JsonlCodec.Encoder encoder;

  private FileChannel channel;
  private Object fileKey;
  private long size;
  private long openedAt;
  private long lastForce;
  private boolean dirty;
  private int nextIndex = -1;
  private boolean errorLogged;

  private final AtomicLong lines = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong writeErrors = new AtomicLong();
  private final AtomicLong rotations = new AtomicLong();
  private final AtomicLong reopens = new AtomicLong();
  private final AtomicLong fsyncs = new AtomicLong();

  private JsonlFileSink(Builder b) {
    this.path = b.path.toAbsolutePath();
    this.fsync = b.fsync;
    this.fsyncIntervalNanos = b.fsyncInterval.toNanos();
    this.maxFileBytes = b.maxFileBytes;
    this.rotateNanos = b.rotateEvery == null ? 0 : b.rotateEvery.toNanos();
    this.nanoClock = b.nanoClock;
    this.encoder = (b.codec != null ? b.codec : new JsonlCodec()).newEncoder(buffer).traceLinks(b.traceLinks);
  }

  /** A builder for a sink writing to {@code path} (the active file; parent directories are not created). */
  public static Builder builder(Path path) {
    return new Builder(path);
  }

  /** The active file. */
  public Path path() {
    return path;
  }

  /** The name of the {@code n}-th rotated file ({@code NAME.n}). */
  public static Path rotatedFile(Path active, int n) {
    return active.resolveSibling(active.getFileName() + "." + n);
  }

  public JsonlSinkStats stats() {
    return new JsonlSinkStats(lines.get(), bytes.get(), writeErrors.get(), rotations.get(), reopens.get(), fsyncs.get());
  }

  @Override
  public void export(List<StreamEvent> batch) throws IOException {
    buffer.reset();
    for (StreamEvent e : batch) {
      encoder.write(e);
    }
    encoder.flush();
    int n = buffer.size();
    try {
      ensureOpen();
      long now = nanoClock.getAsLong();
      if (size > 0 && ((maxFileBytes > 0 && size + n > maxFileBytes) || (rotateNanos > 0 && now - openedAt >= rotateNanos))) {
        rotate();
      }
      write(n);
      if (!sameFile()) {
        // The file was deleted or replaced while we wrote: those bytes are gone with it. Write them again.
        reopen();
        write(n);
      }
      lines.addAndGet(batch.size());
      bytes.addAndGet(n);
      dirty = true;
      if (fsync == FsyncPolicy.PER_BATCH || (fsync == FsyncPolicy.INTERVAL && now - lastForce >= fsyncIntervalNanos)) {
        force();
      }
    } catch (IOException | RuntimeException e) {
      writeErrors.incrementAndGet();
      closeQuietly();
      if (!errorLogged) {
        errorLogged = true;
        LOG.log(Level.WARNING, "JSONL sink could not write " + batch.size() + " events to " + path
            + "; it retries with the next batch (further errors are counted in its stats, not logged)", e);
      }
      throw e;
    }
  }

  @Override
  public void flush() throws IOException {
    if (channel != null && dirty && fsync != FsyncPolicy.NEVER) {
      force();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      closeQuietly();
    }
  }

  private void write(int n) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(buffer.array(), 0, n);
    while (bb.hasRemaining()) {
      channel.write(bb);
    }
    size += n;
  }

  private void force() throws IOException {
    channel.force(false);
    fsyncs.incrementAndGet();
    lastForce = nanoClock.getAsLong();
    dirty = false;
  }

  private void ensureOpen() throws IOException {
    if (channel == null) {
      open();
    } else if (!sameFile()) {
      reopen();
    }
  }

  private void reopen() throws IOException {
    reopens.incrementAndGet();
    LOG.warning("JSONL file " + path + " was deleted or replaced under the writer; writing to a new file");
    closeQuietly();
    open();
  }

  private boolean sameFile() {
    try {
      return Objects.equals(fileKey, Files.readAttributes(path, BasicFileAttributes.class).fileKey());
    } catch (IOException e) {
      return false;
    }
  }

  private void open() throws IOException {
    boolean unterminated = false;
    if (Files.isRegularFile(path)) {
      try (FileChannel r = FileChannel.open(path, StandardOpenOption.READ)) {
        long s = r.size();
        if (s > 0) {
          ByteBuffer last = ByteBuffer.allocate(1);
          r.read(last, s - 1);
          unterminated = last.get(0) != '\n';
        }
      } catch (NoSuchFileException gone) {
        unterminated = false;
      }
    }
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    try {
      if (unterminated) {
        // A crash left a truncated last line: end it so that it stays one malformed line.
        ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
      }
      long s = ch.size();
      channel = ch;
      size = s;
      fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      openedAt = nanoClock.getAsLong();
      lastForce = openedAt;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private void rotate() throws IOException {
    if (fsync != FsyncPolicy.NEVER && dirty) {
      force();
    }
    closeQuietly();
    if (nextIndex < 0) {
      nextIndex = highestRotatedIndex(path) + 1;
    }
    Path target = rotatedFile(path, nextIndex);
    Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
    nextIndex++;
    rotations.incrementAndGet();
    open();
  }

  /** The highest {@code n} of an existing {@code NAME.n}, or 0. */
  static int highestRotatedIndex(Path active) throws IOException {
    String prefix = active.getFileName() + ".";
    Path dir = active.toAbsolutePath().getParent();
    int max = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith(prefix)) {
          String rest = name.substring(prefix.length());
          if (!rest.isEmpty() && rest.length() < 10 && rest.chars().allMatch(Character::isDigit)) {
            max = Math.max(max, Integer.parseInt(rest));
          }
        }
      }
    } catch (NoSuchFileException e) {
      return 0;
    }
    return max;
  }

  private void closeQuietly() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing more to do with a broken channel
      }
      channel = null;
    }
  }

  /** A byte buffer whose array the sink writes directly. */
  static final class Bytes extends ByteArrayOutputStream {
    Bytes(int size) {
      super(size);
    }

    byte[] array() {
      return buf;
    }
  }

  /** Configures a {@link JsonlFileSink}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private final Path path;
    private FsyncPolicy fsync = FsyncPolicy.NEVER;
    private Duration fsyncInterval = Duration.ofMillis(DEFAULT_FSYNC_INTERVAL_MILLIS);
    private long maxFileBytes;
    private Duration rotateEvery;
    private LongSupplier nanoClock = System::nanoTime;
    private JsonlCodec codec;
    private TraceLinks traceLinks;

    private Builder(Path path) {
      this.path = Objects.requireNonNull(path, "path");
    }

    /** When to force lines to the device; {@link FsyncPolicy#NEVER} by default. */
    public Builder fsync(FsyncPolicy policy) {
      this.fsync = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The interval of {@link FsyncPolicy#INTERVAL}; {@value #DEFAULT_FSYNC_INTERVAL_MILLIS} ms by default. */
    public Builder fsyncInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("interval must not be negative: " + interval);
      }
      this.fsyncInterval = interval;
      return this;
    }

    /** Rotates before a batch would make the file larger than this; 0 (default) for no size limit. */
    public Builder maxFileBytes(long maxBytes) {
      if (maxBytes < 0) {
        throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
      }
      this.maxFileBytes = maxBytes;
      return this;
    }

    /** Rotates a non-empty file at the first batch once it is this old; {@code null} (default) for no age limit. */
    public Builder rotateEvery(Duration age) {
      if (age != null && (age.isNegative() || age.isZero())) {
        throw new IllegalArgumentException("age must be positive: " + age);
      }
      this.rotateEvery = age;
      return this;
    }

    /**
     * Adds {@code trace_id} and {@code span_id} to lines of runs that {@code links} knows (for
     * example {@code otelBridge.traceLinks()}), so log lines and spans find each other.
     */
    public Builder traceLinks(TraceLinks links) {
      this.traceLinks = Objects.requireNonNull(links, "links");
      return this;
    }

    /** The codec to share (one is created otherwise). */
    public Builder codec(JsonlCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /** For tests: the monotonic clock (nanoseconds) used for rotation age and fsync intervals. */
    Builder nanoClock(LongSupplier clock) {
      this.nanoClock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Creates the sink; the file is opened at the first batch. */
    public JsonlFileSink build() {
      return new JsonlFileSink(this);
    }
  }
}
