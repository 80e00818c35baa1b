package io.tracewire.core.sink;

import io.tracewire.core.event.spi.BusAccess;
import io.tracewire.core.RunConfig;
import io.tracewire.core.Tracewire;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.StreamEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers events to {@link EventSink}s asynchronously: one bounded queue (an array ring under
 * one lock) and one daemon worker thread per sink, batches of up to
 * {@link SinkConfig#maxBatch()} events, a named {@link OverflowPolicy} per sink, exact counters
 * ({@link #stats()}) and one {@code java.util.logging} warning on a sink's first drop. A sink
 * gets only the kinds of events it accepts ({@link EventSink#acceptedKinds()}, resolved once
 * when the bus is built): the others never enter its queue.
 *
 * <p>The bus is itself a {@link RunListener}: install it globally with {@link Tracewire}, or
 * attach it to one call with {@code RunConfig.builder().listener(bus)}. {@link #onEvent} runs on
 * the producing thread and only enqueues (serialization and I/O happen on the sink's worker); it
 * never throws, and it blocks only for a sink whose policy is {@link OverflowPolicy#BLOCK} while
 * that sink's queue is full. Events produced on a bus worker thread never block, whatever the
 * policy, so a sink whose own work is traced cannot deadlock the bus.
 *
 * <p>A slow, failing or closed sink affects only its own queue and counters, never the other
 * sinks. Ordering: each sink sees the events of one producing thread in the order they were
 * produced.
 *
 * <p>Lifecycle: {@link Builder#build()} starts the workers; {@link #close(Duration)} stops
 * accepting events, delivers what is queued, flushes and closes every sink. Thread-safe.
 */
public final class EventBus implements RunListener, AutoCloseable {
  static {
    BusAccess.install(new BusAccess() {
      @Override
      public boolean saturated(RunListener bus, String event) {
        return ((EventBus) bus).saturated(event);
      }

      @Override
      public void dropUnbuilt(RunListener bus, String event) {
        ((EventBus) bus).dropUnbuilt(event);
      }
    });
  }

  /** The timeout of {@link #close()}: {@value} seconds. */
  public static final long DEFAULT_CLOSE_TIMEOUT_SECONDS = 10;

  private static final Logger LOG = Logger.getLogger(EventBus.class.getName());

  private final SinkWorker[] workers;
  /** Per worker, the mask of the event kinds its sink accepts ({@link EventSink#acceptedKinds()}). */
  private final int[] accepts;
  /** Whether some sink accepts less than every kind; when not, events are offered without a look at their kind. */
  private final boolean filtering;
  private final boolean streamsTokens;

  private EventBus(List<SinkWorker> workers) {
    this.workers = workers.toArray(new SinkWorker[0]);
    this.accepts = new int[this.workers.length];
    boolean anyFilter = false;
    for (int i = 0; i < this.workers.length; i++) {
      accepts[i] = acceptedMask(this.workers[i]);
      anyFilter |= accepts[i] != EventKind.ALL_BITS;
    }
    this.filtering = anyFilter;
    boolean tokens = false;
    for (SinkWorker w : this.workers) {
      tokens |= w.sink.streamsTokens();
    }
    this.streamsTokens = tokens;
    for (SinkWorker w : this.workers) {
      w.start();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The sink's {@link EventSink#acceptedKinds()} as a mask; every kind when it answers null or throws. */
  private static int acceptedMask(SinkWorker w) {
    try {
      Set<EventKind> kinds = w.sink.acceptedKinds();
      return kinds == null ? EventKind.ALL_BITS : EventKind.mask(kinds);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "tracewire sink '" + w.config.name() + "' threw from acceptedKinds(); it gets every event", e);
      return EventKind.ALL_BITS;
    }
  }

  /**
   * Enqueues the event for every sink that accepts its kind, according to each sink's policy.
   * Never throws.
   */
  @Override
  public void onEvent(StreamEvent event) {
    SinkWorker[] ws = workers;
    if (!filtering) {
      for (SinkWorker w : ws) {
        w.offer(event);
      }
      return;
    }
    int bit = EventKind.bitOf(event.event());
    int[] masks = accepts;
    for (int i = 0; i < ws.length; i++) {
      if ((masks[i] & bit) != 0) {
        ws[i].offer(event);
      }
    }
  }

  /**
   * Whether every sink that accepts events named {@code event} would drop one offered now
   * ({@link SinkWorker#saturated()}: a DROP_NEWEST sink whose queue is full, or a closed one); a
   * sink that does not accept the kind does not count. Lock-free.
   */
  boolean saturated(String event) {
    return saturated(filtering ? EventKind.bitOf(event) : EventKind.ALL_BITS);
  }

  /** {@link #saturated(String)} for an event of any kind: whether every sink would drop it. */
  boolean saturated() {
    return saturated(EventKind.ALL_BITS);
  }

  private boolean saturated(int bit) {
    for (int i = 0; i < workers.length; i++) {
      if ((accepts[i] & bit) != 0 && !workers[i].saturated()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Counts one dropped event on every sink that accepts events named {@code event}, for an event
   * that was not built: see {@link #saturated(String)}.
   */
  void dropUnbuilt(String event) {
    int bit = filtering ? EventKind.bitOf(event) : EventKind.ALL_BITS;
    for (int i = 0; i < workers.length; i++) {
      if ((accepts[i] & bit) != 0) {
        workers[i].drop();
      }
    }
  }

  /** Whether any sink asks chat models to stream tokens ({@link EventSink#streamsTokens()}). */
  @Override
  public boolean streamsTokens() {
    return streamsTokens;
  }

  /**
   * Waits until every event enqueued before this call has been exported (or has failed or been
   * dropped) and each sink's {@link EventSink#flush} has returned. May block up to
   * {@code timeout}; must not be called from a sink's own worker thread (it then returns
   * {@code false} at once).
   *
   * @return whether every sink was flushed within the timeout without throwing
   */
  public boolean flush(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (Thread.currentThread() instanceof SinkWorker.BusThread) {
      return false;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean ok = true;
    try {
      for (SinkWorker w : workers) {
        ok &= w.flush(deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return ok;
  }

  /**
   * Stops accepting events (later events are counted as dropped), delivers the queued ones,
   * flushes and closes every sink, and waits for the workers to stop, up to {@code timeout} in
   * all. A sink that has not stopped by then is abandoned: its worker is interrupted and its
   * still-queued events are counted as dropped. Idempotent.
   *
   * @return whether every worker stopped within the timeout
   */
  public boolean close(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    for (SinkWorker w : workers) {
      w.beginClose();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean ok = true;
    try {
      for (SinkWorker w : workers) {
        ok &= w.awaitClose(deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return ok;
  }

  /** {@link #close(Duration)} with {@value #DEFAULT_CLOSE_TIMEOUT_SECONDS} seconds. */
  @Override
  public void close() {
    close(Duration.ofSeconds(DEFAULT_CLOSE_TIMEOUT_SECONDS));
  }

  /** A snapshot of every sink's counters, in registration order. */
  public List<SinkStats> stats() {
    List<SinkStats> out = new ArrayList<>(workers.length);
    for (SinkWorker w : workers) {
      out.add(w.stats());
    }
    return List.copyOf(out);
  }

  /** A snapshot of the named sink's counters. */
  public SinkStats stats(String sinkName) {
    for (SinkWorker w : workers) {
      if (w.config.name().equals(sinkName)) {
        return w.stats();
      }
    }
    throw new IllegalArgumentException("no sink named " + sinkName);
  }

  /** Builds an {@link EventBus}; not thread-safe. */
  public static final class Builder {
    private final List<EventSink> sinks = new ArrayList<>();
    private final List<SinkConfig> configs = new ArrayList<>();

    private Builder() {}

    /** Adds a sink with the default {@link SinkConfig} named after its class. */
    public Builder sink(EventSink sink) {
      Objects.requireNonNull(sink, "sink");
      String simple = sink.getClass().getSimpleName();
      return sink(sink, SinkConfig.named(simple.isEmpty() ? "sink" : simple));
    }

    /** Adds a sink with this config. Names are made unique by appending {@code -2}, {@code -3}... */
    public Builder sink(EventSink sink, SinkConfig config) {
      Objects.requireNonNull(sink, "sink");
      Objects.requireNonNull(config, "config");
      sinks.add(sink);
      configs.add(config);
      return this;
    }

    /** Whether no sink was added. */
    boolean isEmpty() {
      return sinks.isEmpty();
    }

    /** Creates the bus and starts one worker thread per sink. */
    public EventBus build() {
      Set<String> names = new HashSet<>();
      List<SinkWorker> workers = new ArrayList<>();
      for (int i = 0; i < sinks.size(); i++) {
        SinkConfig c = configs.get(i);
        String name = c.name();
        for (int n = 2; !names.add(name); n++) {
          name = c.name() + "-" + n;
        }
        workers.add(new SinkWorker(sinks.get(i), new SinkConfig(name, c.capacity(), c.policy(), c.maxBatch())));
      }
      return new EventBus(workers);
    }
  }
}
