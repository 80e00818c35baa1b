package io.tracewire.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.RunConfig;
import io.tracewire.core.Tracewire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The context-propagation accessor as Reactor's automatic propagation drives it: capture the
 * previous value, set a propagated one around a signal, restore. The thread's own Tracewire
 * context must never be left behind in the accessor's thread local once its run has ended (a
 * WebFlux event-loop thread would hand it to the next request).
 */
class BridgeContextAccessorTest {
  private final BridgeContext.Accessor accessor = new BridgeContext.Accessor();

  @AfterEach
  void clear() {
    BridgeContext.THREAD.remove();
  }

  @Test
  void restoringAroundASignalInsideARunLeavesNoCopyOfTheRunOnTheThread() {
    RunConfig propagated = RunConfig.builder().runName("propagated").build();
    Tracewire.trace("request", () -> {
      RunConfig previous = accessor.getValue();   // the run's own context (nothing propagated yet)
      assertThat(previous).isNotNull();
      accessor.setValue(propagated);
      assertThat(BridgeContext.THREAD.get()).isSameAs(propagated);
      accessor.restore(previous);
      return null;
    });
    assertThat(BridgeContext.THREAD.get()).as("the bridge's thread local after the run ended").isNull();
  }

  @Test
  void aPropagatedPreviousValueIsRestoredAsItWas() {
    RunConfig outer = RunConfig.builder().runName("outer").build();
    RunConfig inner = RunConfig.builder().runName("inner").build();
    accessor.setValue(outer);
    RunConfig previous = accessor.getValue();
    accessor.setValue(inner);
    accessor.restore(previous);
    assertThat(BridgeContext.THREAD.get()).isSameAs(outer);
  }
}
