package io.tracewire.spring.ai;

import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.RunHandle;
import io.tracewire.core.event.RunType;
import io.tracewire.core.runnable.Runnable;

/**
 * A named run factory for the bridge: Spring AI components are not Tracewire runnables, so this
 * runnable exists only to start runs ({@link #start}) whose lifetime the bridge controls (a
 * streamed response ends its run when the {@code Flux} completes). Never invoked. Thread-safe.
 */
final class Runs extends Runnable<Object, Object> {
  Runs(String name) {
    super(name);
  }

  RunHandle start(RunConfig config, RunType type, Object input) {
    return startRun(config, type, input);
  }

  @Override
  public Object invoke(Object input, RunConfig config) {
    throw new UnsupportedOperationException("the bridge starts runs through start(...)");
  }
}
