package io.tracewire.test;

import static io.tracewire.test.TracewireAssertions.assertThat;
import static io.tracewire.test.TracewireAssertions.assertThatEvents;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewire.core.event.StreamEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventsAssertTest {
  private EventRecorder recorder;

  @BeforeEach
  void recordAChain() {
    recorder = EventRecorder.streamingTokens();
    Fixtures.chain(Fixtures.helloModel()).invoke(Map.of("question", "hi"), recorder.config());
  }

  private static List<StreamEvent> failingChain() {
    EventRecorder r = EventRecorder.create();
    ScriptedChatModel model = ScriptedChatModel.builder().name("model")
        .respond(ChatScript.builder().text("Hel").failWith(new IllegalStateException("model down")).build()).build();
    try {
      Fixtures.chain(model).invoke(Map.of("question", "hi"), r.config());
    } catch (IllegalStateException expected) {
      // the failure is what we record
    }
    return r.events();
  }

  @Test
  void aGoodRecordingPassesTheWholeSet() {
    assertThat(recorder)
        .isWellFormed()
        .hasNoErrors()
        .hasRunCount("model", 1)
        .containsSubsequence("on_chain_start:RunnableSequence", "on_chat_model_stream:model", "on_chain_end")
        .hasUsageTotals(7, 2, 9);
  }

  @Test
  void isWellFormedFailsOnARunNeverClosedAndShowsTheTree() {
    List<StreamEvent> events = Fixtures.events()
        .add("on_chain_start", "outer", "a")
        .add("on_chain_start", "inner", "b", "a")
        .add("on_chain_end", "inner", "b", "a")
        .events();

    assertThatThrownBy(() -> assertThatEvents(events).isWellFormed())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("r0: never closed")
        .hasMessageContaining("  chain outer (r0) OPEN\n    chain inner (r1) ended");
  }

  @Test
  void isWellFormedFailsOnARunClosedTwice() {
    List<StreamEvent> events = Fixtures.events()
        .add("on_chain_start", "outer", "a")
        .add("on_chain_end", "outer", "a")
        .add("on_chain_error", "outer", "a")
        .events();

    assertThatThrownBy(() -> assertThatEvents(events).isWellFormed())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("on_chain_error after the run was closed by on_chain_end")
        .hasMessageContaining("  chain outer (r0) ended");
  }

  @Test
  void isWellFormedFailsOnAnOrphan() {
    List<StreamEvent> events = Fixtures.events()
        .add("on_chain_start", "root", "a")
        .add("on_chain_start", "lost", "c", "a", "b")
        .add("on_chain_end", "lost", "c", "a", "b")
        .add("on_chain_end", "root", "a")
        .events();

    assertThatThrownBy(() -> assertThatEvents(events).isWellFormed())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("orphan: parent r2 never started, though ancestor r0 did")
        .hasMessageContaining("  chain lost (r1) ended [parent r2 not recorded]");
  }

  @Test
  void isWellFormedFailsWhenAChildStartsBeforeItsParent() {
    List<StreamEvent> events = Fixtures.events()
        .addWithSeq(5, "on_chain_start", "parent", "p")
        .addWithSeq(4, "on_chain_start", "child", "c", "p")
        .addWithSeq(6, "on_chain_end", "child", "c", "p")
        .addWithSeq(7, "on_chain_end", "parent", "p")
        .events();

    assertThatThrownBy(() -> assertThatEvents(events).isWellFormed())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("start seq 4 is not after its parent r0's start seq 5")
        .hasMessageContaining("  chain parent (r0) ended\n    chain child (r1) ended");
  }

  @Test
  void isWellFormedFailsWhenSeqDoesNotIncreaseWithinARun() {
    List<StreamEvent> events = Fixtures.events()
        .addWithSeq(3, "on_chain_start", "x", "a")
        .addWithSeq(2, "on_chain_end", "x", "a")
        .events();

    assertThatThrownBy(() -> assertThatEvents(events).isWellFormed())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("seq 2 does not increase")
        .hasMessageContaining("  chain x (r0) ended");
  }

  @Test
  void isWellFormedFailsWhenAParentEndsBeforeItsChild() {
    List<StreamEvent> events = Fixtures.events()
        .add("on_chain_start", "parent", "p")
        .add("on_tool_start", "child", "c", "p")
        .add("on_chain_end", "parent", "p")
        .add("on_tool_end", "child", "c", "p")
        .events();

    assertThatThrownBy(() -> assertThatEvents(events).isWellFormed())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("closed while its child r1 ('child') is still open")
        .hasMessageContaining("    tool child (r1) ended");
  }

  @Test
  void hasNoErrorsFailsNamingTheFailedRunsAndShowingThem() {
    assertThatThrownBy(() -> assertThatEvents(failingChain()).hasNoErrors())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("2 runs failed")
        .hasMessageContaining("r2 chat_model 'model': java.lang.IllegalStateException: model down")
        .hasMessageContaining("    chat_model model (r2) tags=[seq:step:2] FAILED IllegalStateException: model down");
  }

  @Test
  void aFailedRecordingIsStillWellFormed() {
    assertThatEvents(failingChain()).isWellFormed();
  }

  @Test
  void hasRunFailsWhenNoRunHasTheName() {
    assertThatThrownBy(() -> assertThat(recorder).hasRun("retriever"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected a run named 'retriever', but there is none.")
        .hasMessageContaining("  chain RunnableSequence (r0) ended\n    prompt ChatPromptTemplate (r1)");
  }

  @Test
  void hasRunWithATypeFailsWhenTheTypeDiffers() {
    assertThat(recorder).hasRun("model", "chat_model");
    assertThatThrownBy(() -> assertThat(recorder).hasRun("model", "llm"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("a run named 'model' of type llm")
        .hasMessageContaining("    chat_model model (r2)");
  }

  @Test
  void hasRunCountFailsOnAnotherCount() {
    assertThatThrownBy(() -> assertThat(recorder).hasRunCount("model", 2))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected 2 runs named 'model', but found 1.")
        .hasMessageContaining("chat_model model (r2)");
  }

  @Test
  void containsSubsequenceFailsAtTheFirstMissingPatternAndListsTheEvents() {
    assertThatThrownBy(() -> assertThat(recorder).containsSubsequence(
        "on_chat_model_start:model", "on_chain_start:RunnableSequence"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("    matched  on_chat_model_start:model")
        .hasMessageContaining("  > MISSING  on_chain_start:RunnableSequence")
        .hasMessageContaining("#3 on_chat_model_start:model (r2)")
        .hasMessageContaining("  chain RunnableSequence (r0) ended");
  }

  @Test
  void containsSubsequenceMatchesDataAndChunkConditions() {
    assertThat(recorder).containsSubsequence(
        EventPattern.of("on_chat_model_stream", "model").withChunkText("Hello"),
        EventPattern.of("on_chat_model_stream").withChunkText(" world"),
        EventPattern.of("*", "StrOutputParser").withData("output", "Hello world").withTag("seq:step:3"));
    assertThatThrownBy(() -> assertThat(recorder).containsSubsequence(
        EventPattern.of("on_chat_model_stream").withChunkText("Goodbye")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("MISSING  on_chat_model_stream [chunk \"Goodbye\"]")
        .hasMessageContaining("on_chat_model_stream:model (r2) \"Hello\"");
  }

  @Test
  void hasEventSequenceFailsAtTheFirstDifference() {
    assertThatThrownBy(() -> assertThatEvents(failingChain()).hasEventSequence(
        "on_chain_start", "on_prompt_start", "on_prompt_end", "on_chat_model_start", "on_chat_model_end"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("first difference at #4")
        .hasMessageContaining("expected: on_chat_model_end")
        .hasMessageContaining("actual:   on_chat_model_error:model (r2)")
        .hasMessageContaining("FAILED IllegalStateException: model down");
  }

  @Test
  void hasEventSequenceFailsWhenThereAreMoreEvents() {
    assertThatThrownBy(() -> assertThatEvents(failingChain()).hasEventSequence("on_chain_start"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("first difference at #1")
        .hasMessageContaining("expected: (no more events)");
  }

  @Test
  void hasUsageTotalsFailsShowingUsagePerRun() {
    assertThatThrownBy(() -> assertThat(recorder).hasUsageTotals(7, 3, 10))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("but got in=7 out=2 total=9")
        .hasMessageContaining("r2 model: in=7 out=2 total=9")
        .hasMessageContaining("chat_model model (r2)");
  }

  @Test
  void usageOfAFailedStreamComesFromItsChunks() {
    EventRecorder r = EventRecorder.streamingTokens();
    ScriptedChatModel model = ScriptedChatModel.builder().name("model")
        .respond(ChatScript.builder().text("a").usage(4, 1).failWith(new IllegalStateException("cut")).build()).build();
    assertThatThrownBy(() -> model.invoke("hi", r.config())).isInstanceOf(IllegalStateException.class);

    assertThat(r).hasUsageTotals(4, 1, 5).hasRun("model").hasUsage(4, 1, 5).hasFailedWith(IllegalStateException.class);
  }

  @Test
  void anEmptyRecordingIsNeitherWellFormedNorErrorFree() {
    assertThatThrownBy(() -> assertThat(EventRecorder.create()).isWellFormed())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no events were recorded: is the recorder attached to the call")
        .hasMessageContaining("(no runs recorded)");
    assertThatThrownBy(() -> assertThatEvents(List.of()).hasNoErrors())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no events were recorded");
  }
}
