package io.tracewire.exporters.jsonl;

import io.tracewire.core.sink.EventSink;
import io.tracewire.core.event.StreamEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p><b>Order and gaps.</b> Every sink is one writer with its own id ({@link #writerId()}, the
 * line's {@code "w"}) and numbers the lines it writes {@code 1, 2, 3, ...} ({@code "seq"}) in
 * the order it writes them, so one writer's {@code seq} strictly increases in the file whatever
 * the number of producing threads. Events meant for the sink that were lost (dropped by the
 * bus's overflow policy, reported through {@link #dropped}, or in a batch whose write failed)
 * leave a gap of exactly their number. A restarted application is a new writer, so its lines
 * start again at 1 under another id; readers and {@code tracewire validate} check each
 * writer's sequence apart.
 *
 * <p><b>Several writers of one file.</b> Each batch is written under an exclusive lock of the
 * log (a JVM-wide lock per path, then {@link FileChannel#lock()} on the empty lock file
 * {@code .NAME.lock} beside {@code NAME}), and rotation happens under that lock, so several sinks, in one process or in several, may append to the same path,
 * with or without rotation: batches never interleave, and every writer's lines stay in
 * order across the rotated parts. Where the file system does not support locks, the sink
 * writes without them (logged once). A writer waiting for the lock waits on its worker thread,
 * never on the application's.
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

  /** The longest writer id a line may carry: {@value} characters. */
  public static final int MAX_WRITER_ID_LENGTH = 64;

  /** One lock per active file in this JVM, taken before the file lock (file locks are per process). */
  private static final ConcurrentHashMap<String, ReentrantLock> PATH_LOCKS = new ConcurrentHashMap<>();

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
  private final String writerId;
  private final ReentrantLock pathLock;

  /** The seq of the next line; worker thread only. */
  private long nextSeq = 1;
  /** Whether file locks work here; cleared (and logged once) when the file system refuses them. */
  private boolean locking = true;
  private FileChannel channel;
  private FileChannel lockChannel;
  private Object fileKey;
  private long size;
  private long openedAt;
  private long lastForce;
  private boolean dirty;
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
    this.writerId = newWriterId();
    this.encoder = (b.codec != null ? b.codec : new JsonlCodec()).newEncoder(buffer).traceLinks(b.traceLinks)
        .writerId(writerId);
    this.pathLock = PATH_LOCKS.computeIfAbsent(path.normalize().toString(), k -> new ReentrantLock());
  }

  /** {@code <pid>-<12 random hex digits>}: unique among the writers of a log for all practical purposes. */
  private static String newWriterId() {
    long random = ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL;
    return ProcessHandle.current().pid() + "-" + String.format("%012x", random);
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

  /**
   * This writer's id, written as {@code "w"} in every line: the process id and a random part,
   * new for every sink (so for every start of an application).
   */
  public String writerId() {
    return writerId;
  }

  /**
   * Leaves a gap of {@code events} in this writer's {@code seq}: the event bus calls it with the
   * number of events it dropped for this sink, so that readers see exactly how many are missing.
   */
  @Override
  public void dropped(long events) {
    if (events > 0) {
      nextSeq += events;
    }
  }

  public JsonlSinkStats stats() {
    return new JsonlSinkStats(lines.get(), bytes.get(), writeErrors.get(), rotations.get(), reopens.get(), fsyncs.get());
  }

  @Override
  public void export(List<StreamEvent> batch) throws IOException {
    buffer.reset();
    long seq = nextSeq;
    // The numbers are taken whether or not the write succeeds: a failed batch leaves a gap of its size.
    nextSeq += batch.size();
    for (StreamEvent e : batch) {
      encoder.write(e, seq++);
    }
    encoder.flush();
    int n = buffer.size();
    pathLock.lock();
    FileLock lock = null;
    try {
      lock = lockAndOpen();
      long now = nanoClock.getAsLong();
      if (size > 0 && ((maxFileBytes > 0 && size + n > maxFileBytes) || (rotateNanos > 0 && now - openedAt >= rotateNanos))) {
        rotate();
      }
      write(n);
      if (!sameFile()) {
        // The file was deleted or replaced while we wrote: those bytes are gone with it. Write them again.
        reopen();
        size = channel.size();
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
      release(lock);
      lock = null;
      closeQuietly();
      if (!errorLogged) {
        errorLogged = true;
        LOG.warning("JSONL sink could not write " + batch.size() + " events to " + path + ": " + e
            + "; it retries with the next batch (further errors are counted in its stats, not logged)");
        LOG.log(Level.FINE, "JSONL write failure", e);
      }
      throw e;
    } finally {
      release(lock);
      pathLock.unlock();
    }
  }

  /**
   * Takes the lock of the log ({@link #lockFile(Path)}) and opens the active file if needed:
   * returns holding the lock, with the file that is at the path now open (another writer may
   * have rotated the one this sink had open), {@link #size} its current size and its last line
   * terminated. Returns {@code null} when file locks are unsupported here.
   */
  private FileLock lockAndOpen() throws IOException {
    FileLock lock = null;
    if (locking) {
      if (lockChannel == null) {
        lockChannel = FileChannel.open(lockFile(path), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      }
      try {
        lock = lockChannel.lock();
      } catch (IOException | UnsupportedOperationException e) {
        locking = false;
        LOG.info("JSONL sink: file locks are not supported for " + path + " (" + e
            + "); writing without them, so only this writer may append to the file");
      }
    }
    try {
      ensureOpen();
      if (!sameFile()) {
        // Another writer rotated the file since this one's last batch (or someone deleted or replaced it).
        closeQuietly();
        if (!Files.exists(path)) {
          reopens.incrementAndGet();
          LOG.warning("JSONL file " + path + " was deleted under the writer; writing to a new file");
        }
        open();
      }
      long s = channel.size();
      if (s != size) {
        // First batch since opening, or another writer appended: make sure the last line ended.
        s = terminateLastLine(s);
      }
      size = s;
      return lock;
    } catch (IOException | RuntimeException e) {
      release(lock);
      throw e;
    }
  }

  /**
   * The lock file of a log: {@code .NAME.lock} beside the active file {@code NAME}. Writers hold
   * an exclusive lock on it while they write a batch or rotate; it is never rotated itself, so all
   * writers of {@code NAME} agree on it. It stays empty.
   */
  static Path lockFile(Path active) {
    return active.resolveSibling("." + active.getFileName() + ".lock");
  }

  /** Ends an unterminated last line (a crashed writer's) with a newline; the file's new size. */
  private long terminateLastLine(long s) throws IOException {
    if (s == 0) {
      return 0;
    }
    ByteBuffer last = ByteBuffer.allocate(1);
    try (FileChannel r = FileChannel.open(path, StandardOpenOption.READ)) {
      r.read(last, s - 1);
    }
    if (last.position() == 1 && last.get(0) != '\n') {
      // A crash left a truncated last line: end it so that it stays one malformed line.
      ByteBuffer nl = ByteBuffer.wrap(new byte[] {'\n'});
      while (nl.hasRemaining()) {
        channel.write(nl);
      }
      return s + 1;
    }
    return s;
  }

  private static void release(FileLock lock) {
    if (lock != null && lock.isValid()) {
      try {
        lock.release();
      } catch (IOException ignored) {
        // the channel is broken; closing it releases the lock
      }
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
      if (lockChannel != null) {
        try {
          lockChannel.close();
        } catch (IOException ignored) {
          // only the lock file's descriptor
        }
        lockChannel = null;
      }
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
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    try {
      channel = ch;
      size = -1; // unknown until lockAndOpen reads it and checks the last line
      fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      openedAt = nanoClock.getAsLong();
      lastForce = openedAt;
    } catch (IOException | RuntimeException e) {
      channel = null;
      ch.close();
      throw e;
    }
  }

  /**
   * Renames the active file to the next free {@code NAME.n} and starts a new one, under the log's
   * lock (so no other writer writes or rotates meanwhile).
   */
  private void rotate() throws IOException {
    if (fsync != FsyncPolicy.NEVER && dirty) {
      force();
    }
    Path target = rotatedFile(path, highestRotatedIndex(path) + 1);
    Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
    rotations.incrementAndGet();
    closeQuietly();
    open();
    size = channel.size();
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
