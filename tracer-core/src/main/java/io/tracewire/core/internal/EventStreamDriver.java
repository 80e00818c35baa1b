package io.tracewire.core.internal;

import io.tracewire.core.util.Frozen;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.EventFilter;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.event.spi.ConfigAccess;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code streamEvents}: LangChain's {@code _astream_events_implementation_v2}. The collector is a
 * listener attached (inheritably) to the root config; the root stream is pulled on the consumer
 * thread, and events queue up until the consumer takes them. The first event taken gets the
 * original input; later end events of that run lose theirs.
 *
 * <p>Events emitted on the thread that is pulling the root stream (most of them: the runs of a
 * stream execute where it is pulled) go to a plain deque that only that thread touches; events
 * of runs on other threads go to a concurrent queue. The consumer takes whichever head has the
 * lower {@link StreamEvent#seq()}, which is the order the events were emitted in, as far as a
 * single concurrent queue would keep it.
 */
public final class EventStreamDriver<I> implements CloseableIterator<StreamEvent>, RunListener {
  private static final Logger LOG = Logger.getLogger(EventStreamDriver.class.getName());

  /** The root runnable's {@code stream(input, config)}. */
  private final BiFunction<? super I, RunConfig, ? extends CloseableIterator<?>> root;
  private final I input;
  private final RunConfig rootConfig;
  private final RootTap tap;
  private final EventFilter filter;
  /** Events from threads other than the one pulling. */
  private final ConcurrentLinkedQueue<StreamEvent> queue = new ConcurrentLinkedQueue<>();
  /** Events emitted by the pulling thread while it pulls; touched by that thread only. */
  private final ArrayDeque<StreamEvent> local = new ArrayDeque<>(16); // a pull of a short stream queues all of its runs' events
  /**
   * The thread inside {@link #pump} now, or {@code null}. Plain, not volatile: other threads only
   * compare it with themselves, and a thread can only read itself here between its own write
   * and its own clearing of it, whatever else it sees stale.
   */
  private Thread pulling;
  /**
   * The run ids of the start events taken so far, for the duplicate-id warning: an
   * open-addressing table (linear probing, at most half full), made at the first start event.
   * Touched by the consumer thread only, so no lock.
   */
  private String[] startedIds;
  private int startedCount;
  private CloseableIterator<?> rootStream;
  private boolean finished;
  private Throwable failure;
  private boolean firstTaken;
  private String firstRunId;
  private StreamEvent next;
  private volatile boolean closed;
  private final java.lang.Runnable supportCheck;

  public EventStreamDriver(BiFunction<? super I, RunConfig, ? extends CloseableIterator<?>> root, java.lang.Runnable supportCheck, I input, RunConfig config, EventFilter filter) {
    this.root = root;
    this.supportCheck = supportCheck;
    this.input = input;
    this.filter = filter;
    RunConfig c = Runs.ensure(config);
    UUID rootId = c.runId() != null ? c.runId() : c.runIdGenerator().next();
    this.tap = new RootTap(rootId);
    this.rootConfig = ConfigAccess.get().asStreamRoot(c, rootId, this, tap);
  }

  // ---- listener side (any thread)

  @Override
  public void onEvent(StreamEvent e) {
    if (!filter.test(e)) {
      return;
    }
    if (Thread.currentThread() == pulling) {
      local.add(e);
    } else {
      queue.add(e);
    }
  }

  /** The next event in emission order, or {@code null}. */
  private StreamEvent poll() {
    StreamEvent mine = local.peekFirst();
    if (mine == null) {
      return queue.poll();
    }
    StreamEvent other = queue.peek();
    if (other != null && other.seq() < mine.seq()) {
      return queue.poll();
    }
    return local.pollFirst();
  }

  @Override
  public boolean streamsTokens() {
    return true;
  }

  // ---- consumer side

  @Override
  public boolean hasNext() {
    while (next == null) {
      StreamEvent e = poll();
      if (e != null) {
        if (e.event().endsWith("_start")) {
          checkUnique(e);
        }
        next = fixUp(e);
        return true;
      }
      if (finished) {
        if (failure != null) {
          Throwable f = failure;
          failure = null;
          throw Engine.unchecked(f);
        }
        return false;
      }
      pump();
    }
    return true;
  }

  private void pump() {
    if (closed) {
      finished = true;
      return;
    }
    pulling = Thread.currentThread();
    try {
      if (rootStream == null) {
        supportCheck.run();
        rootStream = root.apply(input, rootConfig);
      }
      if (rootStream.hasNext()) {
        tap.onChunk(rootStream.next());
      } else {
        finished = true;
        rootStream.close();
      }
    } catch (Throwable t) {
      finished = true;
      failure = t;
      if (rootStream != null) {
        rootStream.close();
      }
    } finally {
      pulling = null;
    }
  }

  /**
   * Warns when a start event reuses the run id of an earlier start event of this stream. Called
   * by the consumer as it takes the events, in emission order, so the warning comes when the
   * duplicate is taken rather than when it is emitted.
   */
  private void checkUnique(StreamEvent e) {
    String id = e.runId();
    String[] t = startedIds;
    if (t == null) {
      t = new String[16];
      startedIds = t;
    } else if (startedCount * 2 >= t.length) {
      t = grown(t);
      startedIds = t;
    }
    int mask = t.length - 1;
    for (int i = slot(id) & mask; ; i = (i + 1) & mask) {
      String s = t[i];
      if (s == null) {
        t[i] = id;
        startedCount++;
        return;
      }
      if (s.equals(id)) {
        LOG.log(Level.WARNING, "duplicate run id " + id + ": run '" + e.name()
            + "' reuses the id of an earlier run in this event stream; its events are still delivered,"
            + " but consumers that key runs by id will mix them up");
        return;
      }
    }
  }

  /**
   * A hash of the last eight characters of a run id: the random bits of a UUID v7 or v4 and the
   * counter of a sequential id are there, and hashing them alone costs a quarter of
   * {@link String#hashCode} on a fresh 36-character id (whose hash nobody has cached).
   */
  private static int slot(String id) {
    int h = 0;
    for (int i = Math.max(0, id.length() - 8); i < id.length(); i++) {
      h = 31 * h + id.charAt(i);
    }
    return h ^ (h >>> 16);
  }

  private static String[] grown(String[] t) {
    String[] g = new String[t.length * 2];
    int mask = g.length - 1;
    for (String s : t) {
      if (s != null) {
        int i = slot(s) & mask;
        while (g[i] != null) {
          i = (i + 1) & mask;
        }
        g[i] = s;
      }
    }
    return g;
  }

  private StreamEvent fixUp(StreamEvent e) {
    if (!firstTaken) {
      firstTaken = true;
      firstRunId = e.runId();
      if (e.data() instanceof Map<?, ?> m && !e.isCustom()) {
        if (m.size() == 1 && m.containsKey("input")) {
          return e.withData(Frozen.of1("input", input)); // the usual start data, without a map copy
        }
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        m.forEach((k, v) -> d.put((String) k, v));
        d.put("input", input);
        return e.withData(Frozen.adopt(d));
      }
      return e;
    }
    if (e.event().endsWith("_end") && e.runId().equals(firstRunId) && e.hasData("input")) {
      LinkedHashMap<String, Object> d = new LinkedHashMap<>();
      ((Map<?, ?>) e.data()).forEach((k, v) -> d.put((String) k, v));
      d.remove("input");
      return e.withData(Frozen.adopt(d));
    }
    return e;
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

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CloseableIterator<?> s = rootStream;
    if (s != null) {
      s.close();
    }
  }
}
