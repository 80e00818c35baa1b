package io.tracewire.cli;

import com.sun.net.httpserver.HttpServer;
import io.tracewire.core.Tracewire;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import io.tracewire.propagation.TracewirePropagation;
import io.tracewire.propagation.TracingHttpServerFilter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Process B of the cross-process tests: a JDK HttpServer whose /run handler runs chain "handler"
 * (child "step") and logs to DIR/service-b.jsonl. Prints {@code port=N}; /stop flushes and exits.
 * With a second argument {@code --no-filter} the server does not extract the run context.
 */
public final class RemoteServiceMain {
  private RemoteServiceMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    boolean filter = args.length < 2 || !args[1].equals("--no-filter");
    TracewirePropagation propagation = TracewirePropagation.create();
    Tracewire tw = Tracewire.builder().sink(JsonlFileSink.builder(dir.resolve("service-b.jsonl")).build()).install();
    Runnable<String, String> step = RunnableLambda.of("step", (String x) -> x.toUpperCase(Locale.ROOT));
    Runnable<String, String> handler = RunnableLambda.of("handler", (String x) -> step.invoke(x));
    CountDownLatch stop = new CountDownLatch(1);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    var run = server.createContext("/run", exchange -> {
      byte[] body = handler.invoke("pong").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    if (filter) {
      run.getFilters().add(TracingHttpServerFilter.create(propagation));
    }
    server.createContext("/stop", exchange -> {
      byte[] body = propagation.stats().toString().getBytes(StandardCharsets.UTF_8);
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
  }
}
