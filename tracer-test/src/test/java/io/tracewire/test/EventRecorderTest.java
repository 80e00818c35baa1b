package io.tracewire.test;

import static io.tracewire.test.TracewireAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.event.EventFilter;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.event.StreamEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventRecorderTest {

  @Test
  void recordsEveryEventOfAChainInOrder() {
    EventRecorder recorder = EventRecorder.create();
    String out = Fixtures.chain(Fixtures.helloModel()).invoke(Map.of("question", "hi"), recorder.config());

    assertThat(out).isEqualTo("Hello world");
    assertThat(recorder).hasEventSequence(
        "on_chain_start:RunnableSequence",
        "on_prompt_start:ChatPromptTemplate", "on_prompt_end:ChatPromptTemplate",
        "on_chat_model_start:model", "on_chat_model_end:model",
        "on_parser_start:StrOutputParser", "on_parser_end:StrOutputParser",
        "on_chain_end:RunnableSequence");
  }

  @Test
  void configGivesSequentialRunIdsInOrderOfStart() {
    EventRecorder recorder = EventRecorder.create();
    Fixtures.chain(Fixtures.helloModel()).invoke(Map.of("question", "hi"), recorder.config());

    assertThat(recorder.tree().runs()).extracting(RecordedRun::runId).containsExactly(
        "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002",
        "00000000-0000-0000-0000-000000000003", "00000000-0000-0000-0000-000000000004");
  }

  @Test
  void defaultRecorderDoesNotMakeInvokedModelsStreamButTheTokenStreamingOneDoes() {
    EventRecorder plain = EventRecorder.create();
    Fixtures.chain(Fixtures.helloModel()).invoke(Map.of("question", "hi"), plain.config());
    EventRecorder streaming = EventRecorder.streamingTokens();
    Fixtures.chain(Fixtures.helloModel()).invoke(Map.of("question", "hi"), streaming.config());

    assertThat(plain).hasRun("model").hasStreamedChunkCount(0);
    assertThat(streaming).hasRun("model").hasStreamedText("Hello world");
  }

  @Test
  void recordAllDrainsAStreamEventsCall() {
    EventRecorder recorder = EventRecorder.create();
    List<StreamEvent> direct = Fixtures.chain(Fixtures.helloModel())
        .streamEvents(Map.of("question", "hi"), RunConfig.empty(), EventFilter.ALL).toList();
    recorder.recordAll(Fixtures.chain(Fixtures.helloModel())
        .streamEvents(Map.of("question", "hi"), RunConfig.empty(), EventFilter.ALL));

    assertThat(recorder.events()).extracting(StreamEvent::event)
        .containsExactlyElementsOf(direct.stream().map(StreamEvent::event).toList());
    assertThat(recorder).isWellFormed().hasRun("model").hasStreamedChunkCount(4);
  }

  @Test
  void concurrentRunsAreAllRecordedEachInItsOwnOrder() {
    EventRecorder recorder = EventRecorder.create();
    Runnable<Integer, Integer> inner = RunnableLambda.of("inner", (Integer x) -> x + 1);
    Runnable<Integer, Integer> outer = RunnableLambda.of("outer", (Integer x) -> inner.invoke(x) * 2);
    List<Integer> inputs = IntStream.range(0, 200).boxed().toList();

    List<Integer> out = outer.batch(inputs, recorder.configBuilder().maxConcurrency(8).build());

    assertThat(out).hasSize(200);
    assertThat(recorder.size()).isEqualTo(200 * 4);
    assertThat(recorder).isWellFormed().hasRunCount("outer", 200).hasRunCount("inner", 200);
    for (RecordedRun r : recorder.tree().roots()) {
      assertThat(r.events()).extracting(StreamEvent::event).containsExactly("on_chain_start", "on_chain_end");
      assertThat(r.children()).singleElement().extracting(RecordedRun::name).isEqualTo("inner");
    }
  }

  @Test
  void onEventIsSafeFromManyThreads() throws Exception {
    EventRecorder recorder = EventRecorder.create();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 8; t++) {
      String run = "run-" + t;
      Thread th = new Thread(() -> {
        for (int i = 0; i < 1000; i++) {
          recorder.onEvent(new StreamEvent("on_chain_stream", "x", run, List.of(), List.of(), Map.of(), Map.of("chunk", i), i, 0L));
        }
      });
      th.setUncaughtExceptionHandler((x, e) -> failures.add(e));
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    assertThat(failures).isEmpty();
    assertThat(recorder.size()).isEqualTo(8000);
    for (int t = 0; t < 8; t++) {
      String run = "run-" + t;
      assertThat(recorder.events().stream().filter(e -> e.runId().equals(run)).map(StreamEvent::seq).toList())
          .isSorted().hasSize(1000);
    }
  }

  @Test
  void clearForgetsEventsButRunIdsKeepCounting() {
    EventRecorder recorder = EventRecorder.create();
    RunnableLambda.of("one", (Integer x) -> x).invoke(1, recorder.config());
    recorder.clear();
    RunnableLambda.of("two", (Integer x) -> x).invoke(1, recorder.config());

    assertThat(recorder.events()).extracting(StreamEvent::name).containsOnly("two");
    assertThat(recorder.events().get(0).runId()).isEqualTo("00000000-0000-0000-0000-000000000002");
  }
}
