package io.tracewire.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DashboardServerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Dashboard> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    open.forEach(Dashboard::close);
  }

  private Dashboard start(Dashboard.Builder b) {
    Dashboard d = b.port(0).start();
    open.add(d);
    return d;
  }

  private static void feed(Dashboard d, List<StreamEvent> events) throws InterruptedException {
    for (StreamEvent e : events) {
      assertThat(d.ingest(e)).isTrue();
    }
    assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
  }

  private HttpResponse<String> get(Dashboard d, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(d.uri().resolve(path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(Dashboard d, String path) throws Exception {
    HttpResponse<String> r = get(d, path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return MAPPER.readTree(r.body());
  }

  @Test
  void rootRunsArePagedNewestFirstAndFilteredByStatusTagTypeAndName() throws Exception {
    Dashboard d = start(Dashboard.builder());
    for (int i = 0; i < 25; i++) {
      feed(d, Events.tree("root-" + i, i % 2 == 0 ? "even-chain" : "odd-chain",
          List.of(i % 5 == 0 ? "fives" : "plain"), List.of("a", "b"), i % 3 == 0, i * 100L));
    }
    JsonNode page = json(d, "/api/runs?limit=10&offset=0");
    assertThat(page.get("total").asInt()).isEqualTo(25);
    assertThat(page.get("items")).hasSize(10);
    assertThat(page.get("items").get(0).get("id").asText()).isEqualTo("root-24");
    JsonNode last = json(d, "/api/runs?limit=10&offset=20");
    assertThat(last.get("items")).hasSize(5);
    assertThat(last.get("items").get(4).get("id").asText()).isEqualTo("root-0");

    JsonNode errors = json(d, "/api/runs?status=error&limit=100");
    assertThat(errors.get("total").asInt()).isEqualTo(9);
    errors.get("items").forEach(r -> {
      assertThat(r.get("status").asText()).isEqualTo("error");
      assertThat(r.get("errors").asInt()).isEqualTo(2);
    });
    assertThat(json(d, "/api/runs?tag=fives").get("total").asInt()).isEqualTo(5);
    assertThat(json(d, "/api/runs?name=odd").get("total").asInt()).isEqualTo(12);
    assertThat(json(d, "/api/runs?type=chat_model").get("total").asInt()).isEqualTo(25);
    assertThat(json(d, "/api/runs?type=retriever").get("total").asInt()).isZero();
    assertThat(json(d, "/api/runs?q=root-13").get("items").get(0).get("id").asText()).isEqualTo("root-13");
    assertThat(json(d, "/api/runs?status=ok&name=even&tag=fives").get("total").asInt()).isEqualTo(2);

    JsonNode ok = json(d, "/api/runs?q=root-1&status=ok").get("items").get(0);
    assertThat(ok.get("tokens").get("total").asLong()).isEqualTo(12);
    assertThat(ok.get("duration_ms").asDouble()).isGreaterThan(0);
    // the root row measures from the root's start; the model run's own TTFC is 10 ms
    assertThat(ok.get("first_chunk_ms").asDouble()).isEqualTo(11.0);
    assertThat(ok.has("ttfc_ms")).isFalse();
    JsonNode summary = json(d, "/api/summary");
    assertThat(summary.has("ttfc_ms")).isFalse();
    assertThat(summary.get("model_ttfc_ms").get("p50").asDouble()).isEqualTo(10.0);
  }

  @Test
  void asAnEventSinkBehindTracewireItShowsEveryRun() throws Exception {
    Dashboard d = start(Dashboard.builder());
    try (io.tracewire.core.Tracewire tw = io.tracewire.core.Tracewire.builder().sink(d.sink()).install()) {
      RunnableLambda.of("sunk", (String s) -> s + "!").invoke("x");
      assertThat(tw.flush(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    JsonNode list = json(d, "/api/runs?name=sunk");
    assertThat(list.get("total").asInt()).isEqualTo(1);
    assertThat(list.get("items").get(0).get("status").asText()).isEqualTo("ok");
  }

  @Test
  void aNestedChainRunInProcessShowsItsTreeTokensAndEvents() throws Exception {
    Dashboard d = start(Dashboard.builder());
    Runnable<Map<String, Object>, String> chain = ChatPromptTemplate.of(ChatPromptTemplate.human("{topic}"))
        .pipe(GenericFakeChatModel.cycling(List.of(new AIMessage("hello streaming world"))))
        .pipe(new StrOutputParser());
    Runnable<String, String> outer = RunnableLambda.of("outer", (String s) -> chain.invoke(Map.of("topic", s)));
    String out = outer.invoke("goldfish", RunConfig.builder().listener(d.listener()).tags(List.of("demo")).build());
    assertThat(out).isEqualTo("hello streaming world");
    assertThat(d.flush(Duration.ofSeconds(10))).isTrue();

    JsonNode list = json(d, "/api/runs");
    assertThat(list.get("total").asInt()).isEqualTo(1);
    JsonNode root = list.get("items").get(0);
    assertThat(root.get("name").asText()).isEqualTo("outer");
    assertThat(root.get("status").asText()).isEqualTo("ok");
    String rootId = root.get("id").asText();

    JsonNode detail = json(d, "/api/runs/" + rootId);
    List<String> types = new ArrayList<>();
    detail.get("runs").forEach(r -> types.add(r.get("type").asText()));
    assertThat(types).containsExactly("chain", "chain", "prompt", "chat_model", "parser");
    JsonNode model = null;
    for (JsonNode r : detail.get("runs")) {
      if (r.get("type").asText().equals("chat_model")) {
        model = r;
      }
    }
    assertThat(model.get("depth").asInt()).isEqualTo(2);
    assertThat(model.get("status").asText()).isEqualTo("ok");

    JsonNode tokens = json(d, "/api/runs/" + model.get("id").asText() + "/tokens");
    StringBuilder text = new StringBuilder();
    tokens.get("chunks").forEach(c -> text.append(c.get("text").asText()));
    assertThat(text.toString()).isEqualTo("hello streaming world");
    assertThat(tokens.get("chunks").size()).isGreaterThan(1);

    JsonNode events = json(d, "/api/runs/" + rootId + "/events?limit=3");
    int total = events.get("total").asInt();
    assertThat(events.get("items")).hasSize(3);
    JsonNode first = MAPPER.readTree(events.get("items").get(0).get("raw").asText());
    assertThat(first.get("event").asText()).isEqualTo("on_chain_start");
    assertThat(first.get("run_id").asText()).isEqualTo(rootId);
    assertThat(first.get("tags").get(0).asText()).isEqualTo("demo");
    JsonNode rest = json(d, "/api/runs/" + rootId + "/events?offset=3&limit=1000");
    assertThat(rest.get("items")).hasSize(total - 3);
    JsonNode lastRaw = MAPPER.readTree(rest.get("items").get(total - 4).get("raw").asText());
    assertThat(lastRaw.get("event").asText()).isEqualTo("on_chain_end");
    JsonNode onlyModel = json(d, "/api/runs/" + rootId + "/events?run=" + model.get("id").asText() + "&limit=1000");
    onlyModel.get("items").forEach(e -> assertThat(e.get("event").asText()).startsWith("on_chat_model_"));

    JsonNode summary = json(d, "/api/summary");
    assertThat(summary.get("roots").asInt()).isEqualTo(1);
    assertThat(summary.get("events").asInt()).isEqualTo(total);
    assertThat(summary.get("model_runs").asInt()).isEqualTo(1);
  }

  @Test
  void usageAndTimingComeFromChunksAndEndOutput() throws Exception {
    Dashboard d = start(Dashboard.builder());
    feed(d, Events.tree("r1", "chain", List.of(), List.of("He", "llo", " there"), false, 0));
    JsonNode t = json(d, "/api/runs/r1-m/tokens");
    assertThat(t.get("ttfc_ms").asDouble()).isEqualTo(10.0);
    assertThat(t.get("tokens").get("output").asInt()).isEqualTo(3);
    assertThat(t.get("gaps_ms").get("count").asInt()).isEqualTo(2);
    assertThat(t.get("gaps_ms").get("max").asDouble()).isEqualTo(5.0);
    assertThat(t.get("chunks").get(1).get("text").asText()).isEqualTo("llo");
    assertThat(t.get("tokens_per_second").asDouble()).isEqualTo(300.0);
  }

  @Test
  void unknownRunsAndPathsAre404() throws Exception {
    Dashboard d = start(Dashboard.builder());
    assertThat(get(d, "/api/runs/nope").statusCode()).isEqualTo(404);
    assertThat(get(d, "/api/runs/nope/events").statusCode()).isEqualTo(404);
    assertThat(get(d, "/etc/passwd").statusCode()).isEqualTo(404);
    assertThat(get(d, "/api/runs/x/y/z").statusCode()).isEqualTo(404);
  }

  @Test
  void everyResponseCarriesAStrictCspAndNosniff() throws Exception {
    Dashboard d = start(Dashboard.builder());
    for (String path : List.of("/", "/app.js", "/api/runs", "/api/summary", "/missing")) {
      HttpResponse<String> r = get(d, path);
      String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
      assertThat(csp).as(path).contains("default-src 'self'").contains("script-src 'self'")
          .contains("object-src 'none'").contains("frame-ancestors 'none'").doesNotContain("unsafe");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }
    HttpResponse<String> index = get(d, "/");
    assertThat(index.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(index.body()).contains("<script src=\"/app.js\"").doesNotContain("<script>").doesNotContain("style=");
    assertThat(get(d, "/app.js").body()).doesNotContain("innerHTML").doesNotContain("insertAdjacentHTML")
        .doesNotContain("eval(");
  }

  @Test
  void anAccessTokenIsEnforcedWhenConfigured() throws Exception {
    String token = "s3cret-token-0123456789";
    Dashboard d = start(Dashboard.builder().accessToken(token));
    assertThat(get(d, "/api/runs").statusCode()).isEqualTo(401);
    assertThat(get(d, "/").statusCode()).isEqualTo(401);
    assertThat(get(d, "/api/runs", "Authorization", "Bearer wrong-token-0123456789").statusCode()).isEqualTo(401);
    assertThat(get(d, "/api/runs", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
    HttpResponse<String> exchange = get(d, "/?token=" + token);
    assertThat(exchange.statusCode()).isEqualTo(303);
    String cookie = exchange.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
    assertThat(get(d, "/api/summary", "Cookie", cookie.substring(0, cookie.indexOf(';'))).statusCode()).isEqualTo(200);
    assertThat(get(d, "/api/stream", "Cookie", "tracewire_token=nope").statusCode()).isEqualTo(401);
  }

  @Test
  void aNonLoopbackBindNeedsAToken() {
    assertThatThrownBy(() -> Dashboard.builder().port(0).bindAddress("0.0.0.0").start())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("access token");
    assertThatThrownBy(() -> Dashboard.builder().accessToken("short")).isInstanceOf(IllegalArgumentException.class);
    Dashboard d = start(Dashboard.builder().bindAddress("0.0.0.0").accessToken("a-long-enough-token-123"));
    assertThat(d.port()).isPositive();
  }

  @Test
  void withoutATokenOnlyLoopbackHostNamesAreServed() throws Exception {
    Dashboard d = start(Dashboard.builder());
    assertThat(rawStatus(d, "GET /api/runs HTTP/1.1\r\nHost: evil.example:" + d.port() + "\r\nConnection: close\r\n\r\n"))
        .isEqualTo(421);
    assertThat(rawStatus(d, "GET /api/runs HTTP/1.1\r\nHost: localhost:" + d.port() + "\r\nConnection: close\r\n\r\n"))
        .isEqualTo(200);
  }

  @Test
  void onlyBodilessGetsWithBoundedUrisAreAccepted() throws Exception {
    Dashboard d = start(Dashboard.builder());
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(d.uri().resolve("/api/runs"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(rawStatus(d, "GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"))
        .isEqualTo(413);
    assertThat(get(d, "/api/runs?q=" + "a".repeat(5000)).statusCode()).isEqualTo(414);
    assertThat(get(d, "/api/runs?q=" + "a".repeat(600)).statusCode()).isEqualTo(400);
  }

  private static int rawStatus(Dashboard d, String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", d.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String status = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).readLine();
      return Integer.parseInt(status.split(" ")[1]);
    }
  }

  @Test
  void theOldestRootRunsAreEvictedFirst() throws Exception {
    Dashboard d = start(Dashboard.builder().maxRootRuns(5));
    for (int i = 0; i < 8; i++) {
      feed(d, Events.tree("root-" + i, "chain", List.of(), List.of("x"), false, i));
    }
    JsonNode list = json(d, "/api/runs?limit=100");
    assertThat(list.get("total").asInt()).isEqualTo(5);
    assertThat(list.get("items").get(4).get("id").asText()).isEqualTo("root-3");
    assertThat(get(d, "/api/runs/root-0").statusCode()).isEqualTo(404);
    assertThat(get(d, "/api/runs/root-0-m/tokens").statusCode()).isEqualTo(404);
    assertThat(d.stats().evictedRootRuns()).isEqualTo(3);
    assertThat(d.stats().storedEvents()).isEqualTo(5 * 5);
  }

  @Test
  void theEventLimitEvictsWholeTrees() throws Exception {
    Dashboard d = start(Dashboard.builder().maxEvents(20));
    for (int i = 0; i < 6; i++) {
      feed(d, Events.tree("root-" + i, "chain", List.of(), List.of("x", "y"), false, i));
    }
    // 6 events per tree: 3 trees fit in 20.
    assertThat(d.stats().storedEvents()).isEqualTo(18);
    assertThat(json(d, "/api/runs").get("total").asInt()).isEqualTo(3);
    assertThat(json(d, "/api/summary").get("evicted_roots").asInt()).isEqualTo(3);
  }

  @Test
  void finishedTreesArePackedAndStillReadable() throws Exception {
    Dashboard d = start(Dashboard.builder());
    List<String> chunks = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      chunks.add("tok" + i + " ");
    }
    feed(d, Events.tree("big", "chain", List.of(), chunks, false, 0));
    JsonNode t = json(d, "/api/runs/big-m/tokens");
    assertThat(t.get("chunks")).hasSize(500);
    assertThat(t.get("truncated").asBoolean()).isFalse();
    JsonNode firstTen = json(d, "/api/runs/big-m/tokens?limit=10");
    assertThat(firstTen.get("chunks")).hasSize(10);
    assertThat(firstTen.get("total_chunks").asInt()).isEqualTo(500);
    assertThat(firstTen.get("truncated").asBoolean()).isTrue();
    assertThat(firstTen.get("gaps_ms").get("count").asInt()).isEqualTo(499);
    assertThat(t.get("chunks").get(499).get("text").asText()).isEqualTo("tok499 ");
    JsonNode page = json(d, "/api/runs/big/events?offset=250&limit=2");
    assertThat(MAPPER.readTree(page.get("items").get(0).get("raw").asText()).get("data").get("chunk")
        .get("content").asText()).isEqualTo("tok248 ");
    // A late event re-opens the packed log.
    feed(d, List.of(Events.ev("on_custom_event", "late", "big", List.of(), List.of(), "after the end", 9_999)));
    JsonNode all = json(d, "/api/runs/big/events?offset=503&limit=10");
    assertThat(all.get("total").asInt()).isEqualTo(505);
    assertThat(all.get("items").get(1).get("name").asText()).isEqualTo("late");
    assertThat(d.stats().estimatedBytes()).isLessThan(200_000);
  }

  @Test
  void liveUpdatesArriveOverServerSentEvents() throws Exception {
    Dashboard d = start(Dashboard.builder());
    SseReader sse = new SseReader(d, "/api/stream", null);
    SseReader.Message hello = sse.next();
    assertThat(hello.event()).isEqualTo("hello");
    feed(d, Events.tree("live-1", "live chain", List.of(), List.of("a"), false, 0));
    SseReader.Message run = sse.nextOf("run");
    JsonNode summary = MAPPER.readTree(run.data());
    assertThat(summary.get("id").asText()).isEqualTo("live-1");
    while (!summary.get("status").asText().equals("ok")) {
      summary = MAPPER.readTree(sse.nextOf("run").data());
    }
    assertThat(summary.get("tokens").get("total").asInt()).isEqualTo(11);
    assertThat(Long.parseLong(run.id())).isGreaterThan(Long.parseLong(hello.id()));
    sse.close();
  }

  @Test
  void rawEventsStreamPerRootOnRequest() throws Exception {
    Dashboard d = start(Dashboard.builder());
    SseReader sse = new SseReader(d, "/api/stream?runs=0&events=1&root=wanted", null);
    sse.nextOf("hello");
    feed(d, Events.tree("other", "x", List.of(), List.of("no"), false, 0));
    feed(d, Events.tree("wanted", "y", List.of(), List.of("yes"), false, 0));
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      SseReader.Message m = sse.nextOf("event");
      JsonNode e = MAPPER.readTree(m.data());
      assertThat(e.get("parent_ids").size() == 0 ? e.get("run_id").asText() : e.get("parent_ids").get(0).asText())
          .isEqualTo("wanted");
      names.add(e.get("event").asText());
    }
    assertThat(names).containsExactly("on_chain_start", "on_chat_model_start", "on_chat_model_stream",
        "on_chat_model_end", "on_chain_end");
    sse.close();
  }

  @Test
  void aReconnectingClientResumesAfterLastEventIdWithoutLoss() throws Exception {
    Dashboard d = start(Dashboard.builder());
    SseReader first = new SseReader(d, "/api/stream", null);
    first.nextOf("hello");
    feed(d, Events.tree("before", "a", List.of(), List.of("a"), false, 0));
    SseReader.Message seen = first.nextOf("run");
    while (!MAPPER.readTree(seen.data()).get("status").asText().equals("ok")) {
      seen = first.nextOf("run");
    }
    String lastSeen = seen.id();
    first.close();
    // While disconnected:
    for (int i = 0; i < 3; i++) {
      feed(d, Events.tree("missed-" + i, "b", List.of(), List.of("b"), false, 0));
    }
    SseReader again = new SseReader(d, "/api/stream", lastSeen);
    List<String> ids = new ArrayList<>();
    long prev = Long.parseLong(lastSeen);
    int finished = 0;
    while (finished < 3) {
      SseReader.Message m = again.nextOf("run");
      assertThat(Long.parseLong(m.id())).isGreaterThan(prev);
      prev = Long.parseLong(m.id());
      JsonNode r = MAPPER.readTree(m.data());
      if (!ids.contains(r.get("id").asText())) {
        ids.add(r.get("id").asText());
      }
      if (r.get("status").asText().equals("ok")) {
        finished++;
      }
    }
    assertThat(ids).containsExactly("missed-0", "missed-1", "missed-2");
    again.close();
  }

  @Test
  void aClientTooFarBehindTheReplayBufferIsToldToReset() throws Exception {
    Dashboard d = start(Dashboard.builder().replayBufferSize(2));
    for (int i = 0; i < 6; i++) {
      feed(d, Events.tree("r-" + i, "b", List.of(), List.of("b"), false, 0));
    }
    SseReader sse = new SseReader(d, "/api/stream", "1");
    SseReader.Message m = sse.next();
    assertThat(m.event()).isEqualTo("reset");
    sse.close();
    SseReader future = new SseReader(d, "/api/stream", "999999");
    assertThat(future.next().event()).isEqualTo("reset");
    future.close();
  }

  @Test
  void ingestNeverBlocksAndCountsWhatItCannotTake() throws Exception {
    Dashboard d = start(Dashboard.builder());
    d.close();
    assertThat(d.ingest(Events.ev("on_chain_start", "x", "id", List.of(), List.of(), Map.of(), 0))).isFalse();
    assertThat(d.ingestBlocking(Events.ev("on_chain_start", "x", "id", List.of(), List.of(), Map.of(), 0))).isFalse();
  }

  @Test
  void eventContentIsEscapedJson() throws Exception {
    Dashboard d = start(Dashboard.builder().maxStringChars(50));
    String evil = "</script><img src=x onerror=alert(1)>\"\\\u0000\u2028";
    feed(d, List.of(
        Events.ev("on_chain_start", evil, "x1", List.of(), List.of(evil), Map.of("input", evil + "y".repeat(100)), 0),
        Events.ev("on_chain_end", evil, "x1", List.of(), List.of(evil), Map.of("output", Stream.of(1, 2).toList()), 1)));
    JsonNode first = MAPPER.readTree(json(d, "/api/runs/x1/events").get("items").get(0).get("raw").asText());
    assertThat(first.get("name").asText()).isEqualTo(evil);
    assertThat(first.get("tags").get(0).asText()).isEqualTo(evil);
    assertThat(first.get("data").get("input").asText()).startsWith(evil.substring(0, 30)).contains("[truncated");
    assertThat(json(d, "/api/runs").get("items").get(0).get("name").asText()).isEqualTo(evil);
  }

  /** A minimal Server-Sent Events client over java.net.http. */
  static final class SseReader implements AutoCloseable {
    record Message(String id, String event, String data) {}

    private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
    private final InputStream body;

    SseReader(Dashboard d, String path, String lastEventId) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(d.uri().resolve(path));
      if (lastEventId != null) {
        b.header("Last-Event-ID", lastEventId);
      }
      HttpResponse<InputStream> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
      body = r.body();
      Thread t = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
          }
        } catch (java.io.IOException e) {
          // closed
        }
      }, "sse-test-reader");
      t.setDaemon(true);
      t.start();
    }

    Message next() throws InterruptedException {
      String id = null;
      String event = "message";
      StringBuilder data = new StringBuilder();
      while (true) {
        Object o = lines.poll(10, TimeUnit.SECONDS);
        assertThat(o).as("an SSE line within 10 s").isNotNull();
        String line = (String) o;
        if (line.isEmpty()) {
          if (data.length() > 0 || !event.equals("message")) {
            return new Message(id, event, data.toString());
          }
          continue;
        }
        if (line.startsWith(":") || line.startsWith("retry:")) {
          continue;
        }
        if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        }
      }
    }

    Message nextOf(String event) throws InterruptedException {
      while (true) {
        Message m = next();
        if (m.event().equals(event)) {
          return m;
        }
      }
    }

    @Override
    public void close() throws java.io.IOException {
      body.close();
    }
  }

}
