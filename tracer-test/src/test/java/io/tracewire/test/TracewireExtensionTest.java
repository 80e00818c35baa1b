package io.tracewire.test;

import static io.tracewire.test.TracewireAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.event.StreamEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

@ExtendWith(TracewireExtension.class)
class TracewireExtensionTest {
  private EventRecorder fromBeforeEach;

  @BeforeEach
  void keep(EventRecorder recorder) {
    fromBeforeEach = recorder;
  }

  @Test
  void injectsOneRecorderPerTestSharedWithBeforeEachAndItsConfig(EventRecorder recorder, RunConfig config) {
    assertThat((Object) recorder).isSameAs(fromBeforeEach);
    RunnableLambda.of("step", (String x) -> x).invoke("x", config);

    assertThat(recorder.events()).extracting(StreamEvent::name).containsExactly("step", "step");
  }

  @Test
  void runIdsStartAfreshInEveryTest(EventRecorder recorder) {
    RunnableLambda.of("a", (String x) -> x).invoke("x", recorder.config());
    assertThat(recorder.events().get(0).runId()).isEqualTo("00000000-0000-0000-0000-000000000001");
  }

  @Test
  void runIdsStartAfreshInEveryTestToo(EventRecorder recorder) {
    RunnableLambda.of("b", (String x) -> x).invoke("x", recorder.config());
    assertThat(recorder.events().get(0).runId()).isEqualTo("00000000-0000-0000-0000-000000000001");
  }

  @Test
  void theDefaultRecorderDoesNotAskForTokens(EventRecorder recorder) {
    assertThat(recorder.streamsTokens()).isFalse();
  }

  /** Run inside a nested engine only (surefire skips nested classes). */
  static class StrictCases {
    @RegisterExtension
    static final TracewireExtension EXT = new TracewireExtension().streamingTokens().requiringWellFormed();

    @Test
    void wellFormed(EventRecorder recorder) {
      assertThat(recorder.streamsTokens()).isTrue();
      Fixtures.chain(Fixtures.helloModel()).invoke(Map.of("question", "q"), recorder.config());
    }

    @Test
    void leavesARunOpen(EventRecorder recorder) {
      recorder.onEvent(new StreamEvent("on_chain_start", "dangling", "x", List.of(), List.of(), Map.of(), Map.of(), 1, 0));
    }
  }

  @Test
  void theStrictVariantFailsATestWhoseRecordingIsMalformed() {
    var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(StrictCases.class)).execute().testEvents();

    results.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
    results.assertThatEvents().haveExactly(1, event(test("leavesARunOpen"), finishedWithFailure(
        instanceOf(AssertionError.class), message(m -> m.contains("[recording of leavesARunOpen(EventRecorder)]")
            && m.contains("r0: never closed") && m.contains("  chain dangling (r0) OPEN")))));
  }
}
