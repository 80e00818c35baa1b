package io.tracewire.cli;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.jsonl.JsonlCodec;
import io.tracewire.exporters.jsonl.JsonlFollower;
import io.tracewire.exporters.jsonl.JsonlReader;
import io.tracewire.exporters.jsonl.LineOrigin;
import io.tracewire.exporters.jsonl.ReadOptions;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Follows a JSONL log from its very beginning, rotated parts included. A follower alone starts
 * with whatever file is active when it first opens one, so the writer may already have rotated
 * earlier events away. Here, when the follower delivers its first event, the log is read from the
 * start (rotated parts, then the active file) up to that event's line, found by its writer id and
 * {@code seq} (which identify a line, whatever the number of writers); the events before it are
 * delivered first. If that line is not found (the log rotated again meanwhile), the older events
 * of the same writer, by {@code seq}, are. Not thread-safe, like the follower.
 */
final class CatchUpFollower implements Closeable {
  private final Path file;
  private final JsonlFollower follower;
  private final JsonlCodec codec;
  private final ReadOptions options;
  private final boolean fromStart;
  private final ArrayDeque<StreamEvent> pending = new ArrayDeque<>();
  private final ArrayDeque<LineOrigin> pendingOrigins = new ArrayDeque<>();
  private LineOrigin lastOrigin;
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
      lastOrigin = pendingOrigins.poll();
      return pending.poll();
    }
    StreamEvent e = follower.poll(timeout);
    if (e == null || caughtUp) {
      lastOrigin = follower.lastOrigin();
      return e;
    }
    caughtUp = true;
    LineOrigin first = follower.lastOrigin();
    List<StreamEvent> before = new ArrayList<>();
    List<LineOrigin> beforeOrigins = new ArrayList<>();
    boolean found = false;
    try (JsonlReader r = JsonlReader.open(JsonlReader.logFiles(file), codec,
        new ReadOptions(options.maxLineBytes(), null))) {
      while (r.hasNext()) {
        StreamEvent old = r.next();
        LineOrigin o = r.lastOrigin();
        if (Objects.equals(o.writer(), first.writer()) && o.seq() == first.seq()) {
          found = true;
          break;
        }
        before.add(old);
        beforeOrigins.add(o);
      }
    }
    for (int i = 0; i < before.size(); i++) {
      LineOrigin o = beforeOrigins.get(i);
      if (found || (Objects.equals(o.writer(), first.writer()) && o.seq() < first.seq())) {
        pending.add(before.get(i));
        pendingOrigins.add(o);
      }
    }
    pending.add(e);
    pendingOrigins.add(first);
    lastOrigin = pendingOrigins.poll();
    return pending.poll();
  }

  /** Where the event last returned by {@link #poll} came from. */
  LineOrigin lastOrigin() {
    return lastOrigin;
  }

  @Override
  public void close() throws IOException {
    follower.close();
  }

  boolean fromStart() {
    return fromStart;
  }
}
