package io.tracewire.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewire.core.model.BaseChatModel;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.UsageMetadata;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every chat adapter shares, replayed against MockWebServer: event sequence and
 * metadata, framing robustness, error taxonomy, timeouts, retries, cancellation and secrecy of
 * the API key. Each adapter's test extends this class and supplies its recorded streams.
 */
public abstract class ChatModelContractTest {
  protected static final String SECRET = "sk-secret-K3yThatMustNeverLeak-0123456789";
  protected MockWebServer server;
  private final List<CountDownLatch> stalls = new ArrayList<>();

  /** A model pointed at {@code baseUrl} with the given key and settings. */
  protected abstract BaseChatModel model(String baseUrl, String apiKey, Timeouts timeouts, Retries retries);

  /** The provider name ({@code ls_provider}). */
  protected abstract String provider();

  /** The configured model name the adapter reports as {@code ls_model_name}. */
  protected abstract String modelName();

  /** A complete recorded text stream that carries usage. */
  protected abstract String helloStream();

  /** Its text. */
  protected abstract String helloText();

  /** A recorded stream that fails inside the 200 body after at least one chunk. */
  protected abstract String midStreamError();

  /** The error response body for 401, echoing the key back as some servers do. */
  protected abstract String authErrorBody(String echoedKey);

  /** The header the key travels in, and its expected value. */
  protected abstract String keyHeader();

  protected abstract String keyHeaderValue(String key);

  /** The request-id response header name. */
  protected abstract String requestIdHeader();

  protected abstract boolean sse();

  protected String contentType() {
    return sse() ? "text/event-stream; charset=utf-8" : "application/x-ndjson";
  }

  protected String baseUrl() {
    return server.url("/").toString();
  }

  protected BaseChatModel model() {
    return model(baseUrl(), SECRET, Timeouts.DEFAULTS, Retries.NONE);
  }

  @BeforeEach
  void startServer() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stopServer() {
    stalls.forEach(CountDownLatch::countDown);
    server.close();
  }

  protected CountDownLatch stall() {
    CountDownLatch l = new CountDownLatch(1);
    stalls.add(l);
    return l;
  }

  private static UsageMetadata usageOf(Object output) {
    if (output instanceof AIMessageChunk c) {
      return c.usageMetadata();
    }
    return ((AIMessage) output).usageMetadata();
  }

  @Test
  void streamEventsGiveStartStreamsAndEndWithUsage() {
    server.enqueue(Replay.stream(helloStream(), contentType(), 64).build());
    List<StreamEvent> events = model().streamEvents("Say hello").toList();

    assertThat(events).isNotEmpty();
    StreamEvent start = events.get(0);
    StreamEvent end = events.get(events.size() - 1);
    assertThat(start.event()).isEqualTo("on_chat_model_start");
    assertThat(end.event()).isEqualTo("on_chat_model_end");
    List<StreamEvent> middle = events.subList(1, events.size() - 1);
    assertThat(middle).isNotEmpty().allSatisfy(e -> assertThat(e.event()).isEqualTo("on_chat_model_stream"));
    assertThat(events).allSatisfy(e -> {
      assertThat(e.runId()).isEqualTo(start.runId());
      assertThat(e.metadata()).containsEntry("ls_provider", provider())
          .containsEntry("ls_model_type", "chat")
          .containsEntry("ls_model_name", modelName());
    });
    for (StreamEvent e : middle) {
      AIMessageChunk c = (AIMessageChunk) ((Map<?, ?>) e.data()).get("chunk");
      assertThat(c.id()).isEqualTo("lc_run--" + start.runId());
    }
    Object output = ((Map<?, ?>) end.data()).get("output");
    assertThat(((BaseMessage) output).text()).isEqualTo(helloText());
    UsageMetadata usage = usageOf(output);
    assertThat(usage).isNotNull();
    assertThat(usage.totalTokens()).isEqualTo(usage.inputTokens() + usage.outputTokens()).isPositive();
  }

  private List<String> chunkShapes(int fragmentSize, String body) {
    server.enqueue(Replay.stream(body, contentType(), fragmentSize).build());
    List<String> shapes = new ArrayList<>();
    try (CloseableIterator<BaseMessage> it = model().stream("Say hello")) {
      while (it.hasNext()) {
        AIMessageChunk c = (AIMessageChunk) it.next();
        shapes.add(c.withId(null).toString());
      }
    }
    return shapes;
  }

