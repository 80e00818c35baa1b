package io.tracewire.examples.springai;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;

/**
 * The {@code replay} profile: starts a local HTTP server on a free loopback port that answers
 * {@code POST /v1/chat/completions} with the recorded OpenAI stream
 * {@code replay/openai-answer.sse} (one event at a time, a few milliseconds apart, as a provider
 * streams), and points {@code spring.ai.openai.base-url} at it. The server runs on daemon threads
 * until the JVM exits. Without the profile it does nothing.
 */
public final class ReplayServer implements EnvironmentPostProcessor {
  static final String PROFILE = "replay";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    if (!env.acceptsProfiles(Profiles.of(PROFILE))) {
      return;
    }
    int port = start();
    env.getPropertySources().addFirst(new MapPropertySource("tracewire-replay", Map.of(
        "spring.ai.openai.base-url", "http://127.0.0.1:" + port + "/v1",
        "spring.ai.openai.api-key", "sk-replay-not-a-secret")));
  }

  static int start() {
    byte[] body;
    try (InputStream in = ReplayServer.class.getResourceAsStream("/replay/openai-answer.sse")) {
      body = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String[] events = new String(body, StandardCharsets.UTF_8).split("(?<=\n\n)");
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.setExecutor(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "replay-server");
        t.setDaemon(true);
        return t;
      }));
      server.createContext("/v1/chat/completions", exchange -> {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
          for (String event : events) {
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(15);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      server.start();
      return server.getAddress().getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
