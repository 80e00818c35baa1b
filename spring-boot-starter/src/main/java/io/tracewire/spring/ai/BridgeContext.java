package io.tracewire.spring.ai;

import io.micrometer.context.ThreadLocalAccessor;
import io.tracewire.core.RunConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.util.context.ContextView;

/**
 * Where a bridged Spring AI call finds its parent run.
 *
 * <p>On the blocking path ({@code ChatClient.call()}, {@code ChatModel.call}) the parent is the
 * calling thread's Tracewire context, {@link RunConfig#current()}: the ChatClient advisor runs
 * the advisor chain inside its chain run, so models, tools and retrievers called on that thread
 * nest under it.
 *
 * <p>On the streaming path work hops between Reactor threads, where no Tracewire context is set.
 * The advisor therefore writes the chain run's child config into the Reactor context under
 * {@link #KEY} ({@code contextWrite}); the traced chat model reads it from the subscriber context
 * ({@code Flux.deferContextual}). Work that Spring AI runs off the subscriber (vector-store
 * queries of {@code QuestionAnswerAdvisor} on {@code boundedElastic}, tool calls after a streamed
 * round) sees the value through {@link #THREAD} when Reactor's automatic context propagation is
 * on ({@code Hooks.enableAutomaticContextPropagation()}, which the starter turns on unless
 * {@code tracewire.spring-ai.reactor-context-propagation=false}): {@link Accessor} is the
 * Micrometer context-propagation accessor that restores it on each thread. Thread-safe.
 */
final class BridgeContext {
  /** The Reactor context key (and context-propagation key) of the parent run config. */
  static final String KEY = "io.tracewire.spring.parent-run";

  static final ThreadLocal<RunConfig> THREAD = new ThreadLocal<>();

  private final List<String> rootTags;
  private final Map<String, Object> rootMetadata;

  BridgeContext(List<String> rootTags, Map<String, ?> rootMetadata) {
    this.rootTags = List.copyOf(Objects.requireNonNull(rootTags, "rootTags"));
    this.rootMetadata = Map.copyOf(Objects.requireNonNull(rootMetadata, "rootMetadata"));
  }

  /** The parent for a run starting on this thread: Tracewire's context, then the propagated one. */
  RunConfig parent() {
    RunConfig current = RunConfig.current();
    if (current.callbacks() != null) {
      return current;
    }
    RunConfig propagated = THREAD.get();
    return propagated != null ? propagated : current;
  }

  /** The parent for a run subscribed with {@code ctx}: the Reactor context first. */
  RunConfig parent(ContextView ctx, RunConfig assembled) {
    Object fromReactor = ctx.getOrDefault(KEY, null);
    if (fromReactor instanceof RunConfig rc) {
      return rc;
    }
    RunConfig here = parent();
    if (here.callbacks() != null || assembled == null) {
      return here;
    }
    return assembled;
  }

  /**
   * {@code parent} plus {@code extraMetadata}, and the configured {@code tracewire.tags} and
   * {@code tracewire.metadata} when the run is a root (no parent run): they are inheritable, so
   * the whole tree carries them.
   */
  RunConfig config(RunConfig parent, Map<String, Object> extraMetadata) {
    boolean root = parent.callbacks() == null;
    if (extraMetadata.isEmpty() && (!root || (rootTags.isEmpty() && rootMetadata.isEmpty()))) {
      return parent;
    }
    RunConfig.Builder b = parent.toBuilder();
    Map<String, Object> m = new LinkedHashMap<>();
    if (root) {
      m.putAll(rootMetadata);
      if (!rootTags.isEmpty()) {
        List<String> tags = new java.util.ArrayList<>(parent.tags());
        for (String t : rootTags) {
          if (!tags.contains(t)) {
            tags.add(t);
          }
        }
        b.tags(tags);
      }
    }
    m.putAll(parent.metadata());
    m.putAll(extraMetadata);
    return b.metadata(m).build();
  }

  /**
   * Captures the parent run into Reactor contexts and restores {@link #THREAD} from them
   * (Micrometer context-propagation SPI). Capturing reads {@link #THREAD} and, when that is
   * empty, the thread's Tracewire context, so a {@code Flux} subscribed inside a traced function
   * ({@code block()}, {@code subscribe()}) carries that function's run even when
   * {@code subscribeOn} moves the subscription to another thread.
   */
  static final class Accessor implements ThreadLocalAccessor<RunConfig> {
    @Override
    public Object key() {
      return KEY;
    }

    @Override
    public RunConfig getValue() {
      RunConfig v = THREAD.get();
      if (v != null) {
        return v;
      }
      RunConfig current = RunConfig.current();
      return current.callbacks() != null ? current : null;
    }

    @Override
    public void setValue(RunConfig value) {
      THREAD.set(value);
    }

    /**
     * Empties {@link #THREAD}. With {@code set(null)}, not {@code remove()}: Reactor calls the
     * accessor around every signal it hands to another thread, and {@code remove()} would drop
     * the thread's map entry only for the next {@link #getValue()} to allocate it again.
     */
    @Override
    public void setValue() {
      THREAD.set(null);
    }

    /**
     * Puts back what {@link #getValue()} read before a propagated value was set. When that was the
     * thread's own Tracewire context (the fallback, {@link #THREAD} was empty), {@link #THREAD} is
     * emptied instead of being set to it: the Tracewire context belongs to a scope that ends on its
     * own, and a copy in {@link #THREAD} would outlive it on this thread (an event-loop thread
     * would then hand a finished request's run to the next request's runs).
     */
    @Override
    public void restore(RunConfig previousValue) {
      if (previousValue != null && previousValue == RunConfig.current()) {
        THREAD.set(null);
      } else {
        setValue(previousValue);
      }
    }
  }
}
