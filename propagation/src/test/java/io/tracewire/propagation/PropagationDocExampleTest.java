package io.tracewire.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tracewire.core.RemoteParent;
import io.tracewire.core.RunConfig;
import io.tracewire.core.RunContext;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snippets of docs/propagation.md, compiled and run (keep them in sync). */
class PropagationDocExampleTest {
  @TempDir
  Path tmp;

  private final List<StreamEvent> events = new CopyOnWriteArrayList<>();
  private final Runnable<String, String> handler = RunnableLambda.of("handler", (String x) -> x.toUpperCase(java.util.Locale.ROOT))
      .withConfig(RunConfig.builder().listener(events::add).build());

  private String inACallerRun(java.util.function.Function<String, String> call) {
    return RunnableLambda.of("call", call::apply).invoke("ping", RunConfig.builder().listener(events::add).build());
  }

  private void assertHandlerIsAChildOfCall() {
    StreamEvent call = events.stream().filter(e -> e.name().equals("call")).findFirst().orElseThrow();
    StreamEvent start = events.stream().filter(e -> e.name().equals("handler")).findFirst().orElseThrow();
    assertThat(start.parentIds()).containsExactly(call.runId());
    assertThat(start.metadata()).containsEntry(RemoteParent.METADATA_KEY, call.runId());
  }

  @Test
  void clientAndServerSnippets() throws Exception {
    // --- docs: client side, OkHttp
    TracewirePropagation propagation = TracewirePropagation.create();
    OkHttpClient http = new OkHttpClient.Builder()
        .addInterceptor(TracingInterceptor.create(propagation))
        .build();
    // --- docs: server side, JDK HttpServer
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/run", exchange -> {
      byte[] body = handler.invoke("pong").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    }).getFilters().add(TracingHttpServerFilter.create(propagation));
    // ---
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/run");
    try {
      String answer = inACallerRun(x -> {
        try (okhttp3.Response r = http.newCall(new Request.Builder().url(uri.toString()).build()).execute()) {
          return r.body().string();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      assertThat(answer).isEqualTo("PONG");
      assertHandlerIsAChildOfCall();

      // --- docs: client side, JDK HttpClient
      HttpClient jdk = TracingHttpClient.wrap(HttpClient.newHttpClient(), propagation);
      HttpRequest one = TracingHttpClient.inject(HttpRequest.newBuilder(uri).build(), propagation);
      // ---
      assertThat(jdk.send(one, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("PONG");
    } finally {
      server.stop(0);
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Test
  void servletSnippet() throws Exception {
    TracewirePropagation propagation = TracewirePropagation.create();
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(tmp.toString());
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    org.apache.catalina.Context ctx = tomcat.addContext("", tmp.toString());
    ctx.addServletContainerInitializer((classes, servletContext) -> {
      // --- docs: server side, Jakarta Servlet
      FilterRegistration.Dynamic tracewire = servletContext.addFilter("tracewire", new TracingServletFilter(propagation));
      tracewire.addMappingForUrlPatterns(null, false, "/*");
      // ---
      servletContext.addServlet("run", new HttpServlet() {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
          resp.getWriter().write(handler.invoke("pong"));
        }
      }).addMapping("/run");
    }, null);
    tomcat.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/run");
      HttpClient jdk = TracingHttpClient.wrap(HttpClient.newHttpClient(), propagation);
      String answer = inACallerRun(x -> {
        try {
          return jdk.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(answer).isEqualTo("PONG");
      assertHandlerIsAChildOfCall();
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  @Test
  void coreSnippet() {
    Runnable<String, String> chain = handler;
    String input = "x";
    RemoteParent[] carried = new RemoteParent[1];
    inACallerRun(x -> {
      // --- docs: RemoteParent
      RemoteParent caller = RemoteParent.current().orElseThrow();   // on the caller's side, inside a run
      // ---
      carried[0] = caller;
      return x;
    });
    RemoteParent caller = carried[0];
    // --- docs: RemoteParent
    chain.invoke(input, RunConfig.builder().remoteParent(caller).build());   // one call
    try (RunContext.Scope s = RunContext.attachRemoteParent(caller)) {       // every run in a scope
      chain.invoke(input);
    }
    // ---
    assertThat(events).filteredOn(e -> e.name().equals("handler"))
        .hasSize(4)
        .allSatisfy(e -> assertThat(e.parentIds()).containsExactly(caller.runId().toString()));
  }
}
