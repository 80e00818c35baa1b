package io.tracewire.test;

import static io.tracewire.test.TracewireAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewire.core.CloseableIterator;
import io.tracewire.core.event.CustomEvent;
import io.tracewire.core.runnable.RunnableLambda;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunAssertTest {
  private static final String MODEL_LINE = "    chat_model model (r2) tags=[seq:step:2, team] ended, 4 chunks \"Hello world\"   <--";
  private EventRecorder recorder;

  @BeforeEach
  void recordAChain() {
    recorder = EventRecorder.streamingTokens();
    Fixtures.chain(Fixtures.helloModel())
        .invoke(Map.of("question", "hi"), recorder.configBuilder().tags("team").metadata("user", "u1").build());
  }

  private RunAssert model() {
    return assertThat(recorder).hasRun("model");
  }

  @Test
  void aGoodRunPassesTheWholeSet() {
    model().hasType("chat_model").isChildOf("RunnableSequence").isDescendantOf("RunnableSequence")
        .hasStreamedChunkCount(4).hasStreamedText("Hello world")
        .hasTags("team", "seq:step:2").hasMetadata("user", "u1").hasMetadata("ls_provider", "scripted")
        .hasMetadataContaining(Map.of("ls_model_type", "chat"))
        .hasEnded().hasUsage(7, 2, 9);
    assertThat(recorder).hasRun("RunnableSequence").isRoot()
        .hasChildren("ChatPromptTemplate", "model", "StrOutputParser")
        .hasOutput("Hello world")
        .child("StrOutputParser").hasType("parser");
  }

  @Test
  void hasTypeFailsMarkingTheRunInTheTree() {
    assertThatThrownBy(() -> model().hasType("llm"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to be of type llm, but it is chat_model")
        .hasMessageContaining(MODEL_LINE);
  }

  @Test
  void isChildOfFailsNamingTheActualParent() {
    assertThatThrownBy(() -> model().isChildOf("ChatPromptTemplate"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("but its parent is 'RunnableSequence' (r0)")
        .hasMessageContaining("  chain RunnableSequence (r0) tags=[team] ended\n")
        .hasMessageContaining(MODEL_LINE);
  }

  @Test
  void isDescendantOfAndIsRootFail() {
    assertThatThrownBy(() -> model().isDescendantOf("ChatPromptTemplate"))
        .isInstanceOf(AssertionError.class).hasMessageContaining(MODEL_LINE);
    assertThatThrownBy(() -> model().isRoot())
        .isInstanceOf(AssertionError.class).hasMessageContaining("its parent is 'RunnableSequence'").hasMessageContaining(MODEL_LINE);
  }

  @Test
  void hasChildrenAndChildFail() {
    assertThatThrownBy(() -> assertThat(recorder).hasRun("RunnableSequence").hasChildren("model"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("but they are [ChatPromptTemplate, model, StrOutputParser]")
        .hasMessageContaining("  chain RunnableSequence (r0) tags=[team] ended   <--");
    assertThatThrownBy(() -> model().child("anything"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("has none").hasMessageContaining(MODEL_LINE);
  }

  @Test
  void streamAssertionsFailWithTheActualChunks() {
    assertThatThrownBy(() -> model().hasStreamedChunkCount(2))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to stream 2 chunks, but it streamed 4")
        .hasMessageContaining(MODEL_LINE);
    assertThatThrownBy(() -> model().hasStreamedText("Hello"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to stream the text \"Hello\", but it streamed \"Hello world\"")
        .hasMessageContaining(MODEL_LINE);
  }

  @Test
  void tagAndMetadataAssertionsFail() {
    assertThatThrownBy(() -> model().hasTags("team", "missing"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("but [missing] are missing")
        .hasMessageContaining(MODEL_LINE);
    assertThatThrownBy(() -> model().hasMetadata("user", "u2"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("metadata user=u2, but user=u1")
        .hasMessageContaining(MODEL_LINE);
    assertThatThrownBy(() -> model().hasMetadataContaining(Map.of("absent", 1)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("there is no key absent");
  }

  @Test
  void outcomeAssertionsFail() {
    assertThatThrownBy(() -> model().hasFailedWith(IllegalStateException.class))
        .isInstanceOf(AssertionError.class).hasMessageContaining("to be FAILED, but it is ENDED").hasMessageContaining(MODEL_LINE);
    assertThatThrownBy(() -> model().wasCancelled())
        .isInstanceOf(AssertionError.class).hasMessageContaining("to be CANCELLED, but it is ENDED");
    assertThatThrownBy(() -> assertThat(recorder).hasRun("StrOutputParser").hasOutput("Bye"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("to output Bye, but it output Hello world");
    assertThatThrownBy(() -> model().hasUsage(1, 1, 2))
        .isInstanceOf(AssertionError.class).hasMessageContaining("but it reports in=7 out=2 total=9").hasMessageContaining(MODEL_LINE);
  }

  @Test
  void hasFailedWithChecksTheErrorType() {
    EventRecorder r = EventRecorder.create();
    ScriptedChatModel m = ScriptedChatModel.builder().name("m")
        .respond(ChatScript.builder().failWith(new IllegalArgumentException("bad")).build()).build();
    assertThatThrownBy(() -> m.invoke("x", r.config())).isInstanceOf(IllegalArgumentException.class);

    assertThat(r).hasRun("m").hasFailedWith(RuntimeException.class);
    assertThatThrownBy(() -> assertThat(r).hasRun("m").hasFailedWith(IllegalStateException.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to fail with java.lang.IllegalStateException, but it failed with java.lang.IllegalArgumentException: bad")
        .hasMessageContaining("  chat_model m (r0) FAILED IllegalArgumentException: bad   <--");
  }

  @Test
  void aStreamClosedEarlyIsCancelled() {
    EventRecorder r = EventRecorder.create();
    ScriptedChatModel m = ScriptedChatModel.builder().name("m").respond(ChatScript.of("a", "b", "c")).build();
    try (CloseableIterator<?> it = m.stream("x", r.config())) {
      it.next();
    }
    assertThat(r).isWellFormed().hasRun("m").wasCancelled().hasStreamedText("a");
  }

  @Test
  void hasCustomEventFailsListingTheDispatchedOnes() {
    EventRecorder r = EventRecorder.create();
    RunnableLambda.of("step", (String x) -> {
      CustomEvent.dispatch("progress", Map.of("pct", 50));
      return x;
    }).invoke("x", r.config());

    assertThat(r).isWellFormed().hasRun("step").hasCustomEvent("progress");
    assertThatThrownBy(() -> assertThat(r).hasRun("step").hasCustomEvent("done"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("but it dispatched [progress]")
        .hasMessageContaining("  chain step (r0) ended, 1 custom   <--");
  }

  @Test
  void assertThatARecordedRunShowsItsTree() {
    RecordedRun run = recorder.tree().named("StrOutputParser").get(0);
    assertThatThrownBy(() -> assertThat(run).hasType("chain"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("    parser StrOutputParser (r3) tags=[seq:step:3, team] ended   <--");
  }
}
