package io.tracewire.consumers.agent;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.tracewire.adapters.openai.ChatOpenAI;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.Tracewire;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.tool.Tool;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import io.tracewire.exporters.otel.OtelBridge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A user's plain Java app, started with the OpenTelemetry Java agent: Tracewire's bridge on the
 * agent's {@code GlobalOpenTelemetry}, a JSONL log with trace links, and a weather assistant
 * (Tracewire's {@link ChatOpenAI} and one {@link Tool}) asked by many users at once.
 *
 * <p>Arguments: the provider base URL, the JSONL path and the number of users. Prints one line
 * {@code ANSWER <user> <text>} per user, then exits 0 after flushing the log.
 */
public final class WeatherApp {
  private WeatherApp() {}

  public static void main(String[] args) throws Exception {
    String baseUrl = args[0];
    Path jsonl = Path.of(args[1]);
    int users = Integer.parseInt(args[2]);
    System.out.println("OPENTELEMETRY " + GlobalOpenTelemetry.get().getClass().getName());

    OtelBridge bridge = OtelBridge.builder().openTelemetry(GlobalOpenTelemetry.get()).build();
    JsonlFileSink sink = JsonlFileSink.builder(jsonl).traceLinks(bridge.traceLinks()).build();
    Tracewire tracing = Tracewire.builder().listener(bridge)
        .sink(sink, SinkConfig.named("jsonl").withPolicy(OverflowPolicy.BLOCK)).install();

    Tool weather = Tool.builder("get_weather").description("Current weather of a city")
        .arg("city", "string", "the city")
        .function(a -> String.valueOf(a.get("city")).startsWith("Paris") ? "sunny, 24C" : "cloudy, 19C").build();
    Map<String, Object> weatherSchema = Map.of("type", "function", "function", Map.of("name", weather.name(),
        "description", weather.description(), "parameters", weather.argsSchema()));
    ChatOpenAI model = ChatOpenAI.builder().baseUrl(baseUrl).apiKey("sk-replayed-not-a-secret").model("gpt-4o-mini")
        .build();

    ExecutorService pool = Executors.newFixedThreadPool(users);
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      String user = String.format("user-%02d", i);
      calls.add(CompletableFuture.supplyAsync(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return Tracewire.trace("request " + user, () -> {
          List<BaseMessage> messages = new ArrayList<>();
          messages.add(new HumanMessage("Weather in Paris and Rome? (asked by " + user + ")"));
          AIMessage toolRound = (AIMessage) model.bind(Map.of("tools", List.of(weatherSchema))).invoke(messages);
          messages.add(toolRound);
          for (ToolCall call : toolRound.toolCalls()) {
            messages.add((BaseMessage) weather.invoke(call));
          }
          StringBuilder answer = new StringBuilder();
          try (CloseableIterator<BaseMessage> chunks = model.stream(messages)) {
            chunks.forEachRemaining(c -> answer.append(((AIMessageChunk) c).content()));
          }
          return answer.toString();
        });
      }, pool));
    }
    start.countDown();
    int failed = 0;
    for (int i = 0; i < users; i++) {
      try {
        System.out.println("ANSWER " + String.format("user-%02d", i) + " " + calls.get(i).get(60, TimeUnit.SECONDS));
      } catch (Exception e) {
        failed++;
        System.out.println("FAILED " + String.format("user-%02d", i) + " " + e);
      }
    }
    pool.shutdown();
    tracing.flush(Duration.ofSeconds(10));
    tracing.close();
    bridge.close();
    System.out.flush();
    System.exit(failed == 0 ? 0 : 1);
  }
}
