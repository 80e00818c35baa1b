package io.tracewire.core;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunConfigTest {

  @Test
  void mergeUnitesTagsSortedAndLaterMetadataWins() {
    RunConfig a = RunConfig.builder().tags("b", "a").metadata(Map.of("k", 1, "x", "a")).runName("first").build();
    RunConfig b = RunConfig.builder().tags("c", "a").metadata(Map.of("k", 2)).build();
    RunConfig m = RunConfig.merge(a, b);
    assertThat(m.tags()).containsExactly("a", "b", "c");
    assertThat(m.metadata()).containsEntry("k", 2).containsEntry("x", "a");
    assertThat(m.runName()).isEqualTo("first");
  }

  @Test
  void mergeKeepsRecursionLimitUnlessLaterIsNotDefault() {
    RunConfig a = RunConfig.builder().recursionLimit(10).build();
    assertThat(RunConfig.merge(a, RunConfig.builder().recursionLimit(25).build()).recursionLimit()).isEqualTo(10);
    assertThat(RunConfig.merge(a, RunConfig.builder().recursionLimit(5).build()).recursionLimit()).isEqualTo(5);
  }

  @Test
  void mergeWithEmptyOrNullReturnsTheOther() {
    RunConfig a = RunConfig.builder().tags("x").build();
    assertThat(RunConfig.merge(a, null)).isSameAs(a);
    assertThat(RunConfig.merge(null, a)).isSameAs(a);
    assertThat(RunConfig.merge(RunConfig.empty(), a)).isSameAs(a);
  }

  @Test
  void bindingConfigsReplaceShallowlyWhenRebound() {
    List<String> seen = new java.util.ArrayList<>();
    Runnable<String, String> r = RunnableLambda.of("r", (String x) -> x)
        .withConfig(RunConfig.builder().tags("a").build())
        .withConfig(RunConfig.builder().tags("b").build());
    r.invoke("x", RunConfig.builder().listener(e -> seen.add(e.event() + e.tags())).build());
    assertThat(seen).containsExactly("on_chain_start[b]", "on_chain_end[b]");
  }

  @Test
  void explicitConfigFieldsReplaceTheContextsWhileTheParentStays() {
    List<StreamEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    Runnable<String, String> inner = RunnableLambda.of("inner", (String x) -> x);
    Runnable<String, String> outer = RunnableLambda.of("outer",
        (String x) -> inner.invoke(x, RunConfig.builder().tags("explicit").build()));
    outer.invoke("x", RunConfig.builder().tags("outer-tag").listener(events::add).build());
    StreamEvent innerStart = events.get(1);
    assertThat(innerStart.name()).isEqualTo("inner");
    assertThat(innerStart.parentIds()).containsExactly(events.get(0).runId());
    assertThat(innerStart.tags()).contains("explicit", "outer-tag");
  }

  @Test
  void configurableModelIsCopiedIntoMetadata() {
    List<StreamEvent> events = new java.util.ArrayList<>();
    RunnableLambda.of("r", (String x) -> x).invoke("x", RunConfig.builder().configurable("model", "gpt-x")
        .configurable("thread_id", 2).listener(events::add).build());
    assertThat(events.get(0).metadata()).containsEntry("model", "gpt-x").doesNotContainKey("thread_id");
  }

  @Test
  void builderValidatesAtOnce() {
    assertThatThrownBy(() -> RunConfig.builder().maxConcurrency(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConcurrency");
    assertThatThrownBy(() -> RunConfig.builder().tags((List<String>) null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("tags");
  }

  @Test
  void runIdAppliesToTheFirstBatchItemOnly() {
    List<StreamEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    UUID id = new UUID(0, 42);
    RunnableLambda.of("r", (Integer x) -> x + 1).batch(List.of(1, 2, 3),
        RunConfig.builder().runId(id).maxConcurrency(1).listener(events::add).build());
    assertThat(events.stream().filter(e -> e.runId().equals(id.toString())).count()).isEqualTo(2);
    assertThat(events.stream().map(StreamEvent::runId).distinct().count()).isEqualTo(3);
  }

  @Test
  void toStringShowsOnlyWhatIsSet() {
    assertThat(RunConfig.builder().tags("t").build().toString()).isEqualTo("RunConfig{tags=[t]}");
  }
}
