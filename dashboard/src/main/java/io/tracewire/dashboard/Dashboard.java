package io.tracewire.dashboard;

import com.sun.net.httpserver.HttpServer;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.jsonl.JsonlCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An embeddable web dashboard: a live view of runs, token streams and timings, served over HTTP
 * (REST, Server-Sent Events and a static UI) from an in-memory store of events.
 *
 * <p><b>Feeding it.</b> Events arrive through {@link #ingest} (never blocks: a bounded queue whose
 * overflow policy is <em>drop newest</em>, drops counted in {@link #stats()} and warned about
 * once), {@link #ingestBlocking} (waits for queue space: for replaying logs), or
 * {@link #listener()}, a {@link RunListener} to attach to runs in-process. One daemon thread
 * ({@code tracewire-dashboard-ingest}) drains the queue in batches into the store; events of one
 * producer thread are stored in the order they were ingested.
 *
 * <p><b>Security.</b> Binds to {@value Builder#DEFAULT_BIND_ADDRESS} by default; binding to any
 * other address requires an access token, which clients send as {@code Authorization: Bearer
 * <token>}, a {@code tracewire_token} cookie, or once as {@code ?token=} on the page URL (which
 * sets the cookie). Without a token only requests whose {@code Host} is a loopback name are
 * served (a defence against DNS rebinding). Every response carries a strict
 * Content-Security-Policy and {@code X-Content-Type-Options: nosniff}; the UI renders all event
 * content as text.
 *
 * <p><b>Memory.</b> Bounded by {@link Builder#maxRootRuns}, {@link Builder#maxEvents} and
 * {@link Builder#maxStoredBytes}: the oldest root runs are evicted first, whole trees at a time.
 *
 * <p>Thread-safe. {@link #close()} stops the server and the ingest thread; events still queued
 * are discarded.
 */
public final class Dashboard implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("io.tracewire.dashboard");
  private static final int BATCH = 512;

  private final ArrayBlockingQueue<Object> queue;
  private final RunStore store;
  private final LiveFeed feed;
  private final HttpServer server;
  private final FrontDoor frontDoor;
  private final ExecutorService httpPool;
  private final Thread ingestThread;
  private final URI uri;
  private final HttpApi api;
  private final AtomicLong ingested = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicBoolean warnedDrop = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final RunListener listener = new RunListener() {
    @Override
    public void onEvent(StreamEvent event) {
      ingest(event);
    }

    @Override
    public boolean streamsTokens() {
      return true;
    }
  };

  /**
   * Statistics: events accepted and dropped by the queue, what the store holds now, and
   * connections the server closed to protect itself.
   *
   * @param refusedConnections connections closed at once: over {@link Builder#maxConnectionsPerClient}
   *     from one client address, or with a request head over 32 KiB
   * @param timedOutRequests connections closed because a request was not complete and answered
   *     within {@link Builder#requestTimeout}
   * @param idleConnectionsClosed connections closed after {@link Builder#idleTimeout} of silence
   */
  public record Stats(long ingested, long dropped, int rootRuns, int runs, long storedEvents,
      long estimatedBytes, long evictedRootRuns, long refusedConnections, long timedOutRequests,
      long idleConnectionsClosed) {}

  private Dashboard(Builder b) {
    this.queue = new ArrayBlockingQueue<>(b.queueCapacity);
    JsonlCodec.LineParts json = new JsonlCodec().lineParts(b.maxStringChars, RunStore.MAX_DEPTH);
    this.store = new RunStore(json, b.maxRootRuns, b.maxEvents, b.maxStoredBytes);
    this.feed = new LiveFeed(b.replayBufferSize, b.replayBufferSize);
    // The JDK server otherwise leaves Nagle's algorithm on, which delays small responses by the
    // peer's delayed ACK (about 40 ms). Read once, when the JDK's server configuration loads.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    InetAddress addr;
    try {
      addr = InetAddress.getByName(b.bindAddress);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bindAddress: unknown host " + b.bindAddress, e);
    }
    if (!addr.isLoopbackAddress() && b.accessToken == null) {
      throw new IllegalStateException(
          "binding to " + b.bindAddress + " (not loopback) requires an access token: call accessToken(...)");
    }
    // The JDK server parses HTTP but reads each request head on an executor thread without a
    // time limit; it listens on loopback only, behind the front door, which hands it a connection
    // once a complete request head has arrived (see FrontDoor).
    try {
      this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the dashboard's internal server on loopback", e);
    }
    try {
      this.frontDoor = new FrontDoor(new InetSocketAddress(addr, b.port), 128, server.getAddress(),
          b.maxConnectionsPerClient, b.requestTimeout.toNanos(), b.idleTimeout.toNanos());
    } catch (UncheckedIOException e) {
      server.stop(0);
      throw e;
    }
    AtomicInteger n = new AtomicInteger();
    this.httpPool = Executors.newFixedThreadPool(b.maxConnections, r -> {
      Thread t = new Thread(r, "tracewire-dashboard-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(httpPool);
    // Live streams send a comment at least twice per idle timeout, so the front door never
    // takes a waiting stream for an idle connection.
    long heartbeat = Math.min(HttpApi.MAX_HEARTBEAT_MILLIS, Math.max(1, b.idleTimeout.toMillis() / 2));
    this.api = new HttpApi(store, feed, b.accessToken, this::stats, Math.max(1, b.maxConnections / 2), heartbeat);
    server.createContext("/", api);
    this.ingestThread = new Thread(this::drain, "tracewire-dashboard-ingest");
    ingestThread.setDaemon(true);
    ingestThread.start();
    server.start();
    frontDoor.start();
    String host = addr.getHostAddress().contains(":") ? "[" + addr.getHostAddress() + "]" : addr.getHostAddress();
    this.uri = URI.create("http://" + host + ":" + frontDoor.port() + "/");
  }

  /** Starts configuring a dashboard. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Offers one event to the dashboard without blocking. Returns {@code false} when the queue is
   * full or the dashboard is closed (the event is dropped and counted). Any thread.
   */
  public boolean ingest(StreamEvent event) {
    Objects.requireNonNull(event, "event");
    if (closed.get()) {
      return false;
    }
    if (queue.offer(event)) {
      ingested.incrementAndGet();
      return true;
    }
    dropped.incrementAndGet();
    if (warnedDrop.compareAndSet(false, true)) {
      LOG.warning("dashboard ingest queue is full (" + queue.size()
          + " events); dropping new events (policy DROP_NEWEST); further drops are counted in Dashboard.stats()");
    }
    return false;
  }

  /**
   * Adds one event, waiting for queue space: for sources that prefer back-pressure to loss, such
   * as a log being replayed. Returns {@code false} if the dashboard is closed.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean ingestBlocking(StreamEvent event) throws InterruptedException {
    Objects.requireNonNull(event, "event");
    while (!closed.get()) {
      if (queue.offer(event, 100, TimeUnit.MILLISECONDS)) {
        ingested.incrementAndGet();
        return true;
      }
    }
    return false;
  }

  /**
   * A listener that feeds this dashboard through {@link #ingest}: attach it with
   * {@code RunConfig.builder().listener(dashboard.listener())}. It never blocks and never throws.
   * It asks chat models to stream token by token even when invoked (as LangChain's streaming
   * callback handlers do), so the dashboard can show chunk timing.
   */
  public RunListener listener() {
    return listener;
  }

  /**
   * An asynchronous sink that feeds this dashboard, for {@code Tracewire.builder().sink(...)} or
   * an {@code EventBus}: events reach the dashboard from the bus's worker thread, waiting for
   * queue space (the bus's own overflow policy then protects the application). Closing the sink
   * does not close the dashboard.
   */
  public io.tracewire.core.sink.EventSink sink() {
    return new io.tracewire.core.sink.EventSink() {
      @Override
      public void export(java.util.List<StreamEvent> batch) throws InterruptedException {
        for (StreamEvent e : batch) {
          if (!ingestBlocking(e)) {
            return;
          }
        }
      }

      @Override
      public boolean streamsTokens() {
        return true;
      }
    };
  }

  /**
   * Waits until every event ingested before this call is in the store (visible over HTTP).
   * Returns {@code false} on timeout. For tests and orderly shutdown; any thread but the ingest
   * thread.
   */
  public boolean flush(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    Marker m = new Marker();
    if (!queue.offer(m, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return false;
    }
    return m.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The base address of the UI and API, such as {@code http://127.0.0.1:7070/}. */
  public URI uri() {
    return uri;
  }

  /** The port the server listens on (useful with port 0). */
  public int port() {
    return uri.getPort();
  }

  /** A snapshot of the counters. */
  public Stats stats() {
    return new Stats(ingested.get(), dropped.get(), store.rootCount(), store.runCount(), store.storedEvents(),
        store.estimatedBytes(), store.evictedRoots(), frontDoor.refused(), frontDoor.timedOut(),
        frontDoor.idleClosed());
  }

  /** Stops serving and ingesting; idempotent. Open Server-Sent Event streams end. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    feed.close();
    frontDoor.close();
    server.stop(0);
    ingestThread.interrupt();
    httpPool.shutdownNow();
  }

  /** Test support: drops open live streams and holds reconnections until {@link #resumeLiveStreams}. */
  void pauseLiveStreams() {
    api.pauseStreams();
  }

  void resumeLiveStreams() {
    api.resumeStreams();
  }

  long resumedLiveStreams() {
    return api.resumedStreams();
  }

  private static final class Marker {
    final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
  }

  private void drain() {
    List<Object> batch = new ArrayList<>(BATCH);
    List<StreamEvent> events = new ArrayList<>(BATCH);
    List<Marker> markers = new ArrayList<>();
    while (!closed.get()) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch, BATCH - 1);
      for (Object o : batch) {
        if (o instanceof StreamEvent e) {
          events.add(e);
        } else {
          markers.add((Marker) o);
        }
      }
      try {
        if (!events.isEmpty()) {
          RunStore.Applied a = store.apply(events);
          for (int i = 0; i < a.eventRoots().size(); i++) {
            RunTree r = a.eventRoots().get(i);
            feed.publish(LiveFeed.EVENT, r.run.id, null, r, a.eventIndexes()[i]);
          }
          for (RunTree r : a.touched()) {
            feed.publish(LiveFeed.RUN, r.run.id, store.rootSummary(r));
          }
        }
      } catch (RuntimeException | StackOverflowError e) {
        LOG.log(Level.WARNING, "dashboard could not store a batch of " + events.size() + " events; skipped", e);
      }
      for (Marker m : markers) {
        m.done.countDown();
      }
      batch.clear();
      events.clear();
      markers.clear();
    }
  }

  /**
   * Configures a {@link Dashboard}. Setters validate at once; {@link #start()} binds the port.
   * Not thread-safe.
   */
  public static final class Builder {
    /** Default port. */
    public static final int DEFAULT_PORT = 7070;
    /** Default bind address: loopback only. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    /** Default number of root runs kept. */
    public static final int DEFAULT_MAX_ROOT_RUNS = 10_000;
    /** Default number of events kept. */
    public static final long DEFAULT_MAX_EVENTS = 1_000_000;
    /** Default budget of the store's estimated size in bytes. */
    public static final long DEFAULT_MAX_STORED_BYTES = 512L * 1024 * 1024;
    /** Default ingest queue capacity. */
    public static final int DEFAULT_QUEUE_CAPACITY = 65_536;
    /** Default number of live messages kept per kind for Server-Sent Event resumption. */
    public static final int DEFAULT_REPLAY_BUFFER_SIZE = 10_000;
    /** Default longest string kept in an event payload; longer strings are cut and marked. */
    public static final int DEFAULT_MAX_STRING_CHARS = 32_768;
    /** Default maximum of concurrent HTTP exchanges (Server-Sent Event streams use at most half). */
    public static final int DEFAULT_MAX_CONNECTIONS = 32;
    /** Default maximum of open connections from one client address. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 32;
    /** Default time, in seconds, a request may take from its first byte to the first byte of its response. */
    public static final long DEFAULT_REQUEST_TIMEOUT_SECONDS = 10;
    /** {@link #DEFAULT_REQUEST_TIMEOUT_SECONDS} as a duration. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(DEFAULT_REQUEST_TIMEOUT_SECONDS);
    /** Default time, in seconds, a connection may stay silent in both directions. */
    public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
    /** {@link #DEFAULT_IDLE_TIMEOUT_SECONDS} as a duration. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);

    private int port = DEFAULT_PORT;
    private String bindAddress = DEFAULT_BIND_ADDRESS;
    private String accessToken;
    private int maxRootRuns = DEFAULT_MAX_ROOT_RUNS;
    private long maxEvents = DEFAULT_MAX_EVENTS;
    private long maxStoredBytes = DEFAULT_MAX_STORED_BYTES;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int replayBufferSize = DEFAULT_REPLAY_BUFFER_SIZE;
    private int maxStringChars = DEFAULT_MAX_STRING_CHARS;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxConnectionsPerClient = DEFAULT_MAX_CONNECTIONS_PER_CLIENT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

    private Builder() {}

    /** TCP port, 0 for any free port; default {@value #DEFAULT_PORT}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** Address to bind; default {@value #DEFAULT_BIND_ADDRESS}. A non-loopback address requires {@link #accessToken}. */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
      return this;
    }

    /** Token every request must present; at least 16 characters. Required for non-loopback binds. */
    public Builder accessToken(String accessToken) {
      Objects.requireNonNull(accessToken, "accessToken");
      if (accessToken.length() < 16) {
        throw new IllegalArgumentException("accessToken must have at least 16 characters");
      }
      this.accessToken = accessToken;
      return this;
    }

    /** Root runs kept before the oldest are evicted; default {@value #DEFAULT_MAX_ROOT_RUNS}. */
    public Builder maxRootRuns(int maxRootRuns) {
      this.maxRootRuns = positive(maxRootRuns, "maxRootRuns");
      return this;
    }

    /** Events kept before the oldest root runs are evicted; default {@value #DEFAULT_MAX_EVENTS}. */
    public Builder maxEvents(long maxEvents) {
      if (maxEvents < 1) {
        throw new IllegalArgumentException("maxEvents must be positive: " + maxEvents);
      }
      this.maxEvents = maxEvents;
      return this;
    }

    /** Estimated store size in bytes before the oldest root runs are evicted; default 512 MiB. */
    public Builder maxStoredBytes(long maxStoredBytes) {
      if (maxStoredBytes < 1024) {
        throw new IllegalArgumentException("maxStoredBytes must be at least 1024: " + maxStoredBytes);
      }
      this.maxStoredBytes = maxStoredBytes;
      return this;
    }

    /** Capacity of the ingest queue; default {@value #DEFAULT_QUEUE_CAPACITY}. */
    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = positive(queueCapacity, "queueCapacity");
      return this;
    }

    /** Live messages kept per kind for resuming event streams; default {@value #DEFAULT_REPLAY_BUFFER_SIZE}. */
    public Builder replayBufferSize(int replayBufferSize) {
      this.replayBufferSize = positive(replayBufferSize, "replayBufferSize");
      return this;
    }

    /** Longest string kept in a payload; default {@value #DEFAULT_MAX_STRING_CHARS}. */
    public Builder maxStringChars(int maxStringChars) {
      this.maxStringChars = positive(maxStringChars, "maxStringChars");
      return this;
    }

    /** Concurrent HTTP exchanges; default {@value #DEFAULT_MAX_CONNECTIONS}. */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 2) {
        throw new IllegalArgumentException("maxConnections must be at least 2: " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /**
     * Open connections allowed from one client address (IP); default
     * {@value #DEFAULT_MAX_CONNECTIONS_PER_CLIENT}. Further connections from that address are
     * closed as soon as they are accepted and counted in {@link Stats#refusedConnections()}.
     * Idle and kept-alive connections count; a browser tab uses about six.
     */
    public Builder maxConnectionsPerClient(int maxConnectionsPerClient) {
      this.maxConnectionsPerClient = positive(maxConnectionsPerClient, "maxConnectionsPerClient");
      return this;
    }

    /**
     * Longest time from the first byte of a request to the first byte of its response; default
     * {@value #DEFAULT_REQUEST_TIMEOUT_SECONDS} s. A connection whose request head or body has
     * not arrived by then is closed and counted in {@link Stats#timedOutRequests()}. Requests
     * are handed to a server thread only once their head is complete, so slow clients never
     * hold one. Streams that have started their response are not affected.
     */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive(requestTimeout, "requestTimeout");
      return this;
    }

    /**
     * Longest silence in both directions before a connection is closed; default
     * {@value #DEFAULT_IDLE_TIMEOUT_SECONDS} s. Applies to connections that never send a request
     * and to kept-alive ones between requests; counted in {@link Stats#idleConnectionsClosed()}.
     * Live streams stay open: they get a comment at least every half idle timeout (and at
     * least every 10 s).
     */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = positive(idleTimeout, "idleTimeout");
      return this;
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws IllegalStateException if a non-loopback address is configured without a token
     * @throws UncheckedIOException if the port cannot be bound
     */
    public Dashboard start() {
      return new Dashboard(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.toMillis() < 1) {
        throw new IllegalArgumentException(name + " must be at least 1 ms: " + d);
      }
      return d;
    }

    private static int positive(int v, String name) {
      if (v < 1) {
        throw new IllegalArgumentException(name + " must be positive: " + v);
      }
      return v;
    }
  }
}
