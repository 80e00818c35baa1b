package io.tracewire.benchmarks;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.tracewire.core.RunConfig;
import io.tracewire.core.context.RunContextStorage;

/**
 * For cost comparison only ({@code -Dtracewire.context.storage=io.tracewire.benchmarks.HybridContextStorage}):
 * the design not chosen, a thread-local for nesting on the thread plus the config in
 * OpenTelemetry's context for propagation, read only when the thread-local is empty. It still
 * attaches an OpenTelemetry context on every step (a task handed over inside the step must see
 * it), so it can save only on reads; it reads a stale thread-local when a framework runs a
 * propagated task inline on a thread that is inside another run, and it does not handle
 * interleaved streaming scopes. Per thread; no locking.
 */
public final class HybridContextStorage implements RunContextStorage {
  private static final ThreadLocal<RunConfig> LOCAL = new ThreadLocal<>();
  private static final ContextKey<RunConfig> KEY = ContextKey.named("tracewire-hybrid-run-context");
  private static final Object UNCHANGED = new Object();

  @Override
  public String name() {
    return "hybrid";
  }

  @Override
  public RunConfig current() {
    RunConfig c = LOCAL.get();
    return c != null ? c : Context.current().get(KEY);
  }

  @Override
  public Object attach(RunConfig config) {
    RunConfig prev = LOCAL.get();
    if (prev == config && prev != null) {
      return UNCHANGED;
    }
    LOCAL.set(config);
    return new Token(prev, Context.current().with(KEY, config).makeCurrent());
  }

  @Override
  public void restore(Object token) {
    if (token instanceof Token t) {
      t.scope.close();
      LOCAL.set(t.prev);
    }
  }

  private record Token(RunConfig prev, Scope scope) {}
}
