package io.tracewire.adapters.langchain4j;

import static io.tracewire.test.TracewireAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;
import io.tracewire.adapters.Replay;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.test.EventRecorder;
import io.tracewire.test.RecordedRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * Many users of one real LangChain4j AI Service at once, each with their own chat memory from
 * LangChain4j's usual provider idiom {@code memoryId -> MessageWindowChatMemory.withMaxMessages(n)}
 * (so every memory's own {@code id()} is {@code "default"}), against MockWebServer replaying
 * OpenAI's streamed wire format over real HTTP. Each user's tree must hold that user's memory
 * traffic, under the user's memory id, and nothing of any other user.
 */
class AiServicesMemoryIsolationTest {
  @StartStop
  final MockWebServer server = new MockWebServer();

  private static final int USERS = 48;
  private static final Pattern MARKER = Pattern.compile("\\[(user-\\d\\d|default)\\]");

  interface UserAssistant {
    TokenStream chat(@MemoryId String user, @UserMessage String question);
  }

  /** The marker of a user: unique, and no marker contains another. */
  private static String marker(String user) {
    return "[" + user + "]";
  }

  /** An OpenAI stream answering the user named in the request's last user message. */
  private static String answer(String user) {
    String head = "data: {\"id\":\"chatcmpl-Mem" + user.hashCode() + "\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1767225602,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":";
    return head + "{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
        + head + "{\"content\":\"Hello \"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
        + head + "{\"content\":\"" + marker(user) + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
        + head + "{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
        + "data: [DONE]\n\n";
  }

  private final Dispatcher byUser = new Dispatcher() {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      Matcher m = MARKER.matcher(request.getBody().utf8());
      String user = null;
      while (m.find()) {
        user = m.group(1); // the last marker: the question just asked
      }
      return Replay.stream(answer(user == null ? "nobody" : user), "text/event-stream", 64).build();
    }
  };

  @Test
  void concurrentUsersWithDistinctMemoryIdsEachGetTheirOwnMemoryEventsAndNoOtherUsersContent() throws Exception {
    server.setDispatcher(byUser);
    UserAssistant assistant = LangChain4jTracing.aiServices(UserAssistant.class)
        .streamingChatModel(OpenAiStreamingChatModel.builder().baseUrl(server.url("/v1").toString())
            .apiKey("sk-test-not-a-key").modelName("gpt-4o-mini").build())
        .chatMemoryProvider(memoryId -> MessageWindowChatMemory.withMaxMessages(10))
        .build();
    // "default" is a user too: before memories were keyed by the invocation, every user's memory
    // (whose own id() is "default") wrote into whichever "default" invocation was open
    List<String> users = new ArrayList<>();
    users.add("default");
    for (int i = 1; i < USERS; i++) {
      users.add(String.format("user-%02d", i));
    }
    EventRecorder recorder = EventRecorder.create();
    ExecutorService pool = Executors.newFixedThreadPool(USERS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> answers = new ArrayList<>();
    try {
      for (String user : users) {
        RunnableLambda<String, String> app = RunnableLambda.of("app " + user, q -> {
          CompletableFuture<ChatResponse> done = new CompletableFuture<>();
          assistant.chat(user, q).onPartialResponse(t -> { }).onCompleteResponse(done::complete)
              .onError(done::completeExceptionally).start();
          return done.join().aiMessage().text();
        });
        answers.add(pool.submit(() -> {
          go.await();
          return app.invoke("Hi, I am " + marker(user), recorder.configBuilder().build());
        }));
      }
      go.countDown();
      for (int i = 0; i < users.size(); i++) {
        assertThat(answers.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("Hello " + marker(users.get(i)));
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(recorder).isWellFormed().hasNoErrors();
    assertThat(recorder.tree().roots()).hasSize(USERS);
    for (String user : users) {
      RecordedRun app = recorder.tree().named("app " + user).get(0);
      RecordedRun service = app.children().get(0);
      assertThat(service.name()).isEqualTo("UserAssistant#chat");
      assertThat(service.startEvent().dataValue("input")).isEqualTo(Map.of("user", user, "question", "Hi, I am " + marker(user)));
      List<StreamEvent> memory = service.customEvents();
      assertThat(memory).as("memory events of %s", user).extracting(StreamEvent::name)
          .containsExactly("chat_memory_read", "chat_memory_write", "chat_memory_write");
      assertThat(memory).allSatisfy(e -> assertThat(((Map<?, ?>) e.data()).get("memory_id")).isEqualTo(user));
      @SuppressWarnings("unchecked")
      HumanMessage asked = (HumanMessage) ((Map<String, Object>) memory.get(1).data()).get("message");
      assertThat(asked.text()).isEqualTo("Hi, I am " + marker(user));
      @SuppressWarnings("unchecked")
      AIMessage answered = (AIMessage) ((Map<String, Object>) memory.get(2).data()).get("message");
      assertThat(answered.text()).isEqualTo("Hello " + marker(user));
      for (RecordedRun run : app.subtree()) {
        for (StreamEvent e : run.events()) {
          Matcher m = MARKER.matcher(String.valueOf(e.data()));
          while (m.find()) {
            assertThat(m.group(1)).as("a user named in %s of %s's tree", e.event(), user).isEqualTo(user);
          }
        }
      }
    }
    assertThat(AiServiceRuns.openCount()).isZero();
  }
}
