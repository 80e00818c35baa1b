package io.tracewire.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.model.BaseChatModel;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile or buggy provider echoes the API key back in every string it controls: the
 * request-id header, a {@code request_id} field, the error body (also cut at the truncation
 * limit), a mid-stream error event and {@code retry-after}. Replayed over real HTTP in each
 * provider's own error wire format, none of it may reach the exception's message, its
 * {@code toString}, its request id, its cause chain or the JSONL line of the failed run; neither
 * may the key's first {@value #PREFIX} characters.
 */
public abstract class ProviderEchoSecrecyContractTest {
  /** How many leading characters of the key count as a leak on their own. */
  protected static final int PREFIX = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  protected MockWebServer server;

  @TempDir
  Path dir;

  /** A model pointed at {@code baseUrl} with the given key and no retries. */
  protected abstract BaseChatModel model(String baseUrl, String apiKey);

  /** A key shaped like the provider's real keys. */
  protected abstract String apiKey();

  /**
   * The provider's error response body carrying {@code message}, with a top-level
   * {@code request_id} when {@code requestId} is not {@code null}.
   */
  protected abstract String errorBody(String message, String requestId);

  /** A 200 stream in the provider's framing: one text chunk, then its error event carrying {@code message}. */
  protected abstract String midStreamError(String message);

  /**
   * A successful 200 stream in the provider's framing whose text is {@value #SUCCESS_TEXT}
   * (in two or more chunks) and whose provider-metadata strings (the model, and the provider's
   * other strings: fingerprint, stop reason, final-frame fields) all carry {@code echo}.
   */
  protected abstract String successStream(String echo);

  /** The text of {@link #successStream}. */
  protected static final String SUCCESS_TEXT = "Hello there, sk-like words stay";

  /** The header value the key travels in ({@code Bearer <key>} or the bare key). */
  protected abstract String keyHeaderValue(String key);

  /** The request-id response header name. */
  protected abstract String requestIdHeader();

  protected abstract String streamContentType();

  @BeforeEach
  void startServer() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void aRequestIdHeaderEchoingTheKeyIsDroppedAndNeverShown() {
    String key = apiKey();
    for (String echo : List.of(key, keyHeaderValue(key), "req_" + key, key.substring(0, 20))) {
      server.enqueue(Replay.error(401, errorBody("Invalid API key.", null)).addHeader(requestIdHeader(), echo).build());
      ChatProviderException e = fail();
      assertNoLeak(e, key);
      assertThat(e.requestId()).as("request id echoing %s", echo).isEmpty();
    }
  }

  @Test
  void aJsonRequestIdEchoingTheKeyIsDroppedAndNeverShown() {
    String key = apiKey();
    for (String echo : List.of(key, keyHeaderValue(key), "x-api-key: " + key)) {
      server.enqueue(Replay.error(401, errorBody("Invalid API key.", echo)).build());
      ChatProviderException e = fail();
      assertNoLeak(e, key);
      assertThat(e.requestId()).as("request id echoing %s", echo).isEmpty();
    }
  }

  @Test
  void aRequestIdThatIsNotAPlausibleIdIsDropped() {
    for (String bad : List.of("req_" + "a".repeat(300), "req 1 with spaces", "req_1\u0007\u001b[31m", "req_1\nInjected")) {
      server.enqueue(Replay.error(400, errorBody("Bad request.", bad)).build());
      assertThat(fail().requestId()).as("request id %s", bad.replace("\u001b", "ESC")).isEmpty();
    }
    server.enqueue(Replay.error(400, errorBody("Bad request.", null))
        .addHeader(requestIdHeader(), "req_" + "b".repeat(300)).build());
    assertThat(fail().requestId()).isEmpty();
  }

  @Test
  void aPlausibleRequestIdIsKept() {
    server.enqueue(Replay.error(400, errorBody("Bad request.", null))
        .addHeader(requestIdHeader(), "req_011CTestPlausible-42").build());
    ChatProviderException e = fail();
    assertThat(e.requestId()).contains("req_011CTestPlausible-42");
    assertThat(e.getMessage()).endsWith("[request id req_011CTestPlausible-42]");
  }

  @Test
  void anErrorBodyEchoingTheKeyABearerTokenOrAnotherKeyIsRedacted() {
    String key = apiKey();
    String foreign = "sk-proj-SomeoneElsesKey0123456789abcdef";
    String message = "Incorrect API key provided: " + key + " (you sent Authorization: Bearer tok_9f8e7d6c5b4a3210; "
        + "earlier " + foreign + ", and a cut echo " + key.substring(0, 14) + ")";
    server.enqueue(Replay.error(401, errorBody(message, null)).build());
    ChatProviderException e = fail();
    assertNoLeak(e, key);
    assertThat(e.getMessage()).contains("[REDACTED]").doesNotContain("tok_9f8e7d6c5b4a3210")
        .doesNotContain(foreign.substring(0, 12));
  }

  @Test
  void aPlainTextBodyWithTheKeyAcrossTheTruncationCutLeaksNoPrefix() {
    String key = apiKey();
    // 488 characters, then the key: a cut at 500 characters leaves its first 12.
    String body = "<html><body>502 Bad Gateway ".concat("x".repeat(488 - 28)) + key + " upstream said so</body></html>";
    assertThat(body.indexOf(key)).isEqualTo(488);
    server.enqueue(new MockResponse.Builder().code(502).addHeader("Content-Type", "text/html").body(body).build());
    ChatProviderException e = fail();
    assertNoLeak(e, key);
    assertThat(e.getMessage()).contains("502 Bad Gateway");
  }