  @Test
  void streamsCutAtEveryAwkwardPlaceGiveTheSameChunks() {
    List<String> whole = chunkShapes(Integer.MAX_VALUE, helloStream());
    assertThat(whole).isNotEmpty();
    for (int size : new int[] {1, 2, 3, 5, 7, 13}) {
      assertThat(chunkShapes(size, helloStream())).as("fragments of %d bytes", size).isEqualTo(whole);
    }
  }

  @Test
  void crlfAndCrLineEndingsGiveTheSameChunks() {
    List<String> lf = chunkShapes(Integer.MAX_VALUE, helloStream());
    assertThat(chunkShapes(1, helloStream().replace("\n", "\r\n"))).isEqualTo(lf);
    assertThat(chunkShapes(4, helloStream().replace("\n", "\r\n"))).isEqualTo(lf);
    if (sse()) {
      assertThat(chunkShapes(3, helloStream().replace("\n", "\r"))).isEqualTo(lf);
    }
  }

  @Test
  void invokeReturnsTheMergedMessage() {
    server.enqueue(Replay.stream(helloStream(), contentType(), 16).build());
    BaseMessage out = model().invoke("Say hello");
    assertThat(out).isInstanceOf(AIMessage.class);
    assertThat(out.text()).isEqualTo(helloText());
    assertThat(((AIMessage) out).usageMetadata()).isNotNull();
  }

  @Test
  void invokeAsyncCompletesWithTheMessage() throws Exception {
    server.enqueue(Replay.stream(helloStream(), contentType(), 16).build());
    BaseMessage out = model().invokeAsync("Say hello").get(30, TimeUnit.SECONDS);
    assertThat(out.text()).isEqualTo(helloText());
  }

  @Test
  void theApiKeyIsSentInItsHeader() throws Exception {
    server.enqueue(Replay.stream(helloStream(), contentType(), 64).build());
    model().invoke("Say hello");
    RecordedRequest req = server.takeRequest();
    assertThat(req.getHeaders().get(keyHeader())).isEqualTo(keyHeaderValue(SECRET));
  }

  @Test
  void anErrorBeforeTheStreamBecomesAnAuthenticationErrorWithRequestIdAndErrorEvent() {
    server.enqueue(Replay.error(401, authErrorBody(SECRET)).addHeader(requestIdHeader(), "req_auth_1").build());
    List<StreamEvent> events = Collections.synchronizedList(new ArrayList<>());
    RunConfig cfg = RunConfig.builder().listener(events::add).build();
    Throwable thrown = null;
    try (CloseableIterator<BaseMessage> it = model().stream("Say hello", cfg)) {
      it.hasNext();
    } catch (RuntimeException e) {
      thrown = e;
    }
    assertThat(thrown).isInstanceOf(ChatProviderException.Authentication.class);
    ChatProviderException ex = (ChatProviderException) thrown;
    assertThat(ex.statusCode()).isEqualTo(401);
    assertThat(ex.provider()).isEqualTo(provider());
    assertThat(ex.requestId()).contains("req_auth_1");
    assertThat(events).extracting(StreamEvent::event).containsExactly("on_chat_model_start", "on_chat_model_error");
  }

