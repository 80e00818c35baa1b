package io.tracewire.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * All HTTP routes of the dashboard: static UI, REST ({@code /api/...}) and Server-Sent Events
 * ({@code /api/stream}). Runs on the server's executor threads; one exchange per thread.
 *
 * <p>Every response gets the security headers; only {@code GET} and {@code HEAD} without a body
 * are served; URIs longer than {@value #MAX_URI} characters and query values longer than
 * {@value #MAX_PARAM} characters are refused.
 */
final class HttpApi implements HttpHandler {
  private static final Logger LOG = Logger.getLogger("io.tracewire.dashboard");
  static final int MAX_URI = 4096;
  static final int MAX_PARAM = 512;
  static final int MAX_LIMIT = 1000;
  static final int MAX_CHUNKS = 20_000;
  static final String COOKIE = "tracewire_token";
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
  static final long MAX_HEARTBEAT_MILLIS = 10_000;
  private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
  private static final Map<String, String> STATIC = Map.of(
      "/", "index.html",
      "/index.html", "index.html",
      "/app.js", "app.js",
      "/app.css", "app.css",
      "/favicon.svg", "favicon.svg");

  private final RunStore store;
  private final LiveFeed feed;
  private final byte[] token;
  private final Supplier<Dashboard.Stats> stats;
  private final Semaphore streams;
  private final long heartbeatMillis;
  private final Object pauseLock = new Object();
  private boolean paused;
  private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong resumed = new java.util.concurrent.atomic.AtomicLong();

  HttpApi(RunStore store, LiveFeed feed, String token, Supplier<Dashboard.Stats> stats, int maxStreams,
      long heartbeatMillis) {
    this.heartbeatMillis = heartbeatMillis;
    this.store = store;
    this.feed = feed;
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.stats = stats;
    this.streams = new Semaphore(maxStreams);
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      Headers h = ex.getResponseHeaders();
      h.set("Content-Security-Policy", CSP);
      h.set("X-Content-Type-Options", "nosniff");
      h.set("X-Frame-Options", "DENY");
      h.set("Referrer-Policy", "no-referrer");
      h.set("Cross-Origin-Resource-Policy", "same-origin");
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        h.set("Allow", "GET, HEAD");
        text(ex, 405, "method not allowed");
        return;
      }
      String cl = ex.getRequestHeaders().getFirst("Content-Length");
      if ((cl != null && !cl.trim().equals("0")) || ex.getRequestHeaders().containsKey("Transfer-Encoding")) {
        text(ex, 413, "request bodies are not accepted");
        return;
      }
      String raw = ex.getRequestURI().getRawPath();
      String rawQuery = ex.getRequestURI().getRawQuery();
      if (raw.length() + (rawQuery == null ? 0 : rawQuery.length()) > MAX_URI) {
        text(ex, 414, "URI too long");
        return;
      }
      Map<String, String> q = query(rawQuery);
      if (q == null) {
        text(ex, 400, "bad query string");
        return;
      }
      if (!authorized(ex, q)) {
        return;
      }
      route(ex, raw, q);
    } catch (IOException e) {
      LOG.log(Level.FINE, "dashboard client went away", e);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "dashboard request failed: " + ex.getRequestURI().getRawPath(), e);
      try {
        text(ex, 500, "internal error");
      } catch (IOException | RuntimeException ignored) {
        // headers were already sent
      }
    } finally {
      ex.close();
    }
  }

  private boolean authorized(HttpExchange ex, Map<String, String> q) throws IOException {
    if (token == null) {
      String host = ex.getRequestHeaders().getFirst("Host");
      String name = host == null ? "" : host.toLowerCase(Locale.ROOT);
      int colon = name.lastIndexOf(':');
      if (colon > 0 && colon > name.lastIndexOf(']')) {
        name = name.substring(0, colon);
      }
      if (!LOOPBACK_HOSTS.contains(name)) {
        text(ex, 421, "this dashboard only answers to localhost; set an access token to serve other hosts");
        return false;
      }
      return true;
    }
    String given = null;
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = auth.substring(7).trim();
    }
    if (given == null) {
      given = cookie(ex.getRequestHeaders().get("Cookie"));
    }
    boolean fromQuery = false;
    if (given == null && q.containsKey("token")) {
      given = q.get("token");
      fromQuery = true;
    }
    if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"tracewire\"");
      text(ex, 401, "access token required: open the dashboard with ?token=<token>");
      return false;
    }
    if (fromQuery) {
      // Trade the token in the URL for an HttpOnly cookie, then drop it from the address bar.
      ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + given + "; Path=/; HttpOnly; SameSite=Strict");
      if (ex.getRequestURI().getRawPath().equals("/") || ex.getRequestURI().getRawPath().equals("/index.html")) {
        ex.getResponseHeaders().set("Location", "/");
        ex.sendResponseHeaders(303, -1);
        return false;
      }
    }
    return true;
  }

  private static String cookie(List<String> headers) {
    if (headers == null) {
      return null;
    }
    for (String header : headers) {
      for (String part : header.split(";")) {
        String p = part.trim();
        if (p.startsWith(COOKIE + "=")) {
          return p.substring(COOKIE.length() + 1);
        }
      }
    }
    return null;
  }

  private void route(HttpExchange ex, String path, Map<String, String> q) throws IOException {
    String file = STATIC.get(path);
    if (file != null) {
      resource(ex, file);
      return;
    }
    if (path.equals("/api/summary")) {
      json(ex, store.summary(stats.get()));
      return;
    }
    if (path.equals("/api/runs")) {
      RunQuery query = new RunQuery(blank(q.get("q")), blank(q.get("tag")), blank(q.get("type")),
          blank(q.get("name")), blank(q.get("status")));
      json(ex, store.listRoots(query, integer(q, "offset", 0, Integer.MAX_VALUE), integer(q, "limit", 100, MAX_LIMIT)));
      return;
    }
    if (path.equals("/api/stream")) {
      stream(ex, q);
      return;
    }
    if (path.startsWith("/api/runs/")) {
      String[] parts = path.substring("/api/runs/".length()).split("/", -1);
      String id = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      byte[] body = null;
      if (parts.length == 1) {
        body = store.detail(id);
      } else if (parts.length == 2 && parts[1].equals("events")) {
        body = store.events(id, blank(q.get("run")), integer(q, "offset", 0, Integer.MAX_VALUE),
            integer(q, "limit", 100, MAX_LIMIT));
      } else if (parts.length == 2 && parts[1].equals("tokens")) {
        body = store.tokens(id, integer(q, "limit", MAX_CHUNKS, MAX_CHUNKS));
      } else {
        text(ex, 404, "not found");
        return;
      }
      if (body == null) {
        text(ex, 404, "unknown run");
      } else {
        json(ex, body);
      }
      return;
    }
    text(ex, 404, "not found");
  }

  /** Test support: ends every open live stream and holds new ones until {@link #resumeStreams}. */
  void pauseStreams() {
    synchronized (pauseLock) {
      paused = true;
    }
    generation.incrementAndGet();
    feed.wakeAll();
  }

  /** Test support: lets held live streams proceed. */
  void resumeStreams() {
    synchronized (pauseLock) {
      paused = false;
      pauseLock.notifyAll();
    }
  }

  /** How many live streams were opened with a {@code Last-Event-ID} (resumptions). */
  long resumedStreams() {
    return resumed.get();
  }

  private void stream(HttpExchange ex, Map<String, String> q) throws IOException {
    synchronized (pauseLock) {
      while (paused && !feed.closed()) {
        try {
          pauseLock.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    long gen = generation.get();
    if (!streams.tryAcquire()) {
      text(ex, 503, "too many live streams");
      return;
    }
    try {
      boolean runs = !"0".equals(q.get("runs"));
      boolean events = "1".equals(q.get("events"));
      String root = blank(q.get("root"));
      String last = ex.getRequestHeaders().getFirst("Last-Event-ID");
      if (last == null) {
        last = q.get("since");
      }
      long cursor;
      boolean hello;
      try {
        cursor = last == null || last.isBlank() ? -1 : Long.parseLong(last.trim());
      } catch (NumberFormatException e) {
        cursor = -1;
      }
      hello = cursor < 0;
      if (!hello) {
        resumed.incrementAndGet();
      }
      if (hello) {
        cursor = feed.head();
      }
      Headers h = ex.getResponseHeaders();
      h.set("Content-Type", "text/event-stream; charset=utf-8");
      h.set("Cache-Control", "no-store");
      h.set("X-Accel-Buffering", "no");
      ex.sendResponseHeaders(200, 0);
      if (ex.getRequestMethod().equals("HEAD")) {
        return;
      }
      OutputStream out = ex.getResponseBody();
      write(out, "retry: 1000\n\n");
      if (hello) {
        write(out, "id: " + cursor + "\nevent: hello\ndata: {\"head\":" + cursor + "}\n\n");
      }
      out.flush();
      while (!feed.closed() && generation.get() == gen) {
        LiveFeed.Slice s = feed.after(cursor, runs, events, root, 256);
        if (s.reset()) {
          cursor = s.head();
          write(out, "id: " + cursor + "\nevent: reset\ndata: {\"head\":" + cursor + "}\n\n");
          out.flush();
          continue;
        }
        boolean gone = false;
        for (LiveFeed.Message m : s.messages()) {
          byte[] json = m.json() != null ? m.json() : store.eventJson((RunTree) m.ref(), m.index());
          if (json == null) {
            gone = true;
            break;
          }
          out.write(("id: " + m.id() + "\nevent: " + (m.kind() == LiveFeed.RUN ? "run" : "event") + "\ndata: ")
              .getBytes(StandardCharsets.UTF_8));
          out.write(json);
          out.write("\n\n".getBytes(StandardCharsets.UTF_8));
          cursor = m.id();
        }
        if (gone) {
          // The event was evicted from the store before it could be sent: the client must reload.
          cursor = s.head();
          write(out, "id: " + cursor + "\nevent: reset\ndata: {\"head\":" + cursor + "}\n\n");
          out.flush();
          continue;
        }
        if (s.messages().size() < 256) {
          if (s.head() > cursor) {
            cursor = s.head();
            write(out, "id: " + cursor + "\n\n");
          }
        }
        out.flush();
        if (s.messages().size() < 256) {
          try {
            if (!feed.await(cursor, heartbeatMillis) && !feed.closed()) {
              write(out, ": ping\n\n");
              out.flush();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    } finally {
      streams.release();
    }
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
  }

  private void resource(HttpExchange ex, String file) throws IOException {
    try (InputStream in = HttpApi.class.getResourceAsStream("ui/" + file)) {
      if (in == null) {
        text(ex, 404, "not found");
        return;
      }
      byte[] body = in.readAllBytes();
      String type = file.endsWith(".html") ? "text/html; charset=utf-8"
          : file.endsWith(".js") ? "text/javascript; charset=utf-8"
          : file.endsWith(".css") ? "text/css; charset=utf-8"
          : "image/svg+xml";
      send(ex, 200, type, body);
    }
  }

  private static void json(HttpExchange ex, byte[] body) throws IOException {
    send(ex, 200, "application/json; charset=utf-8", body);
  }

  private static void text(HttpExchange ex, int status, String msg) throws IOException {
    send(ex, status, "text/plain; charset=utf-8", (msg + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> m = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    try {
      for (String part : raw.split("&")) {
        if (part.isEmpty()) {
          continue;
        }
        int eq = part.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
        if (v.length() > MAX_PARAM || k.length() > 64) {
          return null;
        }
        m.putIfAbsent(k, v);
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
    return m;
  }

  private static String blank(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static int integer(Map<String, String> q, String key, int dflt, int max) {
    String v = q.get(key);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return Math.max(0, Math.min(max, Integer.parseInt(v)));
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
