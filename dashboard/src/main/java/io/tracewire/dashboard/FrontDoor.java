package io.tracewire.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The dashboard's listening socket, in front of the JDK HTTP server (which listens on loopback
 * only and parses every request). It exists because the JDK server reads a request's head on one
 * of its few executor threads without a time limit, and learns nothing of a connection before
 * that: a handful of clients sending a byte a second would hold every thread.
 *
 * <p>Per connection it:
 * <ul>
 *   <li>refuses (closes at once) connections beyond {@code maxPerClient} open connections from
 *       one client address;
 *   <li>holds the bytes of a request head until the head is complete (the blank line that ends
 *       it: {@code CRLF CRLF}, the only thing this class knows about HTTP) and only then hands the
 *       connection to the JDK server, so an incomplete head never occupies a server thread; a
 *       head over {@code maxHeadBytes} is refused;
 *   <li>closes the connection when a request has not been completed and answered (the first
 *       byte of a response) within {@code requestTimeout} of its first byte: slow heads, and slow
 *       bodies, which the JDK server drains after the response;
 *   <li>closes it when it has been silent in both directions for {@code idleTimeout}: a
 *       connection that never sends a request, or a kept-alive one between requests. Live streams
 *       stay open: the server sends them a comment more often than that.
 * </ul>
 * After that, bytes are copied both ways unchanged, with back-pressure (a side is read only while
 * the buffer towards the other side has room).
 *
 * <p>One daemon thread ({@code tracewire-dashboard-accept}) does everything with non-blocking
 * I/O; the counters may be read from any thread. An I/O error closes only the connection it
 * happened on.
 */
