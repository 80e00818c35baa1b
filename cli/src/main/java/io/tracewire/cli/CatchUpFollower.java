package io.tracewire.cli;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.jsonl.JsonlCodec;
import io.tracewire.exporters.jsonl.JsonlFollower;
import io.tracewire.exporters.jsonl.JsonlReader;
import io.tracewire.exporters.jsonl.ReadOptions;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Follows a JSONL log from its very beginning, rotated parts included. A follower alone starts
 * with whatever file is active when it first opens one, so the writer may already have rotated
 * earlier events away. Here, when the follower delivers its first event, every older event of the
 * log (those with a smaller {@code seq}, from the rotated parts and the active file) is read and
 * delivered first; events the follower then returns again are skipped by {@code seq}. This
 * assumes one writer per log, whose {@code seq} increases. Not thread-safe, like the follower.
 */
final class CatchUpFollower implements Closeable {
  private final Path file;
  private final JsonlFollower follower;
  private final JsonlCodec codec;
  private final ReadOptions options;
  private final boolean fromStart;
  private final ArrayDeque<StreamEvent> pending = new ArrayDeque<>();
  private boolean caughtUp;

  CatchUpFollower(Path file, boolean fromStart, JsonlCodec codec, ReadOptions options) {
    this.file = file;
    this.fromStart = fromStart;
    this.codec = codec;
    this.options = options;
    this.follower = JsonlFollower.follow(file, fromStart, codec, options,
        Duration.ofMillis(JsonlFollower.DEFAULT_POLL_INTERVAL_MILLIS));
    this.caughtUp = !fromStart;
  }

  /** The next event, waiting up to {@code timeout}; {@code null} when none came. */
  StreamEvent poll(Duration timeout) throws IOException, InterruptedException {
    if (!pending.isEmpty()) {
      return pending.poll();
    }
    StreamEvent e = follower.poll(timeout);
    if (e == null || caughtUp) {
      return e;
    }
    caughtUp = true;
    try (JsonlReader r = JsonlReader.open(JsonlReader.logFiles(file), codec,
        new ReadOptions(options.maxLineBytes(), null))) {
      while (r.hasNext()) {
        StreamEvent old = r.next();
        if (old.seq() < e.seq()) {
          pending.add(old);
        }
      }
    }
    pending.add(e);
    return pending.poll();
  }

  @Override
  public void close() throws IOException {
    follower.close();
  }

  boolean fromStart() {
    return fromStart;
  }
}
