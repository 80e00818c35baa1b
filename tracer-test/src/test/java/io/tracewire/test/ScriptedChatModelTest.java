package io.tracewire.test;

import static io.tracewire.test.TracewireAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewire.core.CloseableIterator;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.core.message.ToolCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ScriptedChatModelTest {

  @Test
  void streamsTheScriptedChunksThenTheSyntheticLastOne() {
    EventRecorder recorder = EventRecorder.create();
    ScriptedChatModel model = ScriptedChatModel.builder().name("m").respond(ChatScript.of("Hel", "lo", "!")).build();

    List<BaseMessage> chunks = model.stream("hi", recorder.config()).toList();

    assertThat(chunks).extracting(BaseMessage::text).containsExactly("Hel", "lo", "!", "");
    assertThat(recorder).isWellFormed().hasRun("m", "chat_model").hasStreamedChunkCount(4).hasStreamedText("Hello!")
        .hasMetadata("ls_provider", "scripted").hasMetadata("ls_model_name", "scripted");
  }

  @Test
  void invokeMergesToolCallChunksAndUsageIntoOneMessage() {
    ScriptedChatModel model = ScriptedChatModel.builder().modelName("gpt-test")
        .respond(ChatScript.builder().text("Looking up")
            .toolCallChunk("search", "{\"q\": \"ca", "call_9", 0)
            .toolCallChunk(null, "ts\"}", null, 0)
            .usage(12, 4).build())
        .build();

    AIMessage out = (AIMessage) model.invoke("find cats");

    assertThat(out.text()).isEqualTo("Looking up");
    assertThat(out.toolCalls()).extracting(ToolCall::name, ToolCall::id).containsExactly(org.assertj.core.groups.Tuple.tuple("search", "call_9"));
    assertThat(out.toolCalls().get(0).args()).isEqualTo(Map.of("q", "cats"));
    assertThat(out.usageMetadata().totalTokens()).isEqualTo(16);
  }

  @Test
  void failureMidwayDeliversEarlierChunksThenThrowsAndRecordsThePartialOutput() {
    EventRecorder recorder = EventRecorder.create();
    IllegalStateException boom = new IllegalStateException("connection reset");
    ScriptedChatModel model = ScriptedChatModel.builder().name("m")
        .respond(ChatScript.builder().text("par").text("tial").failWith(boom).text("never").build()).build();
    List<String> seen = new ArrayList<>();

    try (CloseableIterator<BaseMessage> it = model.stream("hi", recorder.config())) {
      assertThatThrownBy(() -> it.forEachRemaining(c -> seen.add(c.text()))).isSameAs(boom);
    }

    assertThat(seen).containsExactly("par", "tial");
    assertThat(recorder).isWellFormed().hasRun("m").hasFailedWith(IllegalStateException.class).hasStreamedText("partial");
    AIMessageChunk partial = (AIMessageChunk) recorder.tree().named("m").get(0).terminalEvent().dataValue("output");
    assertThat(partial.text()).isEqualTo("partial");
  }

  @Test
  void pausesAreTakenBetweenChunksInScriptOrder() {
    List<Object> timeline = new ArrayList<>();
    ScriptedChatModel model = ScriptedChatModel.builder()
        .respond(ChatScript.builder().text("a").pause(Duration.ofMillis(30)).text("b").pause(Duration.ofSeconds(2)).text("c").build())
        .sleeper(timeline::add)
        .build();

    try (CloseableIterator<BaseMessage> it = model.stream("x")) {
      while (it.hasNext()) {
        timeline.add(it.next().text());
      }
    }

    assertThat(timeline).containsExactly("a", Duration.ofMillis(30), "b", Duration.ofSeconds(2), "c", "");
  }

  @Test
  void aLatchHoldsTheStreamAtAKnownPoint() throws Exception {
    EventRecorder recorder = EventRecorder.create();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch firstSeen = new CountDownLatch(1);
    ScriptedChatModel model = ScriptedChatModel.builder().name("m")
        .respond(ChatScript.builder().text("first").awaitLatch(release).text("second").build()).build();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<List<String>> consumer = pool.submit(() -> {
        List<String> got = new ArrayList<>();
        try (CloseableIterator<BaseMessage> it = model.stream("x", recorder.config())) {
          got.add(it.next().text());
          firstSeen.countDown();
          it.forEachRemaining(c -> got.add(c.text()));
        }
        return got;
      });
      firstSeen.await();
      assertThat(recorder.tree().named("m").get(0).chunks()).hasSize(1);
      release.countDown();
      assertThat(consumer.get()).containsExactly("first", "second", "");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anInterruptDuringAPauseCancelsTheStream() {
    ScriptedChatModel model = ScriptedChatModel.builder()
        .respond(ChatScript.builder().text("a").pause(Duration.ofHours(1)).text("b").build())
        .sleeper(d -> {
          throw new InterruptedException("test");
        })
        .build();

    try (CloseableIterator<BaseMessage> it = model.stream("x")) {
      it.next();
      assertThatThrownBy(it::hasNext).isInstanceOf(CancellationException.class);
    } finally {
      assertThat(Thread.interrupted()).isTrue();
    }
  }

  @Test
  void callsTakeScriptsInOrderAndRecordTheirMessages() {
    ScriptedChatModel model = ScriptedChatModel.replying("one two", "three");

    assertThat(model.invoke("first").text()).isEqualTo("one two");
    assertThat(model.invoke(List.of(new HumanMessage("second"))).text()).isEqualTo("three");
    assertThatThrownBy(() -> model.invoke("third"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage("ScriptedChatModel 'ScriptedChatModel' has 2 scripts but was called 3 times");
    assertThat(model.calls()).hasSize(3);
    assertThat(model.calls().get(1)).extracting(BaseMessage::text).containsExactly("second");
  }

  @Test
  void replyingSplitsTextBeforeEachSpace() {
    EventRecorder recorder = EventRecorder.streamingTokens();
    ScriptedChatModel.replying("Hello big world").invoke("x", recorder.config());

    assertThat(recorder.tree().runs().get(0).chunks()).extracting(c -> ((AIMessageChunk) c).text())
        .containsExactly("Hello", " big", " world", "");
  }

  @Test
  void closingEarlyIsCountedAndCancelsTheRun() {
    EventRecorder recorder = EventRecorder.create();
    ScriptedChatModel model = ScriptedChatModel.builder().name("m").respond(ChatScript.of("a", "b", "c")).respond(ChatScript.of("a")).build();

    try (CloseableIterator<BaseMessage> it = model.stream("x", recorder.config())) {
      it.next();
    }
    model.stream("y").toList();

    assertThat(model.closedEarlyCount()).isEqualTo(1);
    assertThat(recorder).isWellFormed().hasRun("m").wasCancelled();
  }

  @Test
  void buildersRejectEmptyScriptsAndModels() {
    assertThatThrownBy(() -> ChatScript.builder().pause(Duration.ZERO).build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ScriptedChatModel.builder().build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ChatScript.builder().usage(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChatScript.builder().text(null)).isInstanceOf(NullPointerException.class).hasMessage("text");
  }

  @Test
  void pauseBetweenChunksPacesEveryChunkButTheFirst() {
    List<Object> timeline = new ArrayList<>();
    ScriptedChatModel model = ScriptedChatModel.builder()
        .respond(ChatScript.builder().pauseBetweenChunks(Duration.ofMillis(20))
            .text("a").text("b").pause(Duration.ofMillis(1)).text("c").build())
        .sleeper(timeline::add)
        .build();

    try (CloseableIterator<BaseMessage> it = model.stream("x")) {
      it.forEachRemaining(c -> timeline.add(c.text()));
    }

    assertThat(timeline).containsExactly("a", Duration.ofMillis(20), "b", Duration.ofMillis(1), Duration.ofMillis(20), "c", "");
  }
}