final class FrontDoor implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("io.tracewire.dashboard");
  static final int MAX_HEAD_BYTES = 32 * 1024;
  private static final int FIRST_HEAD_BUFFER = 2048;
  private static final int RESPONSE_BUFFER = 16 * 1024;

  private final ServerSocketChannel listener;
  private final Selector selector;
  private final InetSocketAddress upstream;
  private final int maxPerClient;
  private final long requestNanos;
  private final long idleNanos;
  private final long sweepNanos;
  private final Thread thread;
  private final Set<Conn> conns = new HashSet<>();
  private final Map<InetAddress, Integer> perClient = new HashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();
  private final AtomicLong idleClosed = new AtomicLong();
  private volatile boolean closed;

  /** Where a connection is: reading a head, connecting to the server, or copying both ways. */
  private enum State { HEAD, CONNECTING, FORWARD }

  private final class Conn {
    final SocketChannel client;
    final InetAddress address;
    final SelectionKey clientKey;
    SocketChannel server;
    SelectionKey serverKey;
    /** Client to server bytes, in fill mode; allocated at the first byte, grown up to the head limit. */
    ByteBuffer up;
    /** Server to client bytes, in fill mode; allocated when the server connection opens. */
    ByteBuffer down;
    State state = State.HEAD;
    /** Where the current head starts in {@code up}, and how far it has been searched for its end. */
    int headStart;
    int scanned;
    /** A request is under way: bytes came from the client and no response byte has come since. */
    boolean pending;
    long requestStart;
    long lastActivity;
    boolean clientEof;
    boolean serverEof;
    boolean done;

    Conn(SocketChannel client, InetAddress address, long now) throws IOException {
      this.client = client;
      this.address = address;
      this.lastActivity = now;
      this.clientKey = client.register(selector, SelectionKey.OP_READ, this);
    }
  }

  /**
   * Binds {@code bind}; call {@link #start()} to serve.
   *
   * @throws UncheckedIOException if the address cannot be bound
   */
  FrontDoor(InetSocketAddress bind, int backlog, InetSocketAddress upstream, int maxPerClient,
      long requestNanos, long idleNanos) {
    this.upstream = upstream;
    this.maxPerClient = maxPerClient;
    this.requestNanos = requestNanos;
    this.idleNanos = idleNanos;
    this.sweepNanos = Math.max(10_000_000L, Math.min(1_000_000_000L, Math.min(requestNanos, idleNanos) / 8));
    try {
      this.selector = Selector.open();
      this.listener = ServerSocketChannel.open();
      try {
        listener.bind(bind, backlog);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
      } catch (IOException e) {
        listener.close();
        selector.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind dashboard to " + bind, e);
    }
    this.thread = new Thread(this::run, "tracewire-dashboard-accept");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  int port() {
    return ((InetSocketAddress) listenerAddress()).getPort();
  }

  private java.net.SocketAddress listenerAddress() {
    try {
      return listener.getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Connections closed at once: over the per-client limit, or a request head too large. */
  long refused() {
    return refused.get();
  }

  /** Connections closed because a request was not completed and answered in time. */
  long timedOut() {
    return timedOut.get();
  }

  /** Connections closed after being silent for the idle timeout. */
  long idleClosed() {
    return idleClosed.get();
  }

  /** Stops accepting and closes every connection; idempotent. */
  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    if (Thread.currentThread() != thread && thread.isAlive()) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    long nextSweep = System.nanoTime() + sweepNanos;
    try {
      while (!closed) {
        long wait = conns.isEmpty() ? 0 : Math.max(1, (nextSweep - System.nanoTime()) / 1_000_000);
        selector.select(wait);
        for (SelectionKey key : selector.selectedKeys()) {
          handle(key);
        }
        selector.selectedKeys().clear();
        long now = System.nanoTime();
        if (now - nextSweep >= 0) {
          sweep(now);
          nextSweep = now + sweepNanos;
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        LOG.log(Level.WARNING, "dashboard stopped accepting connections", e);
      }
    } finally {
      for (Conn c : new ArrayList<>(conns)) {
        close(c);
      }
      try {
        listener.close();
        selector.close();
      } catch (IOException ignored) {
        // shutting down
      }
    }
  }

  private void handle(SelectionKey key) {
    if (!key.isValid()) {
      return;
    }
    if (key.channel() == listener) {
      accept();
      return;
    }
    Conn c = (Conn) key.attachment();
    try {
      if (key.channel() == c.client) {
        if (key.isReadable()) {
          readClient(c);
        }
        if (!c.done && key.isValid() && key.isWritable()) {
          writeClient(c);
        }
      } else {
        if (key.isConnectable()) {
          connected(c);
        }
        if (!c.done && key.isValid() && key.isReadable()) {
          readServer(c);
        }
        if (!c.done && key.isValid() && key.isWritable()) {
          writeServer(c);
        }
      }
      if (!c.done) {
        interest(c);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "dashboard connection closed after an I/O error", e);
      close(c);
    }
  }

  private void accept() {
    while (true) {
      SocketChannel ch;
      try {
        ch = listener.accept();
      } catch (IOException e) {
        LOG.log(Level.FINE, "dashboard accept failed", e);
        return;
      }
      if (ch == null) {
        return;
      }
      InetAddress address = null;
      try {
        address = ((InetSocketAddress) ch.getRemoteAddress()).getAddress();
        int open = perClient.getOrDefault(address, 0);
        if (open >= maxPerClient) {
          refused.incrementAndGet();
          ch.close();
          continue;
        }
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        conns.add(new Conn(ch, address, System.nanoTime()));
        perClient.merge(address, 1, Integer::sum);
      } catch (IOException e) {
        LOG.log(Level.FINE, "dashboard could not set up a connection from " + address, e);
        try {
          ch.close();
        } catch (IOException ignored) {
          // already failing
        }
      }
    }
  }

  private void readClient(Conn c) throws IOException {
    if (c.up == null) {
      c.up = ByteBuffer.allocate(FIRST_HEAD_BUFFER);
    }
    if (!c.up.hasRemaining() && c.state == State.HEAD) {
      if (c.up.capacity() >= MAX_HEAD_BYTES) {
        refused.incrementAndGet();
        close(c);
        return;
      }
      ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_HEAD_BYTES, c.up.capacity() * 2));
      c.up.flip();
      bigger.put(c.up);
      c.up = bigger;
    }
    int before = c.up.position();
    int n = c.client.read(c.up);
    long now = System.nanoTime();
    if (n < 0) {
      c.clientEof = true;
      if (c.state == State.HEAD) {
        close(c);
      } else if (c.state == State.FORWARD && c.up.position() == 0) {
        c.server.shutdownOutput();
      }
      return;
    }
    if (n == 0) {
      return;
    }
    c.lastActivity = now;
    if (!c.pending) {
      // The first byte of a new request: its head is held until complete.
      c.pending = true;
      c.requestStart = now;
      c.state = c.state == State.FORWARD ? State.HEAD : c.state;
      c.headStart = before;
      c.scanned = before;
    }
    if (c.state == State.HEAD && headComplete(c)) {
      if (c.server == null) {
        connect(c);
      } else {
        c.state = State.FORWARD;
        writeServer(c);
      }
    } else if (c.state == State.FORWARD) {
      writeServer(c);
    }
  }

  /** Whether {@code up} holds the blank line that ends the current head. */
  private static boolean headComplete(Conn c) {
    ByteBuffer b = c.up;
    int end = b.position();
    for (int i = Math.max(c.headStart, c.scanned - 3); i + 3 < end; i++) {
      if (b.get(i) == '\r' && b.get(i + 1) == '\n' && b.get(i + 2) == '\r' && b.get(i + 3) == '\n') {
        return true;
      }
    }
    c.scanned = end;
    return false;
  }

  private void connect(Conn c) throws IOException {
    c.state = State.CONNECTING;
    c.server = SocketChannel.open();
    c.server.configureBlocking(false);
    c.server.setOption(StandardSocketOptions.TCP_NODELAY, true);
    c.down = ByteBuffer.allocate(RESPONSE_BUFFER);
    if (c.server.connect(upstream)) {
      c.serverKey = c.server.register(selector, 0, c);
      connected(c);
    } else {
      c.serverKey = c.server.register(selector, SelectionKey.OP_CONNECT, c);
    }
  }

  private void connected(Conn c) throws IOException {
    if (c.state != State.CONNECTING || !c.server.finishConnect()) {
      return;
    }
    c.state = State.FORWARD;
    writeServer(c);
    if (c.clientEof && c.up.position() == 0) {
      c.server.shutdownOutput();
    }
  }

  private void readServer(Conn c) throws IOException {
    int n = c.server.read(c.down);
    if (n < 0) {
      c.serverEof = true;
      if (c.down.position() == 0) {
        close(c);
      }
      return;
    }
    if (n > 0) {
      c.lastActivity = System.nanoTime();
      c.pending = false;
      writeClient(c);
    }
  }

  private void writeServer(Conn c) throws IOException {
    if (c.state != State.FORWARD || c.up.position() == 0) {
      return;
    }
    c.up.flip();
    c.server.write(c.up);
    c.up.compact();
    c.headStart = 0;
    c.scanned = 0;
    if (c.clientEof && c.up.position() == 0) {
      c.server.shutdownOutput();
    }
  }

  private void writeClient(Conn c) throws IOException {
    if (c.down.position() == 0) {
      return;
    }
    c.down.flip();
    c.client.write(c.down);
    c.down.compact();
    if (c.serverEof && c.down.position() == 0) {
      close(c);
    }
  }

  private void interest(Conn c) {
    int ops = 0;
    // While a head is read the client is always read: a full buffer there means the head is too large.
    if (!c.clientEof && (c.state == State.HEAD || c.up == null || c.up.hasRemaining())) {
      ops |= SelectionKey.OP_READ;
    }
    if (c.down != null && c.down.position() > 0) {
      ops |= SelectionKey.OP_WRITE;
    }
    c.clientKey.interestOps(ops);
    if (c.serverKey != null && c.state != State.CONNECTING) {
      int s = 0;
      if (!c.serverEof && c.down.hasRemaining()) {
        s |= SelectionKey.OP_READ;
      }
      if (c.state == State.FORWARD && c.up.position() > 0) {
        s |= SelectionKey.OP_WRITE;
      }
      c.serverKey.interestOps(s);
    }
  }

  private void sweep(long now) {
    List<Conn> expired = null;
    for (Conn c : conns) {
      boolean late = c.pending ? now - c.requestStart >= requestNanos : now - c.lastActivity >= idleNanos;
      if (late) {
        if (expired == null) {
          expired = new ArrayList<>();
        }
        expired.add(c);
      }
    }
    if (expired != null) {
      for (Conn c : expired) {
        (c.pending ? timedOut : idleClosed).incrementAndGet();
        close(c);
      }
    }
  }

  private void close(Conn c) {
    if (c.done) {
      return;
    }
    c.done = true;
    conns.remove(c);
    perClient.computeIfPresent(c.address, (a, n) -> n <= 1 ? null : n - 1);
    try {
      c.client.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    if (c.server != null) {
      try {
        c.server.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
