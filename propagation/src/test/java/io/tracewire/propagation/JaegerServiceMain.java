package io.tracewire.propagation;

import com.sun.net.httpserver.HttpServer;
import io.tracewire.core.Tracewire;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.exporters.otel.OtelBridge;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Process B of {@link CrossProcessJaegerIT}: a JDK HttpServer with the Tracewire filter whose /run
 * handler runs chain "handler" (child "step"), exported by an OtelBridge to OTLP ENDPOINT as
 * service SERVICE. Prints {@code port=N}; /stop flushes the bridge and exits.
 */
public final class JaegerServiceMain {
  private JaegerServiceMain() {}

  public static void main(String[] args) throws Exception {
    String endpoint = args[0];
    String service = args[1];
    TracewirePropagation propagation = TracewirePropagation.create();
    OtelBridge bridge = OtelBridge.builder().endpoint(endpoint).serviceName(service)
        .scheduleDelay(Duration.ofMillis(100)).shutdownHook(false).build();
    Tracewire tw = Tracewire.builder().listener(bridge).install();
    Runnable<String, String> step = RunnableLambda.of("step", (String x) -> x.toUpperCase(Locale.ROOT));
    Runnable<String, String> handler = RunnableLambda.of("handler", (String x) -> step.invoke(x));
    CountDownLatch stop = new CountDownLatch(1);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/run", exchange -> {
      byte[] body = handler.invoke("pong").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    }).getFilters().add(TracingHttpServerFilter.create(propagation));
    server.createContext("/stop", exchange -> {
      boolean flushed = bridge.flush(Duration.ofSeconds(10));
      byte[] body = ("flushed=" + flushed + " " + propagation.stats()).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
      stop.countDown();
    });
    server.start();
    System.out.println("port=" + server.getAddress().getPort());
    System.out.flush();
    stop.await();
    server.stop(0);
    tw.close();
    bridge.close();
  }
}
