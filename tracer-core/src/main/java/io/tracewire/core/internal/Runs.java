package io.tracewire.core.internal;

import io.tracewire.core.util.Frozen;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.spi.ConfigAccess;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The two run paths every built-in runnable goes through (LangChain's {@code _call_with_config}
 * and {@code _transform_stream_with_config}) and the engine's shorthand for the non-API parts of
 * {@link RunConfig}. Internal: not API, may change in any release. Stateless and thread-safe.
 */
public final class Runs {
  private static final ConfigAccess CONFIG = ConfigAccess.get();

  private Runs() {}

  /** A step body on the invoke path. */
  @FunctionalInterface
  public interface Step<I, O> {
    O apply(I input, RunConfig child, RunNode node);
  }

  /** A transform body: maps the recorded input stream to the output stream. */
  @FunctionalInterface
  public interface Transformer<I, O> {
    CloseableIterator<O> apply(CloseableIterator<I> input, RunNode node, RunConfig child);
  }

  /** LangChain's {@code ensure_config}; {@code explicit} may be {@code null}. */
  public static RunConfig ensure(RunConfig explicit) {
    return CONFIG.ensure(CurrentRun.get(), explicit);
  }

  /** The config for children of {@code node}, with {@code tag} (may be null) for the direct child only. */
  public static RunConfig child(RunConfig config, RunNode node, String tag) {
    return CONFIG.child(config, node.child(tag));
  }

  public static RunConfig overlay(RunConfig base, RunConfig explicit) {
    return CONFIG.overlay(base, explicit);
  }

  public static List<RunConfig> forBatch(RunConfig config, int n) {
    return CONFIG.forBatch(config, n);
  }

  /** Call arguments bound with {@code bind(...)}, or {@code null}. */
  public static Map<String, Object> kwargs(RunConfig config) {
    return CONFIG.kwargs(config);
  }

  public static RunConfig withKwargs(Map<String, Object> kwargs) {
    return CONFIG.withKwargs(kwargs);
  }

  public static ChildCallbacks callbacks(RunConfig config) {
    return (ChildCallbacks) config.callbacks();
  }

  /** A run spec of {@code type} named {@code name}. */
  public static RunNode.Spec spec(io.tracewire.core.event.RunType type, String name) {
    return new RunNode.Spec(type, name);
  }

  /** The invoke path: a run with its input known at start, {@code fn} executed as its body. */
  public static <I, O> O call(I input, RunConfig config, RunNode.Spec spec, Step<I, O> fn) {
    RunConfig c = ensure(config);
    RunNode node = RunNode.start(c, spec, null, input);
    RunConfig child = CONFIG.child(c, node.child(null));
    O out;
    try {
      out = CurrentRun.with(child, () -> fn.apply(input, child, node));
    } catch (Throwable t) {
      node.error(t, Frozen.of2("error", t, "input", input));
      throw Engine.unchecked(t);
    }
    node.endChain(out, null, false);
    return out;
  }

  /** The transform path: the run starts when the first input chunk arrives. */
  public static <I, O> CloseableIterator<O> transform(Iterator<? extends I> input, RunConfig config, RunNode.Spec spec,
      Transformer<I, O> fn) {
    spec.selfTapped = true;
    return new TransformRun<>(CloseableIterator.of(input), ensure(config), spec, fn);
  }
}
