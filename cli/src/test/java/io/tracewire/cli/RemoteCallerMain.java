package io.tracewire.cli;

import io.tracewire.core.Tracewire;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import io.tracewire.propagation.TracewirePropagation;
import io.tracewire.propagation.TracingHttpClient;
import io.tracewire.propagation.TracingInterceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Process A of the cross-process tests: chain "okhttp-caller" (child "call") calls URL with
 * OkHttp, then chain "jdk-caller" (child "call") with the JDK client; both log to
 * DIR/caller-a.jsonl. Exits 0 when both calls answered "PONG".
 */
public final class RemoteCallerMain {
  private RemoteCallerMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    URI uri = URI.create(args[1]);
    TracewirePropagation propagation = TracewirePropagation.create();
    OkHttpClient okhttp = new OkHttpClient.Builder().addInterceptor(TracingInterceptor.create(propagation)).build();
    HttpClient jdk = TracingHttpClient.wrap(HttpClient.newHttpClient(), propagation);
    String a;
    String b;
    try (Tracewire tw = Tracewire.builder().sink(JsonlFileSink.builder(dir.resolve("caller-a.jsonl")).build()).install()) {
      a = caller("okhttp-caller", x -> {
        try (okhttp3.Response r = okhttp.newCall(new Request.Builder().url(uri.toString()).build()).execute()) {
          return r.body().string();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).invoke("ping");
      b = caller("jdk-caller", x -> {
        try {
          return jdk.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }).invoke("ping");
    } finally {
      okhttp.dispatcher().executorService().shutdown();
      okhttp.connectionPool().evictAll();
    }
    if (!a.equals("PONG") || !b.equals("PONG")) {
      System.err.println("unexpected answers: " + a + ", " + b);
      System.exit(1);
    }
  }

  private static Runnable<String, String> caller(String name, java.util.function.Function<String, String> call) {
    Runnable<String, String> callRun = RunnableLambda.of("call", call);
    return RunnableLambda.of(name, (String x) -> callRun.invoke(x));
  }
}
