package io.tracewire.core.runnable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewire.core.RunConfig;
import io.tracewire.core.RunContext;
import io.tracewire.core.event.RunType;
import io.tracewire.core.event.StreamEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A run started by hand: local metadata, and its child config attached as the thread's context. */
class HandRunTest {
  private final List<StreamEvent> events = new CopyOnWriteArrayList<>();
  private final Runnable<String, String> inner = RunnableLambda.of("inner", (String x) -> x + "!");

  /** A prompt-type run started and ended by hand, as a bridge does for a request it serves. */
  static final class HandRun extends Runnable<Object, Object> {
    HandRun() {
      super("hand");
    }

    RunHandle start(RunConfig config, Map<String, Object> local) {
      return startRun(config, RunType.PROMPT, "in", local);
    }

    @Override
    public Object invoke(Object input, RunConfig config) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void localMetadataStaysOnTheRunAndTheAttachedChildConfigParentsCodeThatTakesNoConfig() {
    RunHandle run = new HandRun().start(RunConfig.builder().listener(events::add).metadata("user", "alice").build(),
        Map.of("mcp.method.name", "prompts/get"));
    try (RunContext.Scope scope = RunContext.attach(run.childConfig())) {
      inner.invoke("a");
    }
    run.end("out");
    inner.invoke("b");

    assertThat(events).extracting(e -> e.event() + " " + e.name())
        .containsExactly("on_prompt_start hand", "on_chain_start inner", "on_chain_end inner", "on_prompt_end hand");
    StreamEvent start = events.get(0);
    assertThat(start.metadata()).containsEntry("mcp.method.name", "prompts/get").containsEntry("user", "alice");
    assertThat(events.get(1).parentIds()).containsExactly(start.runId());
    assertThat(events.get(1).metadata()).containsEntry("user", "alice").doesNotContainKey("mcp.method.name");
    assertThat(events.get(3).metadata()).containsEntry("mcp.method.name", "prompts/get");
    // after the scope closed, the thread's context is what it was: "b" reached no listener
    assertThat(RunConfig.current().callbacks()).isNull();
  }

  @Test
  void nullsAreRejectedByName() {
    assertThatThrownBy(() -> RunContext.attach(null)).hasMessageContaining("config");
    assertThatThrownBy(() -> new HandRun().start(null, null)).hasMessageContaining("localMetadata");
  }
}
