package io.tracewire.it.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.mcp.McpToolProvider;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.stdio.StdioMcpTransport;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.TokenStream;
import io.tracewire.adapters.Replay;
import io.tracewire.adapters.langchain4j.LangChain4jMcpTracing;
import io.tracewire.adapters.langchain4j.LangChain4jTracing;
import io.tracewire.cli.Main;
import io.tracewire.core.Tracewire;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.exporters.jsonl.JsonlCodec;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import io.tracewire.exporters.jsonl.JsonlReader;
import io.tracewire.exporters.jsonl.ReadOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LangChain4j AI Service whose tools come from {@code langchain4j-mcp}'s {@code McpToolProvider}
 * (its own MCP client, with {@code LangChain4jMcpTracing.metaSupplier()}), calling an MCP server
 * in another JVM traced with {@code tracewire-mcp}'s server side, over stdio; the model rounds are
 * recorded OpenAI streams over real HTTP. Both processes log JSONL to one directory, and
 * {@code tracewire tail --tree} of it prints one tree: the server's tool run (a remote child) under
 * the client's tool run, for the call that succeeds and for the one the server fails.
 */
class LangChain4jMcpTreeTest {
  final MockWebServer provider = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    provider.start();
  }

  @AfterEach
  void stop() {
    provider.close();
  }

  @TempDir
  Path dir;

  interface Assistant {
    TokenStream chat(String question);
  }

  @Test
  void anAiServiceCallAndTheTracedMcpServerAreOneTreeInTailTree() throws Exception {
    for (String r : List.of("openai-round1.sse", "openai-round2.sse", "openai-final.sse")) {
      provider.enqueue(Replay.stream(Replay.resource("lc4j/" + r), "text/event-stream", 97).build());
    }
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m",
        "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider", "-cp", System.getProperty("java.class.path"),
        TracedWeatherServer.class.getName(), dir.toString());
    Tracewire tw = Tracewire.builder()
        .sink(JsonlFileSink.builder(dir.resolve("client.jsonl")).build(), SinkConfig.named("jsonl").withPolicy(OverflowPolicy.BLOCK))
        .install();
    String answer;
    ProcessHandle server;
    java.util.Set<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid).collect(java.util.stream.Collectors.toSet());
    try (McpClient mcp = DefaultMcpClient.builder()
        .transport(StdioMcpTransport.builder().command(command).logEvents(false).build())
        .metaSupplier(LangChain4jMcpTracing.metaSupplier())
        .toolExecutionTimeout(Duration.ofSeconds(60))
        .build()) {
      server = serverProcess(before);
      Assistant assistant = LangChain4jTracing.aiServices(Assistant.class)
          .streamingChatModel(OpenAiStreamingChatModel.builder().baseUrl(provider.url("/v1").toString())
              .apiKey("sk-test-not-a-key").modelName("gpt-4o-mini").temperature(0.0).build())
          .toolProvider(McpToolProvider.builder().mcpClients(mcp).build())
          .chatMemory(MessageWindowChatMemory.withMaxMessages(20))
          .build();
      CompletableFuture<ChatResponse> done = new CompletableFuture<>();
      answer = RunnableLambda.of("app", (String q) -> {
        assistant.chat(q).onPartialResponse(t -> {}).onCompleteResponse(done::complete).onError(done::completeExceptionally).start();
        return done.join().aiMessage().text();
      }).invoke("What is the weather in Paris and Lyon?");
    } finally {
      tw.close();
    }
    // closing the client stops the server; its shutdown hook drains its log
    assertThat(server.onExit().get(60, TimeUnit.SECONDS).isAlive()).isFalse();
    assertThat(answer).isEqualTo("Paris is 18°C and sunny, Lyon 21°C and cloudy.");

    List<StreamEvent> client = read("client.jsonl");
    List<StreamEvent> remote = read(TracedWeatherServer.LOG);
    List<StreamEvent> clientTools = client.stream().filter(e -> e.event().equals("on_tool_start")).toList();
    List<StreamEvent> serverTools = remote.stream().filter(e -> e.event().equals("on_tool_start")).toList();
    assertThat(clientTools).hasSize(2);
    assertThat(serverTools).hasSize(2);
    for (int i = 0; i < 2; i++) {
      List<String> chain = new ArrayList<>(clientTools.get(i).parentIds());
      chain.add(clientTools.get(i).runId());
      assertThat(chain).hasSize(3);
      String tool = serverTools.get(i).runId();
      for (StreamEvent e : remote) {
        if (e.runId().equals(tool)) {
          assertThat(e.parentIds()).as("%s of the server's tool run", e.event()).isEqualTo(chain);
        }
      }
    }
    // the server fails Lyon (isError): an error on both sides
    assertThat(client).filteredOn(e -> e.event().equals("on_tool_error")).extracting(StreamEvent::runId)
        .containsExactly(clientTools.get(1).runId());
    assertThat(remote).filteredOn(e -> e.event().equals("on_tool_error")).extracting(StreamEvent::runId)
        .containsExactly(serverTools.get(1).runId());

    String tree = tail("tail", dir.toString(), "--tree", "--no-follow");
    assertThat(shape(tree)).isEqualTo("""
        app [chain] ok
        └─ Assistant#chat [chain] ok
           ├─ OpenAiStreamingChatModel [chat_model] ok
           ├─ get_weather [tool] ok
           │  └─ get_weather [tool] ok (remote parent)
           │     └─ forecast [chain] ok
           ├─ OpenAiStreamingChatModel [chat_model] ok
           ├─ get_weather [tool] error
           │  └─ get_weather [tool] error (remote parent)
           │     └─ forecast [chain] ok
           └─ OpenAiStreamingChatModel [chat_model] ok
        """);
    assertThat(tree).contains("error=McpToolException: no weather station in Lyon");
  }

  /** The child process the MCP client started (the stdio transport starts it when the client is built). */
  /** The tree without timings and figures: each line up to its status, and whether its parent is remote. */
  private static String shape(String tree) {
    StringBuilder sb = new StringBuilder();
    for (String line : tree.split("\n")) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(.*?\\] (?:ok|error))(.*)$").matcher(line);
      if (m.matches()) {
        sb.append(m.group(1)).append(m.group(2).contains("(remote parent)") ? " (remote parent)" : "").append('\n');
      }
    }
    return sb.toString();
  }

  private static ProcessHandle serverProcess(java.util.Set<Long> before) {
    Optional<ProcessHandle> p = ProcessHandle.current().children().filter(h -> !before.contains(h.pid())).findFirst();
    assertThat(p).as("the forked MCP server").isPresent();
    return p.get();
  }

  private List<StreamEvent> read(String file) throws Exception {
    List<StreamEvent> events = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(JsonlReader.logFiles(dir.resolve(file)), new JsonlCodec(),
        new ReadOptions(ReadOptions.DEFAULT_MAX_LINE_BYTES, null))) {
      while (r.hasNext()) {
        events.add(r.next());
      }
    }
    return events;
  }

  private static synchronized String tail(String... args) {
    PrintStream oldOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(Main.run(args)).isZero();
    } finally {
      System.setOut(oldOut);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
