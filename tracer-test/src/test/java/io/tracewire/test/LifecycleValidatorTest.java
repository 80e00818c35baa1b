package io.tracewire.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewire.core.CloseableIterator;
import io.tracewire.core.event.EventFilter;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.runnable.RunnableParallel;
import io.tracewire.core.event.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LifecycleValidatorTest {

  @Test
  void realRunsOfEveryOutcomeHaveNoViolations() {
    LifecycleValidator validator = LifecycleValidator.create();
    RunConfig config = RunConfig.builder().listener(validator).build();
    ScriptedChatModel model = ScriptedChatModel.builder().name("model")
        .respond(ChatScript.of("a", "b"))
        .respond(ChatScript.builder().text("a").failWith(new IllegalStateException("x")).build())
        .respond(ChatScript.of("a", "b", "c"))
        .respond(ChatScript.of("a", "b", "c"))
        .build();
    Runnable<Map<String, Object>, String> chain = Fixtures.chain(model);

    chain.invoke(Map.of("question", "q"), config);
    assertThatThrownBy(() -> chain.invoke(Map.of("question", "q"), config)).isInstanceOf(IllegalStateException.class);
    try (CloseableIterator<String> it = chain.stream(Map.of("question", "q"), config)) {
      it.next();
    }
    try (CloseableIterator<StreamEvent> it = chain.streamEvents(Map.of("question", "q"), config, EventFilter.ALL)) {
      it.next();
      it.next();
    }
    Runnable<Object, Object> bad = RunnableLambda.of("bad", x -> {
      throw new IllegalArgumentException("bad");
    });
    Runnable<Object, Object> good = RunnableLambda.of("good", x -> x);
    assertThatThrownBy(() -> RunnableParallel.of(Map.of("bad", bad, "good", good)).invoke("x", config))
        .isInstanceOf(IllegalArgumentException.class);

    validator.assertComplete();
    assertThat(validator.violations()).isEmpty();
  }

  @Test
  void runsStillOpenAreViolationsOnlyWhenCompletenessIsAsked() {
    LifecycleValidator validator = LifecycleValidator.create();
    Fixtures.events().add("on_chain_start", "open", "a").events().forEach(validator::onEvent);

    validator.assertNoViolations();
    assertThatThrownBy(validator::assertComplete)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("r0: never closed: no end, error or cancel event after on_chain_start 'open'");
  }

  @Test
  void reportsEachBreachAsItHappens() {
    List<Violation> seen = new ArrayList<>();
    LifecycleValidator validator = LifecycleValidator.builder().onViolation(seen::add).build();
    List<StreamEvent> events = Fixtures.events()
        .add("on_chain_stream", "early", "a")
        .add("on_chain_start", "twice", "b")
        .add("on_chain_start", "twice", "b")
        .add("on_chain_end", "twice", "b")
        .add("on_chain_start", "late child", "c", "b")
        .add("on_chain_end", "late child", "c", "b")
        .add("on_chain_unknown", "odd", "d")
        .add("on_llm_end", "typed", "b")
        .addWithSeq(1, "on_custom_event", "after", "b")
        .events();
    events.forEach(validator::onEvent);

    assertThat(seen).extracting(Violation::message).containsExactly(
        "on_chain_stream without a prior start",
        "started twice",
        "started after its parent r1 was closed by on_chain_end",
        "not a lifecycle event name (on_<type>_<start|stream|end|error|cancel>)",
        "run type changed from chain to llm",
        "on_llm_end after the run was closed by on_chain_end (seq 4)",
        "seq 1 was already used by another event",
        "custom event after its run was closed by on_chain_end");
    assertThat(validator.violations()).isEqualTo(seen);
    assertThat(seen.get(2).run()).isEqualTo("r2");
    assertThat(seen.get(2).toString()).isEqualTo("r2 on_chain_start 'late child' seq=5: started after its parent r1 was closed by on_chain_end");
  }

  @Test
  void failFastThrowsAtTheFirstViolation() {
    LifecycleValidator validator = LifecycleValidator.builder().failFast(true).build();
    validator.onEvent(Fixtures.events().add("on_chain_start", "x", "a").events().get(0));
    StreamEvent second = Fixtures.events().add("on_chain_start", "x", "a").add("on_chain_start", "x", "a").events().get(1);

    assertThatThrownBy(() -> validator.onEvent(second))
        .isInstanceOf(AssertionError.class)
        .hasMessage("run lifecycle violation: r0 on_chain_start 'x' seq=2: started twice");
  }

  @Test
  void aFailFastValidatorNeverBreaksTheRunItWatches() {
    LifecycleValidator validator = LifecycleValidator.builder().failFast(true).build();
    // A bogus start for the id the run will get makes every real event of that run a violation.
    validator.onEvent(new StreamEvent("on_chain_start", "bogus", "00000000-0000-0000-0000-000000000001",
        List.of(), List.of(), Map.of(), Map.of(), -1, 0L));
    RunConfig config = RunConfig.builder().listener(validator)
        .runIdGenerator(io.tracewire.core.RunIdGenerator.sequential(1)).build();

    Object out = RunnableLambda.of("real", (String x) -> x + "!").invoke("hi", config);

    assertThat(out).isEqualTo("hi!");
    assertThatThrownBy(validator::assertNoViolations).isInstanceOf(AssertionError.class).hasMessageContaining("started twice");
  }

  @Test
  void validateChecksAFinishedRecording() {
    assertThat(LifecycleValidator.validate(Fixtures.events()
        .add("on_chain_start", "a", "a").add("on_chain_end", "a", "a").events())).isEmpty();
    assertThat(LifecycleValidator.validate(Fixtures.events().add("on_chain_start", "a", "a").events()))
        .extracting(Violation::run).containsExactly("r0");
  }

  @Test
  void aRecordingThatStartsInsideAnOuterRunIsNotAnOrphan() {
    assertThat(LifecycleValidator.validate(Fixtures.events()
        .add("on_chain_start", "inner", "b", "outer")
        .add("on_chain_end", "inner", "b", "outer").events())).isEmpty();
  }

  @Test
  void aParentCancelMayPrecedeItsChildrensCancels() {
    assertThat(LifecycleValidator.validate(Fixtures.events()
        .add("on_chain_start", "p", "p")
        .add("on_chat_model_start", "m", "m", "p")
        .add("on_chain_cancel", "p", "p")
        .add("on_chat_model_cancel", "m", "m", "p").events())).isEmpty();
  }
}
