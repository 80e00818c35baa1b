package io.tracewire.adapters.internal;

import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Lets {@code future.cancel()} on an adapter's {@code invokeAsync} cancel the HTTP call behind it:
 * the scope travels in the call's {@code configurable} map (under a private key, never copied
 * into event metadata), the adapter registers its streams with it, and cancelling the future
 * closes them. Thread-safe.
 */
public final class CancelScope {
  static final String KEY = "__tracewire_cancel_scope";

  private final List<CloseableIterator<?>> streams = new ArrayList<>();
  private boolean cancelled;

  /** Runs {@code call} with a fresh scope in its config; the returned future's cancel closes the call's streams. */
  public static <T> CompletableFuture<T> invokeAsync(RunConfig config,
      Function<RunConfig, CompletableFuture<T>> call) {
    CancelScope scope = new CancelScope();
    Map<String, Object> conf = new LinkedHashMap<>(
        config != null ? config.configurable() : RunConfig.current().configurable());
    conf.put(KEY, scope);
    RunConfig c = (config != null ? config.toBuilder() : RunConfig.builder()).configurable(conf).build();
    CompletableFuture<T> out = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        boolean first = super.cancel(mayInterruptIfRunning);
        scope.cancel();
        return first;
      }
    };
    call.apply(c).whenComplete((v, t) -> {
      if (t != null) {
        out.completeExceptionally(t);
      } else {
        out.complete(v);
      }
    });
    return out;
  }

  /** Registers {@code stream} with the call's scope, if it has one; closes it at once when already cancelled. */
  public static void register(Map<String, Object> configurable, CloseableIterator<?> stream) {
    if (configurable.get(KEY) instanceof CancelScope s) {
      boolean closeNow;
      synchronized (s) {
        closeNow = s.cancelled;
        if (!closeNow) {
          s.streams.add(stream);
        }
      }
      if (closeNow) {
        stream.close();
      }
    }
  }

  void cancel() {
    List<CloseableIterator<?>> toClose;
    synchronized (this) {
      cancelled = true;
      toClose = new ArrayList<>(streams);
      streams.clear();
    }
    toClose.forEach(CloseableIterator::close);
  }
}
