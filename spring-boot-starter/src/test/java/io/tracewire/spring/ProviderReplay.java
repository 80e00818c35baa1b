package io.tracewire.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A provider endpoint on MockWebServer that replays recorded provider bytes from
 * {@code src/test/resources/replay}: chat requests (OpenAI {@code /v1/chat/completions},
 * Anthropic {@code /v1/messages}) get the queued responses in order; OpenAI embedding requests
 * get one three-dimensional vector per input ({@code Paris}, {@code Rome}, anything else).
 */
final class ProviderReplay implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final MockWebServer server = new MockWebServer();
  private final ConcurrentLinkedQueue<MockResponse> chat = new ConcurrentLinkedQueue<>();
  final List<String> chatBodies = new CopyOnWriteArrayList<>();
  private volatile String always;

  ProviderReplay() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        if (path.endsWith("/embeddings")) {
          return embeddings(body);
        }
        if (always != null) {
          return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream; charset=utf-8")
              .body(always).build();
        }
        chatBodies.add(body);
        MockResponse next = chat.poll();
        return next != null ? next
            : new MockResponse.Builder().code(500).body("{\"error\":{\"message\":\"no replay queued\"}}").build();
      }
    });
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url(String path) {
    return server.url(path).toString();
  }

  static String resource(String name) {
    try (InputStream in = ProviderReplay.class.getResourceAsStream("/replay/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no replay resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Queues a recorded SSE stream, sent as the provider sends it (chunked, event-stream). */
  ProviderReplay sse(String resource) {
    chat.add(new MockResponse.Builder().code(200)
        .addHeader("Content-Type", "text/event-stream; charset=utf-8")
        .body(resource(resource))
        .build());
    return this;
  }

  /** Queues a recorded error response. */
  ProviderReplay error(int code, String resource) {
    chat.add(new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
        .body(resource(resource)).build());
    return this;
  }

  /** Answers every chat request with this recorded SSE stream (for load; nothing is recorded). */
  ProviderReplay always(String resource) {
    always = resource(resource);
    return this;
  }

  /** Queues a recorded JSON response. */
  ProviderReplay json(String resource) {
    chat.add(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body(resource(resource)).build());
    return this;
  }

  private static MockResponse embeddings(String body) {
    List<String> inputs = new ArrayList<>();
    try {
      JsonNode in = JSON.readTree(body).get("input");
      if (in.isArray()) {
        in.forEach(n -> inputs.add(n.asText()));
      } else {
        inputs.add(in.asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < inputs.size(); i++) {
      String t = inputs.get(i);
      String v = t.contains("Paris") ? "[0.9,0.1,0.0]" : t.contains("Rome") ? "[0.1,0.9,0.0]" : "[0.0,0.2,0.9]";
      sb.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
          .append(",\"embedding\":").append(v).append('}');
    }
    sb.append("],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}");
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(sb.toString())
        .build();
  }

  @Override
  public void close() {
    server.close();
  }
}
