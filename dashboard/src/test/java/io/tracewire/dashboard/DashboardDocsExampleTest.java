package io.tracewire.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.Runnable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The embedding snippet of docs/dashboard.md, run as written (with port 0 instead of 7070). */
class DashboardDocsExampleTest {
  @Test
  void theEmbeddingExampleServesTheRunItTraced() throws Exception {
    Runnable<String, String> chain = DemoRuns.chain(Duration.ZERO);
    String input = "Write me a 1 verse song about goldfish on the moon";
    URI uri;
    try (Dashboard dashboard = Dashboard.builder()
        .port(0)
        .start()) {
      System.out.println("dashboard at " + dashboard.uri());
      chain.invoke(input, RunConfig.builder().listener(dashboard.listener()).build());
      assertThat(dashboard.flush(Duration.ofSeconds(10))).isTrue();
      uri = dashboard.uri();
      String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri.resolve("/api/runs")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(body).contains("\"name\":\"answer_question\"").contains("\"status\":\"ok\"");
      assertThat(dashboard.stats().runs()).isEqualTo(7);
    }
  }
}
