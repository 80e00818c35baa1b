package io.tracewire.consumers.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.tracewire.cli.Main;
import io.tracewire.core.Tracewire;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The AI Service as a user runs it, on LangChain4j's BOM: 24 users at once, each with its own
 * memory id, against replayed OpenAI streams over real HTTP (a tool-call round, then the answer
 * with usage). Then {@code tracewire validate} on the JSONL, and the exact tree per request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracedRequestsTest {
  static final int USERS = 24;
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern USER = Pattern.compile("user-\\d\\d");

  final Map<String, String> answers = new ConcurrentHashMap<>();
  Path jsonl;
  List<JsonNode> events = new ArrayList<>();

  @BeforeAll
  void runTheRequests() throws Exception {
    jsonl = Files.createTempDirectory("consumer-langchain4j").resolve("events.jsonl");
    try (MockWebServer provider = new MockWebServer()) {
      provider.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          // LangChain4j's OpenAI client sends indented JSON: read it, do not match its text
          boolean afterTools = false;
          try {
            for (JsonNode m : JSON.readTree(request.getBody() == null ? "{}" : request.getBody().utf8()).path("messages")) {
              afterTools |= m.path("role").asText().equals("tool");
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          String name = afterTools ? "openai-after-tools.sse" : "openai-tools.sse";
          return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream; charset=utf-8")
              .body(resource(name)).build();
        }
      });
      provider.start();
      WeatherService.Assistant assistant = WeatherService.assistant(provider.url("/v1").toString());
      ExecutorService pool = Executors.newFixedThreadPool(USERS);
      CountDownLatch start = new CountDownLatch(1);
      try (Tracewire tracing = Tracewire.builder().sink(JsonlFileSink.builder(jsonl).build()).install()) {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
          String user = String.format("user-%02d", i);
          calls.add(CompletableFuture.runAsync(() -> {
            try {
              start.await();
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            answers.put(user, Tracewire.trace("request " + user, () -> {
              CompletableFuture<ChatResponse> done = new CompletableFuture<>();
              assistant.chat(user, "Weather in Paris and Rome? (asked by " + user + ")")
                  .onPartialResponse(t -> { })
                  .onCompleteResponse(done::complete)
                  .onError(done::completeExceptionally)
                  .start();
              return done.join().aiMessage().text();
            }));
          }, pool));
        }
        start.countDown();
        for (CompletableFuture<Void> c : calls) {
          c.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdown();
      }
    }
    for (String line : Files.readAllLines(jsonl)) {
      events.add(JSON.readTree(line));
    }
    System.out.printf("consumer langchain4j: %d concurrent AI Service requests, %d JSONL events%n", answers.size(),
        events.size());
  }

  @Test
  void theJsonlLogPassesTracewireValidate() {
    assertThat(Main.run("validate", jsonl.toString())).isZero();
  }

  @Test
  void everyRequestIsOneTreeWithItsTokensToolCallIdsAndUsage() {
    assertThat(answers).hasSize(USERS);
    assertThat(answers.values()).containsOnly("Paris is sunny, Rome is cloudy.");
    List<JsonNode> roots = events.stream().filter(e -> e.get("parent_ids").isEmpty()
        && e.get("event").asText().equals("on_chain_start")).toList();
    assertThat(roots).extracting(e -> e.get("name").asText()).hasSize(USERS).allMatch(n -> n.startsWith("request user-"));
    for (JsonNode root : roots) {
      String user = root.get("name").asText().substring("request ".length());
      String id = root.get("run_id").asText();
      List<JsonNode> tree = events.stream().filter(x -> x.get("run_id").asText().equals(id)
          || x.get("parent_ids").toString().contains("\"" + id + "\"")).toList();
      assertThat(named(tree, "on_chat_model_start")).as(user).hasSize(2);
      assertThat(named(tree, "on_tool_start")).extracting(e -> e.get("name").asText())
          .containsExactly("get_weather", "get_weather");
      assertThat(named(tree, "on_tool_end")).extracting(e -> e.at("/data/output/tool_call_id").asText())
          .containsExactly("call_Ab12", "call_Cd34");
      List<JsonNode> modelEnds = named(tree, "on_chat_model_end");
      assertThat(modelEnds).hasSize(2);
      JsonNode u = modelEnds.get(1).at("/data/output/usage_metadata");
      assertThat(List.of(u.path("input_tokens").asInt(), u.path("output_tokens").asInt(), u.path("total_tokens").asInt()))
          .as("usage of %s", user).containsExactly(88, 9, 97);
      StringBuilder tokens = new StringBuilder();
      for (JsonNode e : named(tree, "on_chat_model_stream")) {
        if (e.get("run_id").equals(modelEnds.get(1).get("run_id"))) {
          tokens.append(e.at("/data/chunk/content").asText());
        }
      }
      assertThat(tokens).as(user).hasToString("Paris is sunny, Rome is cloudy.");
      for (JsonNode e : tree) {
        USER.matcher(e.toString()).results().forEach(m -> assertThat(m.group()).as("event of %s: %s", user, e.get("event"))
            .isEqualTo(user));
      }
    }
  }

  private static List<JsonNode> named(List<JsonNode> tree, String event) {
    return tree.stream().filter(e -> e.get("event").asText().equals(event)).toList();
  }

  private static String resource(String name) {
    try (InputStream in = TracedRequestsTest.class.getResourceAsStream("/replay/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
