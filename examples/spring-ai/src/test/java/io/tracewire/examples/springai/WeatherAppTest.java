package io.tracewire.examples.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.Tracewire;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** The example as a user runs it with the replay profile: one SSE request, traced to JSONL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "tracewire.dashboard.port=0", "tracewire.console.enabled=false",
    "tracewire.jsonl.path=target/weather-app-test-events.jsonl"})
@ActiveProfiles("replay")
class WeatherAppTest {
  @LocalServerPort int port;
  @Autowired Tracewire tracewire;

  @Test
  void askStreamsTheReplayedAnswerOverSseAndTracesIt() throws Exception {
    Path log = Path.of("target/weather-app-test-events.jsonl");
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/ask?q=Paris")).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("data: mild").contains("data: umbrella");
    assertThat(tracewire.flush(Duration.ofSeconds(10))).isTrue();
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).anyMatch(l -> l.contains("\"on_chain_start\"") && l.contains("ChatClient"));
    assertThat(lines).anyMatch(l -> l.contains("\"on_chat_model_stream\"") && l.contains(" umbrella"));
    assertThat(lines).anyMatch(l -> l.contains("\"on_chat_model_end\"") && l.contains("\"input_tokens\":27"));
  }
}
