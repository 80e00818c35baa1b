package io.tracewire.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile clients on loopback: slowloris sockets that send a byte a second, sockets that connect
 * and say nothing, sockets that stop in the middle of a header. Each client address is one of
 * 127.0.0.2 and up (Linux routes all of 127/8 to loopback); normal requests come from 127.0.0.1.
 */
class DashboardHostileClientsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String TOKEN = "hostile-clients-test-token";
  private static final int HOSTILE = 210;
  private static final int PER_ADDRESS = 30;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Socket> sockets = new ArrayList<>();
  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-trickle");
    t.setDaemon(true);
    return t;
  });
  private Dashboard dashboard;

  @AfterEach
  void closeAll() throws IOException {
    trickle.shutdownNow();
    for (Socket s : sockets) {
      s.close();
    }
    if (dashboard != null) {
      dashboard.close();
    }
  }

  private HttpResponse<String> get(String path, boolean withToken) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(dashboard.uri().resolve(path)).timeout(Duration.ofSeconds(20));
    if (withToken) {
      b.header("Authorization", "Bearer " + TOKEN);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private Socket connectFrom(String clientAddress) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.bind(new InetSocketAddress(clientAddress, 0));
    s.connect(new InetSocketAddress("127.0.0.1", dashboard.port()), 5000);
    return s;
  }

  /** Opens {@link #HOSTILE} sockets of three kinds, {@link #PER_ADDRESS} per client address. */
  private List<Socket> openHostileSockets() throws IOException {
    List<Socket> hostile = new ArrayList<>();
    byte[] unfinished = ("GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
        + "\r\nX-Never-Ends: ").getBytes(StandardCharsets.US_ASCII);
    byte[] slow = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < HOSTILE; i++) {
      Socket s = connectFrom("127.0.0." + (2 + i / PER_ADDRESS));
      hostile.add(s);
      switch (i % 3) {
        case 0 -> { } // connects and stays silent
        case 1 -> s.getOutputStream().write(unfinished);
        default -> {
          OutputStream out = s.getOutputStream();
          out.write(slow[0]);
          int[] next = {1};
          trickle.scheduleAtFixedRate(() -> {
            try {
              out.write(slow[next[0]++ % (slow.length - 4)]);
            } catch (IOException closed) {
              throw new IllegalStateException("closed", closed); // ends this socket's schedule
            }
          }, 1, 1, TimeUnit.SECONDS);
        }
      }
    }
    return hostile;
  }

  /** Blocks until the server closes the socket; fails if it sends anything first. */
  private static void awaitClosedByServer(Socket s) throws IOException {
    s.setSoTimeout(30_000);
    InputStream in = s.getInputStream();
    try {
      assertThat(in.read()).as("the server closes the hostile socket without answering").isEqualTo(-1);
    } catch (SocketException reset) {
      // closed with a reset: also closed by the server
    }
  }

  @Test
  void normalRequestsAreAnsweredWhileTwoHundredHostileSocketsAreOpenAndTheServerClosesThemInTime() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      dashboard = Dashboard.builder().port(0).accessToken(TOKEN)
          .requestTimeout(Duration.ofSeconds(2))
          .idleTimeout(Duration.ofSeconds(3))
          .maxConnectionsPerClient(PER_ADDRESS)
          .start();
      for (var e : Events.tree("calm", "calm chain", List.of(), List.of("a", "b"), false, 0)) {
        dashboard.ingest(e);
      }
      assertThat(dashboard.flush(Duration.ofSeconds(10))).isTrue();
      SseStream live = new SseStream(dashboard.uri().resolve("/api/stream"));

      List<Socket> hostile = openHostileSockets();

      for (int round = 0; round < 3; round++) {
        HttpResponse<String> page = get("/", true);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>");
        HttpResponse<String> runs = get("/api/runs", true);
        assertThat(runs.statusCode()).isEqualTo(200);
        JsonNode list = MAPPER.readTree(runs.body());
        assertThat(list.get("total").asInt()).isEqualTo(1);
        assertThat(list.get("items").get(0).get("id").asText()).isEqualTo("calm");
        assertThat(get("/api/runs", false).statusCode()).isEqualTo(401);
      }

      for (Socket s : hostile) {
        awaitClosedByServer(s);
      }
      // Every hostile socket has outlived the request and idle timeouts; the live stream, whose
      // request was complete, still delivers.
      for (var e : Events.tree("later", "later chain", List.of(), List.of("c"), false, 100)) {
        dashboard.ingest(e);
      }
      assertThat(live.nextRunId()).isEqualTo("later");
      live.close();
      assertThat(get("/api/runs", true).statusCode()).isEqualTo(200);
      Dashboard.Stats stats = dashboard.stats();
      // a third of them never sent a byte (idle), two thirds started a request and never finished it
      assertThat(stats.idleConnectionsClosed()).isGreaterThanOrEqualTo(HOSTILE / 3);
      assertThat(stats.timedOutRequests()).isGreaterThanOrEqualTo(HOSTILE * 2 / 3);
      assertThat(stats.refusedConnections()).isZero();
      JsonNode summary = MAPPER.readTree(get("/api/summary", true).body());
      assertThat(summary.get("connections").get("timed_out").asLong()).isEqualTo(stats.timedOutRequests());
    });
  }

  @Test
  void connectionsOverThePerClientLimitAreClosedAtOnceAndCounted() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      dashboard = Dashboard.builder().port(0).accessToken(TOKEN)
          .idleTimeout(Duration.ofMinutes(5))
          .maxConnectionsPerClient(4)
          .start();
      for (int i = 0; i < 4; i++) {
        connectFrom("127.0.0.40");
      }
      Socket over = connectFrom("127.0.0.40");
      awaitClosedByServer(over);
      assertThat(dashboard.stats().refusedConnections()).isEqualTo(1);
      // other addresses are not affected
      assertThat(get("/api/runs", true).statusCode()).isEqualTo(200);
      JsonNode summary = MAPPER.readTree(get("/api/summary", true).body());
      assertThat(summary.get("connections").get("refused").asLong()).isEqualTo(1);
    });
  }

  @Test
  void theLimitsAndTimeoutsAreValidatedWhenSet() {
    Dashboard.Builder b = Dashboard.builder();
    assertThatThrownBy(() -> b.maxConnectionsPerClient(0)).hasMessageContaining("maxConnectionsPerClient");
    assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO)).hasMessageContaining("requestTimeout");
    assertThatThrownBy(() -> b.requestTimeout(null)).hasMessageContaining("requestTimeout");
    assertThatThrownBy(() -> b.idleTimeout(Duration.ofMillis(-1))).hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> b.idleTimeout(null)).hasMessageContaining("idleTimeout");
    assertThat(Dashboard.Builder.DEFAULT_REQUEST_TIMEOUT).isPositive();
    assertThat(Dashboard.Builder.DEFAULT_IDLE_TIMEOUT).isPositive();
    assertThat(Dashboard.Builder.DEFAULT_MAX_CONNECTIONS_PER_CLIENT).isPositive();
  }

  /** A Server-Sent Events reader over {@code java.net.http} (which undoes the chunked encoding). */
  private final class SseStream implements AutoCloseable {
    private final java.util.Iterator<String> lines;
    private final java.util.stream.Stream<String> stream;

    SseStream(java.net.URI uri) throws Exception {
      HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(uri)
          .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofLines());
      assertThat(r.statusCode()).isEqualTo(200);
      stream = r.body();
      lines = stream.iterator();
    }

    /** The id of the next root summary on the stream. */
    String nextRunId() throws IOException {
      String event = null;
      while (lines.hasNext()) {
        String line = lines.next();
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ") && "run".equals(event)) {
          return MAPPER.readTree(line.substring(6)).get("id").asText();
        }
      }
      throw new AssertionError("the live stream ended");
    }

    @Override
    public void close() {
      stream.close();
    }
  }
}