  @Test
  void aLongJsonErrorMessageWithTheKeyAcrossTheCutLeaksNoPrefixAndIsCut() {
    String key = apiKey();
    String message = "m".repeat(488) + key + " and then a great deal more text".repeat(100);
    server.enqueue(Replay.error(400, errorBody(message, null)).build());
    ChatProviderException e = fail();
    assertNoLeak(e, key);
    assertThat(e.getMessage()).hasSizeLessThan(700);
  }

  @Test
  void aMidStreamErrorEventEchoingTheKeyIsRedacted() {
    String key = apiKey();
    server.enqueue(Replay.stream(midStreamError("invalid key " + key + "; the key began " + key.substring(0, 14)
        + "..."), streamContentType(), 32).addHeader(requestIdHeader(), "req_stream_1").build());
    ChatProviderException e = fail();
    assertThat(e.statusCode()).isEqualTo(200);
    assertNoLeak(e, key);
    assertThat(e.requestId()).contains("req_stream_1");
  }

  @Test
  void aRetryAfterHeaderEchoingTheKeyGoesNowhere() {
    String key = apiKey();
    server.enqueue(Replay.error(429, errorBody("Slow down.", null)).addHeader("retry-after", key)
        .addHeader("retry-after-ms", keyHeaderValue(key)).build());
    ChatProviderException e = fail();
    assertThat(e).isInstanceOf(ChatProviderException.RateLimited.class);
    assertThat(((ChatProviderException.RateLimited) e).retryAfter()).isEmpty();
    assertNoLeak(e, key);
  }

  @Test
  void theJsonlLinesOfFailedRunsHoldNoKey() throws Exception {
    String key = apiKey();
    server.enqueue(Replay.error(401, errorBody("Incorrect API key provided: " + key.substring(0, 16), key))
        .addHeader(requestIdHeader(), keyHeaderValue(key)).build());
    server.enqueue(Replay.stream(midStreamError("bad key " + key.substring(0, 12)), streamContentType(), 32)
        .addHeader(requestIdHeader(), key).build());
    List<StreamEvent> events = Collections.synchronizedList(new ArrayList<>());
    RunConfig cfg = RunConfig.builder().listener(events::add).build();
    BaseChatModel m = model(server.url("/").toString(), key);
    for (int i = 0; i < 2; i++) {
      try (CloseableIterator<BaseMessage> it = m.stream("Say hello", cfg)) {
        while (it.hasNext()) {
          it.next();
        }
      } catch (ChatProviderException expected) {
        // the run fails; its events are what we check
      }
    }
    assertThat(events).extracting(StreamEvent::event).filteredOn("on_chat_model_error"::equals).hasSize(2);
    Path file = dir.resolve("events.jsonl");
    JsonlFileSink sink = JsonlFileSink.builder(file).build();
    try {
      sink.export(List.copyOf(events));
    } finally {
      sink.close();
    }
    String jsonl = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(jsonl).contains("on_chat_model_error").contains("[REDACTED]")
        .doesNotContain(key).doesNotContain(key.substring(0, PREFIX));
  }

  @Test
  void aSuccessfulStreamEchoingTheKeyInItsMetadataKeepsItOutOfEveryEventAndTheJsonl() throws Exception {
    String key = apiKey();
    for (String echo : List.of(key, keyHeaderValue(key), "model-" + key.substring(0, 12))) {
      server.enqueue(Replay.stream(successStream(echo), streamContentType(), 32).build());
      List<StreamEvent> events = Collections.synchronizedList(new ArrayList<>());
      RunConfig cfg = RunConfig.builder().listener(events::add).build();
      StringBuilder text = new StringBuilder();
      try (CloseableIterator<BaseMessage> it = model(server.url("/").toString(), key).stream("Say hello", cfg)) {
        while (it.hasNext()) {
          text.append(it.next().text());
        }
      }
      assertThat(text).as("the message content is not redacted").hasToString(SUCCESS_TEXT);
      assertThat(events).extracting(StreamEvent::event).contains("on_chat_model_stream").endsWith("on_chat_model_end");
      assertThat(events).allSatisfy(e -> assertThat(String.valueOf(e)).as("event %s echoing %s", e.event(), echo)
          .doesNotContain(key).doesNotContain(key.substring(0, PREFIX)));
      BaseMessage output = (BaseMessage) events.get(events.size() - 1).dataValue("output");
      assertThat(output.text()).isEqualTo(SUCCESS_TEXT);
      assertThat(String.valueOf(((io.tracewire.core.message.AIMessageChunk) output).responseMetadata().get("model_name")))
          .contains("[REDACTED]");
      Path file = dir.resolve("success-" + events.get(0).runId() + ".jsonl");
      JsonlFileSink sink = JsonlFileSink.builder(file).build();
      try {
        sink.export(List.copyOf(events));
      } finally {
        sink.close();
      }
      assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("on_chat_model_end")
          .doesNotContain(key).doesNotContain(key.substring(0, PREFIX));
    }
  }

  private ChatProviderException fail() {
    BaseChatModel m = model(server.url("/").toString(), apiKey());
    try (CloseableIterator<BaseMessage> it = m.stream("Say hello")) {
      while (it.hasNext()) {
        it.next();
      }
    } catch (ChatProviderException e) {
      return e;
    }
    throw new AssertionError("the call did not fail");
  }

  /** Asserts that neither the key nor its first {@value #PREFIX} characters appear anywhere in {@code e}. */
  protected static void assertNoLeak(ChatProviderException e, String key) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    List<String> seen = new ArrayList<>(List.of(String.valueOf(e.getMessage()), e.toString(),
        e.requestId().orElse(""), trace.toString()));
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      seen.add(t.toString());
    }
    for (String s : seen) {
      assertThat(s).doesNotContain(key).doesNotContain(key.substring(0, PREFIX));
    }
  }

  /** {@code s} as a JSON string literal. */
  protected static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
