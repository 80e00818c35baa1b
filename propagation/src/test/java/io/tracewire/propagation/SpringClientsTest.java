package io.tracewire.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tracewire.core.RemoteParent;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Spring's RestClient and WebClient with the Tracewire interceptor and filter (the snippet of
 * docs/propagation.md, "Spring"), over real HTTP to the JDK server filter: the callee's run is a
 * child of the calling run.
 */
class SpringClientsTest {
  private final List<StreamEvent> events = new CopyOnWriteArrayList<>();
  private final Runnable<String, String> handler = RunnableLambda.of("handler", (String x) -> x.toUpperCase(java.util.Locale.ROOT))
      .withConfig(RunConfig.builder().listener(events::add).build());
  private final TracewirePropagation propagation = TracewirePropagation.create();
  private HttpServer server;
  private String url;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/run", exchange -> {
      byte[] body = handler.invoke("pong").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    }).getFilters().add(TracingHttpServerFilter.create(propagation));
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/run";
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String inACallerRun(Function<String, String> call) {
    return RunnableLambda.of("call", call::apply).invoke("ping", RunConfig.builder().listener(events::add).build());
  }

  private void assertHandlerIsAChildOfCall() {
    StreamEvent call = events.stream().filter(e -> e.name().equals("call")).findFirst().orElseThrow();
    StreamEvent start = events.stream().filter(e -> e.name().equals("handler")).findFirst().orElseThrow();
    assertThat(start.parentIds()).containsExactly(call.runId());
    assertThat(start.metadata()).containsEntry(RemoteParent.METADATA_KEY, call.runId());
  }

  @Test
  void aRestClientWithTheInterceptorMakesTheCalleesRunAChildOfTheCallingRun() {
    RestClient rest = RestClient.builder().requestInterceptor(TracingClientHttpRequestInterceptor.create(propagation)).build();
    assertThat(inACallerRun(x -> rest.get().uri(url).retrieve().body(String.class))).isEqualTo("PONG");
    assertHandlerIsAChildOfCall();
    assertThat(propagation.stats().injected()).isEqualTo(1);
  }

  @Test
  void aWebClientWithTheFilterMakesTheCalleesRunAChildOfTheRunThatSubscribes() {
    WebClient web = WebClient.builder().clientConnector(new JdkClientHttpConnector())
        .filter(TracingExchangeFilterFunction.create(propagation)).build();
    assertThat(inACallerRun(x -> web.get().uri(url).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10))))
        .isEqualTo("PONG");
    assertHandlerIsAChildOfCall();
  }

  @Test
  void outsideAnyRunTheClientsSendNoRunPath() {
    RestClient rest = RestClient.builder().requestInterceptor(TracingClientHttpRequestInterceptor.create(propagation)).build();
    assertThat(rest.get().uri(url).retrieve().body(String.class)).isEqualTo("PONG");
    StreamEvent start = events.stream().filter(e -> e.name().equals("handler")).findFirst().orElseThrow();
    assertThat(start.parentIds()).isEmpty();
    assertThat(propagation.stats().remoteParents()).isZero();
  }
}
