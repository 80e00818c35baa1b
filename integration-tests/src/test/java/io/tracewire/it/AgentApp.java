package io.tracewire.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.tracewire.adapters.openai.ChatOpenAI;
import io.tracewire.core.RunContext;
import io.tracewire.core.Tracewire;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import io.tracewire.exporters.otel.OtelBridge;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The application {@link AgentContextIT} runs in a JVM started with the OpenTelemetry Java
 * agent: a JDK {@code HttpServer} (instrumented by the agent) whose {@code /chat} handler runs
 * prompt | model-on-an-executor | parser, where the model is the real {@link ChatOpenAI}
 * (OkHttp, instrumented by the agent) calling the test's MockWebServer. The executor is a plain
 * thread pool, NOT wrapped with {@code RunContext.wrap}: only the agent's context propagation
 * can carry the parent run to its thread. Tracewire's bridge reuses the agent's
 * {@code GlobalOpenTelemetry}; a JSONL sink writes every event with its trace and span ids.
 *
 * <p>Arguments: the provider base URL (ending in {@code /}) and the JSONL path. Prints
 * {@code READY <port> <storage>} when serving; {@code /stop} ends the process after flushing.
 */
public final class AgentApp {
  private AgentApp() {}

  public static void main(String[] args) throws Exception {
    String providerUrl = args[0];
    Path jsonl = Path.of(args[1]);
    OtelBridge bridge = OtelBridge.builder().openTelemetry(GlobalOpenTelemetry.get()).build();
    JsonlFileSink sink = JsonlFileSink.builder(jsonl).traceLinks(bridge.traceLinks()).build();
    Tracewire tw = Tracewire.builder().listener(bridge)
        .sink(sink, SinkConfig.named("jsonl").withPolicy(OverflowPolicy.BLOCK)).install();

    ChatOpenAI model = ChatOpenAI.builder().baseUrl(providerUrl + "v1").apiKey("sk-it-not-a-real-key")
        .model("gpt-4o-mini").build();
    ExecutorService pool = Executors.newFixedThreadPool(1, r -> new Thread(r, "model-pool"));
    Runnable<Object, BaseMessage> onExecutor = RunnableLambda.of("model_on_executor",
        (Object prompt) -> {
          try {
            return pool.submit(() -> model.invoke(prompt)).get();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    @SuppressWarnings({"unchecked", "rawtypes"})
    Runnable<Map<String, Object>, String> chain = (Runnable) ChatPromptTemplate.of(ChatPromptTemplate.human("{question}"))
        .pipe((Runnable) onExecutor).pipe((Runnable) new StrOutputParser());

    CountDownLatch stop = new CountDownLatch(1);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/chat", ex -> {
      String out;
      int code = 200;
      try {
        String answer = chain.invoke(Map.of("question", "Say hello"));
        // after the chain the handler's current span must be the agent's SERVER span again
        out = answer + "\n" + Span.current().getSpanContext().getTraceId() + "\n" + Span.current().getSpanContext().getSpanId();
      } catch (RuntimeException e) {
        code = 500;
        out = e.toString();
      }
      reply(ex, code, out);
    });
    server.createContext("/stop", ex -> {
      reply(ex, 200, "bye");
      stop.countDown();
    });
    server.start();
    System.out.println("READY " + server.getAddress().getPort() + " " + RunContext.storageName());
    System.out.flush();
    stop.await();
    server.stop(0);
    pool.shutdown();
    tw.flush(Duration.ofSeconds(10));
    tw.close();
    bridge.close();
    // the agent exports what is left from its shutdown hook
    System.exit(0);
  }

  private static void reply(HttpExchange ex, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }
}
