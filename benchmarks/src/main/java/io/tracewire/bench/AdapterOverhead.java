package io.tracewire.bench;

import io.tracewire.adapters.openai.ChatOpenAI;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.event.StreamEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * The chat adapters' cost over OkHttp's own reading, against a local MockWebServer replaying an
 * OpenAI chat-completions stream: (1) per chunk: {@code ChatOpenAI} under {@code streamEvents}
 * (SSE framing, JSON mapping, chunk merging, events) minus a plain OkHttp read of the same lines;
 * (2) time to first chunk added by tracing: the first {@code on_chat_model_stream} event against the first
 * chunk of the same adapter without events ({@code stream}), as p50/p99 over many requests. Run with
 * {@code java -cp benchmarks/target/benchmarks.jar io.tracewire.bench.AdapterOverhead}.
 */
public final class AdapterOverhead {
  private AdapterOverhead() {}

  /** Plain OkHttp: read every line; returns nanoseconds to the first data line, or the total. */
  static long[] plain(OkHttpClient http, String url) throws Exception {
    long t0 = System.nanoTime();
    long first = -1;
    Request req = new Request.Builder().url(url + "chat/completions")
        .post(RequestBody.create("{\"model\":\"gpt-4o-mini\",\"stream\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8), okhttp3.MediaType.get("application/json"))).build();
    try (Response r = http.newCall(req).execute()) {
      BufferedSource src = r.body().source();
      for (String line; (line = src.readUtf8Line()) != null; ) {
        if (first < 0 && line.startsWith("data:")) {
          first = System.nanoTime() - t0;
        }
      }
    }
    return new long[] {first, System.nanoTime() - t0};
  }

  /** The adapter without events (a plain stream); nanoseconds to the first chunk, and the total. */
  static long[] untraced(ChatOpenAI model) {
    long t0 = System.nanoTime();
    long first = -1;
    try (CloseableIterator<io.tracewire.core.message.BaseMessage> it = model.stream("hi")) {
      while (it.hasNext()) {
        it.next();
        if (first < 0) {
          first = System.nanoTime() - t0;
        }
      }
    }
    return new long[] {first, System.nanoTime() - t0};
  }

  /** The adapter under streamEvents; returns nanoseconds to the first stream event, and the total. */
  static long[] traced(ChatOpenAI model) {
    long t0 = System.nanoTime();
    long first = -1;
    try (CloseableIterator<StreamEvent> it = model.streamEvents("hi")) {
      while (it.hasNext()) {
        StreamEvent e = it.next();
        if (first < 0 && e.event().equals("on_chat_model_stream")) {
          first = System.nanoTime() - t0;
        }
      }
    }
    return new long[] {first, System.nanoTime() - t0};
  }

  static double pct(long[] v, double p) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.round(p * (s.length - 1)))] / 1e3;
  }

  public static void main(String[] args) throws Exception {
    int chunks = 2000;
    int rounds = 30;
    int ttfcRequests = 5000;
    String big = Loopback.openAiStream(chunks);
    String small = Loopback.openAiStream(3);
    try (MockWebServer server = new MockWebServer()) {
      server.setServerSocketFactory(Loopback.noDelayServerSockets());
      server.start();
      String url = server.url("/v1/").toString();
      // TCP_NODELAY on the client: otherwise Nagle plus delayed ACKs put a ~40 ms stall before every
      // first byte on loopback, whose jitter would swamp the microseconds measured here.
      OkHttpClient http = new OkHttpClient.Builder().socketFactory(Loopback.noDelaySockets()).build();
      ChatOpenAI model = ChatOpenAI.builder().baseUrl(url).apiKey("sk-bench").model("gpt-4o-mini").httpClient(http).build();
      // warm up both paths
      for (int i = 0; i < 20; i++) {
        server.enqueue(Loopback.sseResponse(big));
        plain(http, url);
        server.enqueue(Loopback.sseResponse(big));
        traced(model);
      }
      long[] plainTotal = new long[rounds];
      long[] tracedTotal = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        server.enqueue(Loopback.sseResponse(big));
        plainTotal[i] = plain(http, url)[1];
        server.enqueue(Loopback.sseResponse(big));
        tracedTotal[i] = traced(model)[1];
      }
      double perChunk = (pct(tracedTotal, 0.5) - pct(plainTotal, 0.5)) / chunks;
      long[] plainFirst = new long[ttfcRequests];
      long[] tracedFirst = new long[ttfcRequests];
      for (int i = 0; i < ttfcRequests; i++) {
        server.enqueue(Loopback.sseResponse(small));
        plainFirst[i] = untraced(model)[0];
        server.enqueue(Loopback.sseResponse(small));
        tracedFirst[i] = traced(model)[0];
      }
      List<String> out = new ArrayList<>();
      out.add(String.format(Locale.ROOT, "stream of %d chunks, median of %d: plain OkHttp %.0f us, ChatOpenAI + streamEvents %.0f us",
          chunks, rounds, pct(plainTotal, 0.5), pct(tracedTotal, 0.5)));
      out.add(String.format(Locale.ROOT, "adapter + tracer overhead per chunk: %.2f us (target <= 5)", perChunk));
      out.add(String.format(Locale.ROOT, "time to first chunk over %d requests: ChatOpenAI.stream p50 %.0f us p99 %.0f us;"
          + " under streamEvents p50 %.0f us p99 %.0f us; added by tracing p50 %.0f us, p99 %.0f us (target <= 50 at p99)", ttfcRequests, pct(plainFirst, 0.5), pct(plainFirst, 0.99),
          pct(tracedFirst, 0.5), pct(tracedFirst, 0.99), pct(tracedFirst, 0.5) - pct(plainFirst, 0.5),
          pct(tracedFirst, 0.99) - pct(plainFirst, 0.99)));
      out.forEach(System.out::println);
    }
  }
}