  @Test
  void theApiKeyNeverAppearsInExceptionsOrEvents() {
    server.enqueue(Replay.error(401, authErrorBody(SECRET)).build());
    List<StreamEvent> events = Collections.synchronizedList(new ArrayList<>());
    RunConfig cfg = RunConfig.builder().listener(events::add).build();
    Throwable thrown = null;
    try {
      model().invoke("Say hello", cfg);
    } catch (RuntimeException e) {
      thrown = e;
    }
    assertThat(thrown).isNotNull();
    StringWriter trace = new StringWriter();
    thrown.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).contains("REDACTED").doesNotContain(SECRET);
    assertThat(events).isNotEmpty();
    assertThat(events.toString()).doesNotContain(SECRET);
    assertThat(model().toString()).doesNotContain(SECRET);
  }

  @Test
  void anErrorInsideTheStreamIsThrownAfterTheChunksBefore() {
    server.enqueue(Replay.stream(midStreamError(), contentType(), 32).build());
    List<AIMessageChunk> seen = new ArrayList<>();
    List<StreamEvent> events = Collections.synchronizedList(new ArrayList<>());
    RunConfig cfg = RunConfig.builder().listener(events::add).build();
    assertThatThrownBy(() -> {
      try (CloseableIterator<BaseMessage> it = model().stream("Say hello", cfg)) {
        while (it.hasNext()) {
          seen.add((AIMessageChunk) it.next());
        }
      }
    }).isInstanceOf(ChatProviderException.class)
        .satisfies(e -> assertThat(((ChatProviderException) e).statusCode()).isEqualTo(200));
    assertThat(seen).isNotEmpty();
    StreamEvent last = events.get(events.size() - 1);
    assertThat(last.event()).isEqualTo("on_chat_model_error");
    assertThat(((Map<?, ?>) last.data()).get("output")).isNotNull();
  }

  @Test
  void aStallBetweenChunksEndsWithATimeout() {
    server.enqueue(Replay.stalled(Replay.firstFrame(helloStream(), sse()), contentType(), stall()).build());
    Timeouts t = Timeouts.DEFAULTS.withIdle(Duration.ofMillis(300));
    BaseChatModel m = model(baseUrl(), SECRET, t, Retries.DEFAULTS);
    List<BaseMessage> seen = new ArrayList<>();
    assertThatThrownBy(() -> {
      try (CloseableIterator<BaseMessage> it = m.stream("Say hello")) {
        while (it.hasNext()) {
          seen.add(it.next());
        }
      }
    }).isInstanceOf(ChatProviderException.Timeout.class);
    assertThat(seen).hasSize(1);
    assertThat(server.getRequestCount()).as("no retry after a chunk was delivered").isEqualTo(1);
  }

  @Test
  void noResponseHeadersWithinTheFirstByteTimeoutIsATimeout() {
    server.enqueue(Replay.stream(helloStream(), contentType(), 64)
        .onResponseStart(mockwebserver3.SocketEffect.Stall.INSTANCE).build());
    BaseChatModel m = model(baseUrl(), SECRET, Timeouts.DEFAULTS.withFirstByte(Duration.ofMillis(300)), Retries.NONE);
    assertThatThrownBy(() -> m.invoke("Say hello")).isInstanceOf(ChatProviderException.Timeout.class);
  }

  @Test
  void aStreamOutlastingTheTotalTimeoutIsATimeout() {
    server.enqueue(Replay.stalled(Replay.firstFrame(helloStream(), sse()), contentType(), stall()).build());
    BaseChatModel m = model(baseUrl(), SECRET, Timeouts.DEFAULTS.withTotal(Duration.ofMillis(500)), Retries.NONE);
    assertThatThrownBy(() -> m.stream("Say hello").toList()).isInstanceOf(ChatProviderException.Timeout.class);
  }

  @Test
  void anAbruptDisconnectIsAConnectionError() {
    server.enqueue(Replay.truncated(Replay.firstFrame(helloStream(), sse()), contentType()).build());
    assertThatThrownBy(() -> model().stream("Say hello").toList())
        .isInstanceOf(ChatProviderException.class)
        .isInstanceOfAny(ChatProviderException.Connection.class, ChatProviderException.MalformedStream.class);
  }

  @Test
  void aStreamThatEndsBeforeItsEndMarkerIsMalformed() {
    String first = Replay.firstFrame(helloStream(), sse());
    server.enqueue(Replay.stream(first, contentType(), 64).build());
    assertThatThrownBy(() -> model().stream("Say hello").toList())
        .isInstanceOf(ChatProviderException.MalformedStream.class);
  }

  @Test
  void rateLimitWithRetryAfterIsRetriedThenSucceeds() throws Exception {
    server.enqueue(Replay.error(429, authErrorBody("x")).addHeader("retry-after-ms", "20").build());
    server.enqueue(Replay.error(503, authErrorBody("x")).addHeader("retry-after", "0").build());
    server.enqueue(Replay.stream(helloStream(), contentType(), 64).build());
    BaseChatModel m = model(baseUrl(), SECRET, Timeouts.DEFAULTS, Retries.DEFAULTS);
    assertThat(m.invoke("Say hello").text()).isEqualTo(helloText());
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void rateLimitWithoutRetriesCarriesTheRetryAfterHint() {
    server.enqueue(Replay.error(429, authErrorBody("x")).addHeader("retry-after", "7")
        .addHeader(requestIdHeader(), "req_rl").build());
    assertThatThrownBy(() -> model().invoke("Say hello"))
        .isInstanceOfSatisfying(ChatProviderException.RateLimited.class, e -> {
          assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
          assertThat(e.requestId()).contains("req_rl");
          assertThat(e.isRetryable()).isTrue();
        });
  }

  @Test
  void aConnectionFailureBeforeTheFirstChunkIsRetried() {
    server.enqueue(Replay.truncated("", contentType()).build());
    server.enqueue(Replay.stream(helloStream(), contentType(), 64).build());
    BaseChatModel m = model(baseUrl(), SECRET, Timeouts.DEFAULTS,
        new Retries(2, Duration.ofMillis(1), Duration.ofMillis(5)));
    assertThat(m.invoke("Say hello").text()).isEqualTo(helloText());
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void closingTheStreamFromAnotherThreadCancelsTheCallAtOnce() throws Exception {
    server.enqueue(Replay.stalled(Replay.firstFrame(helloStream(), sse()), contentType(), stall()).build());
    List<StreamEvent> events = Collections.synchronizedList(new ArrayList<>());
    CloseableIterator<BaseMessage> it = model().stream("Say hello", RunConfig.builder().listener(events::add).build());
    CountDownLatch firstSeen = new CountDownLatch(1);
    CompletableFuture<Boolean> consumer = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        it.next();
        firstSeen.countDown();
        consumer.complete(it.hasNext());
      } catch (Throwable t) {
        consumer.completeExceptionally(t);
      }
    }, "contract-reader");
    reader.start();
    assertThat(firstSeen.await(30, TimeUnit.SECONDS)).isTrue();
    awaitBlockedInSocketRead(reader);
    it.close();
    assertThatThrownBy(() -> consumer.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ChatProviderException.Cancelled.class);
    reader.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(reader.isAlive()).as("no thread is left reading").isFalse();
    assertThat(events).extracting(StreamEvent::event).contains("on_chat_model_cancel")
        .doesNotContain("on_chat_model_end");
  }

  /** Waits until {@code t} is inside a socket read (its stack shows Okio's socket source). */
  private static void awaitBlockedInSocketRead(Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (StackTraceElement e : t.getStackTrace()) {
        if (e.getClassName().startsWith("okio.") && e.getMethodName().equals("read")
            && (t.getState() == Thread.State.RUNNABLE || t.getState() == Thread.State.WAITING)) {
          if (Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().contains("Socket")
              || f.getClassName().startsWith("sun.nio"))) {
            return;
          }
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the reader never blocked in a socket read");
  }

  @Test
  void cancellingTheInvokeAsyncFutureCancelsTheCall() throws Exception {
    server.enqueue(Replay.stalled(Replay.firstFrame(helloStream(), sse()), contentType(), stall()).build());
    CompletableFuture<StreamEvent> ended = new CompletableFuture<>();
    RunConfig cfg = RunConfig.builder().listener(e -> {
      if (e.event().equals("on_chat_model_error") || e.event().equals("on_chat_model_end")) {
        ended.complete(e);
      }
    }).build();
    CompletableFuture<BaseMessage> f = model().invokeAsync("Say hello", cfg);
    assertThat(server.takeRequest(30, TimeUnit.SECONDS)).as("the request reached the server").isNotNull();
    assertThat(f.cancel(true)).isTrue();
    assertThat(f).isCancelled();
    StreamEvent end = ended.get(30, TimeUnit.SECONDS);
    assertThat(end.event()).isEqualTo("on_chat_model_error");
    assertThat(((Map<?, ?>) end.data()).get("error")).isInstanceOf(ChatProviderException.Cancelled.class);
  }

  @Test
  void closingBeforeTheFirstReadSendsNothing() {
    CloseableIterator<BaseMessage> it = model().stream("Say hello");
    it.close();
    assertThat(server.getRequestCount()).isZero();
  }
}
