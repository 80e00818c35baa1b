package io.tracewire.dashboard;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.UsageMetadata;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Not a test: a measuring tool. Loads 10,000 root runs and 1,000,000 seed-shaped events (a chain
 * with a chat model streaming 96 chunks each, metadata with the ls_* keys) into a dashboard, then
 * prints the retained heap and the latency of the main REST queries. Run it with
 * {@code java -cp <test classpath> io.tracewire.dashboard.ScaleProbe [roots] [chunksPerRoot]}.
 */
public final class ScaleProbe {
  private ScaleProbe() {}

  public static void main(String[] args) throws Exception {
    int roots = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int chunks = args.length > 1 ? Integer.parseInt(args[1]) : 96;
    Runtime rt = Runtime.getRuntime();
    long base = usedAfterGc(rt);
    try (Dashboard d = Dashboard.builder().port(0).start()) {
      long t0 = System.nanoTime();
      long seq = 0;
      long ts = System.currentTimeMillis() * 1_000_000L;
      Map<String, Object> md = new LinkedHashMap<>();
      md.put("ls_provider", "anthropic");
      md.put("ls_model_name", "claude-3-haiku-20240307");
      md.put("ls_model_type", "chat");
      md.put("ls_temperature", null);
      md.put("ls_max_tokens", 1024);
      List<String> tags = List.of("scale");
      for (int r = 0; r < roots; r++) {
        String root = String.format("01900000-0000-7000-8000-%012d", r);
        String model = String.format("01900000-0000-7000-9000-%012d", r);
        List<String> p = List.of(root);
        d.ingestBlocking(new StreamEvent("on_chain_start", "song_chain_" + (r % 50), root, List.of(), tags, Map.of(),
            Map.of("input", "Write me a 1 verse song about goldfish on the moon"), ++seq, ts += 1000));
        d.ingestBlocking(new StreamEvent("on_chat_model_start", "ChatAnthropic", model, p, tags, md,
            Map.of("input", Map.of("messages", List.of())), ++seq, ts += 1000));
        for (int c = 0; c < chunks; c++) {
          AIMessageChunk chunk = AIMessageChunk.builder().content(c % 7 == 0 ? " moon" : " gold" + c).id("run-" + model)
              .usage(c == 0 ? new UsageMetadata(21, 2, 23) : null).build();
          d.ingestBlocking(new StreamEvent("on_chat_model_stream", "ChatAnthropic", model, p, tags, md,
              Map.of("chunk", chunk), ++seq, ts += 20_000_000));
        }
        d.ingestBlocking(new StreamEvent("on_chat_model_end", "ChatAnthropic", model, p, tags, md,
            Map.of("output", new AIMessage("song", "run-" + model, null, null, null, null,
                new UsageMetadata(21, chunks, 21 + chunks)), "input", Map.of()), ++seq, ts += 1000));
        d.ingestBlocking(new StreamEvent("on_chain_end", "song_chain_" + (r % 50), root, List.of(), tags, Map.of(),
            Map.of("output", "song"), ++seq, ts += 1000));
      }
      d.flush(Duration.ofMinutes(5));
      double secs = (System.nanoTime() - t0) / 1e9;
      Dashboard.Stats s = d.stats();
      long heap = usedAfterGc(rt) - base;
      System.out.printf("ingested %,d events (%,d roots) in %.1f s = %,.0f events/s%n", s.ingested(), s.rootRuns(),
          secs, s.ingested() / secs);
      System.out.printf("stored %,d events, %,d runs, estimated %,d bytes; evicted roots %d; dropped %d%n",
          s.storedEvents(), s.runs(), s.estimatedBytes(), s.evictedRootRuns(), s.dropped());
      System.out.printf("retained heap after GC: %,d MB (%.1f bytes/event)%n", heap / (1024 * 1024),
          heap / (double) s.storedEvents());
      HttpClient http = HttpClient.newHttpClient();
      String last = String.format("01900000-0000-7000-8000-%012d", roots - 1);
      String lastModel = String.format("01900000-0000-7000-9000-%012d", roots - 1);
      for (String path : List.of("/api/runs?limit=100", "/api/runs?offset=9000&limit=100",
          "/api/runs?q=song_chain_7&limit=100", "/api/runs?status=error", "/api/runs/" + last,
          "/api/runs/" + last + "/events?offset=50&limit=100", "/api/runs/" + lastModel + "/tokens",
          "/api/runs/" + String.format("01900000-0000-7000-8000-%012d", roots / 2) + "/events?limit=100",
          "/api/summary")) {
        long best = Long.MAX_VALUE;
        int size = 0;
        for (int i = 0; i < 5; i++) {
          long a = System.nanoTime();
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(d.uri() + path.substring(1))).build(),
              HttpResponse.BodyHandlers.ofString());
          best = Math.min(best, System.nanoTime() - a);
          size = r.body().length();
        }
        System.out.printf("GET %-90s %7.2f ms  %,9d chars%n", path, best / 1e6, size);
      }
    }
  }

  private static long usedAfterGc(Runtime rt) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
