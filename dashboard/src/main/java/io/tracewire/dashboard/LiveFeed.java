package io.tracewire.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * The replay buffer behind Server-Sent Events: two bounded rings (root-run updates and raw
 * events) sharing one monotonic position counter, which is the SSE {@code id}. A client that
 * reconnects with {@code Last-Event-ID: n} gets every retained message after {@code n}; when
 * messages after {@code n} have already been overwritten, it is told to reset (reload over REST)
 * instead of silently missing them.
 *
 * <p>Thread-safety: all methods synchronize on this feed; the ingest thread publishes, SSE
 * threads read and wait.
 */
final class LiveFeed {
  static final int RUN = 0;
  static final int EVENT = 1;

  /**
   * One message: position, kind, the root run id it belongs to, and its JSON; event messages hold
   * a reference into the store ({@code ref}, {@code index}) instead, encoded when sent.
   */
  record Message(long id, int kind, String root, byte[] json, Object ref, int index) {}

  /** The messages after a position, or {@code reset} when some of them are gone. */
  record Slice(List<Message> messages, boolean reset, long head) {}

  private final Message[][] rings;
  private final int[] next = new int[2];
  private final int[] size = new int[2];
  private final long[] lostUpTo = new long[2];
  private long head;
  private long wakes;
  private boolean closed;

  LiveFeed(int runCapacity, int eventCapacity) {
    rings = new Message[][] {new Message[runCapacity], new Message[Math.max(1, eventCapacity)]};
  }

  synchronized long head() {
    return head;
  }

  synchronized void publish(int kind, String root, byte[] json) {
    publish(kind, root, json, null, -1);
  }

  synchronized void publish(int kind, String root, byte[] json, Object ref, int index) {
    Message[] ring = rings[kind];
    Message old = ring[next[kind]];
    if (old != null) {
      lostUpTo[kind] = old.id;
    }
    ring[next[kind]] = new Message(++head, kind, root, json, ref, index);
    next[kind] = (next[kind] + 1) % ring.length;
    size[kind] = Math.min(size[kind] + 1, ring.length);
    notifyAll();
  }

  /**
   * Retained messages with id greater than {@code after} of the wanted kinds (events only of
   * {@code root} when it is not {@code null}), oldest first, at most {@code max}.
   */
  synchronized Slice after(long after, boolean runs, boolean events, String root, int max) {
    if (after > head || (runs && after < lostUpTo[RUN]) || (events && after < lostUpTo[EVENT])) {
      return new Slice(List.of(), true, head);
    }
    List<Message> out = new ArrayList<>();
    List<Message> r = runs ? tail(RUN, after) : List.of();
    List<Message> e = events ? tail(EVENT, after) : List.of();
    int i = 0;
    int j = 0;
    while ((i < r.size() || j < e.size()) && out.size() < max) {
      Message m;
      if (j >= e.size() || (i < r.size() && r.get(i).id < e.get(j).id)) {
        m = r.get(i++);
      } else {
        m = e.get(j++);
      }
      if (m.kind == EVENT && root != null && !root.equals(m.root)) {
        continue;
      }
      out.add(m);
    }
    return new Slice(out, false, head);
  }

  private List<Message> tail(int kind, long after) {
    Message[] ring = rings[kind];
    int n = size[kind];
    int k = 0;
    while (k < n && ring[Math.floorMod(next[kind] - 1 - k, ring.length)].id > after) {
      k++;
    }
    List<Message> out = new ArrayList<>(k);
    for (int x = k; x >= 1; x--) {
      out.add(ring[Math.floorMod(next[kind] - x, ring.length)]);
    }
    return out;
  }

  /** Waits until a message after {@code after} exists, the feed closes, or the timeout passes. */
  synchronized boolean await(long after, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    long w = wakes;
    while (head <= after && !closed && w == wakes) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return !closed;
  }

  /** Wakes every waiting reader so it can re-check its own state. */
  synchronized void wakeAll() {
    wakes++;
    notifyAll();
  }

  synchronized boolean closed() {
    return closed;
  }

  synchronized void close() {
    closed = true;
    notifyAll();
  }
}
