package io.tracewire.core.event.spi;

import io.tracewire.core.Callbacks;
import io.tracewire.core.RemoteParent;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunListener;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one seam between tracer-core's API and its engine: every call the API's entry points
 * ({@code RunConfig}, {@code RunContext}, {@code RemoteParent}, {@code Tracewire},
 * {@code CustomEvent}) make into the engine goes through {@link #INSTANCE}, and the API names no
 * engine type. The engine ({@code io.tracewire.core.internal}) implements this class once and
 * consumes the API's types; this package depends on the API only, so the API sits beneath the
 * engine with no cycle (tracer-core's {@code CoreLayeringTest} checks both). The other direction,
 * the engine reading the non-API parts of two API classes, goes through {@link ConfigAccess} and
 * {@link BusAccess}, which those classes install.
 *
 * <p>{@link #INSTANCE} is loaded once, by name, when this class initialises; it is a
 * {@code static final} field holding a final class, so the JIT binds every call statically. No
 * per-event path goes through the seam. Not API: the module does not export this package, and
 * anything here may change in any release. The implementation is thread-safe; each method states
 * what it may throw, and none throws into the host application otherwise.
 */
public abstract class TracerEngine {
  /** The implementation's class; by name, so that this package does not depend on the engine. */
  private static final String IMPLEMENTATION = "io.tracewire.core.internal.TracerEngineImpl";

  /** The engine. */
  public static final TracerEngine INSTANCE = load();

  private static TracerEngine load() {
    try {
      Class<?> c = Class.forName(IMPLEMENTATION, true, TracerEngine.class.getClassLoader());
      return (TracerEngine) c.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      // tracer-core ships its engine: only a broken class path or jar gets here
      throw new ExceptionInInitializerError(new IllegalStateException(
          "tracer-core's engine " + IMPLEMENTATION + " cannot be loaded: is tracewire-core's jar complete?", e));
    }
  }

  /** For the engine's one implementation. */
  protected TracerEngine() {}

  // ---------------------------------------------------------------- run context

  /** The context config of this thread (a child config), or {@code null} outside any run. */
  public abstract RunConfig currentConfig();

  /** Runs {@code body} with {@code config} current ({@code null}: none), restoring the previous context after. */
  public abstract <T> T withCurrent(RunConfig config, Supplier<T> body);

  /** Makes {@code config} current and returns a token for {@link #restore}. */
  public abstract Object attach(RunConfig config);

  /** Restores the context {@link #attach} replaced; must run on the thread that attached. */
  public abstract void restore(Object token);

  /** The name of the run-context storage in use ({@code threadlocal}, {@code otel}, ...). */
  public abstract String storageName();

  /** The run executing on this thread as a remote parent (ids only), or empty; see {@code RemoteParent.current()}. */
  public abstract Optional<RemoteParent> currentRemoteParent();

  // ---------------------------------------------------------------- parent handles

  /** Whether {@code callbacks} is a handle the engine made (the only kind a config accepts). */
  public abstract boolean isHandle(Callbacks callbacks);

  /** The handle that makes runs children of {@code parent}, a run in another process. */
  public abstract Callbacks remoteHandle(RemoteParent parent);

  /** LangChain's {@code BaseCallbackManager.merge} of two engine handles: {@code earlier}'s parent wins. */
  public abstract Callbacks mergeHandles(Callbacks earlier, Callbacks later);

  // ---------------------------------------------------------------- global listeners

  /** The listeners every root run inherits (read it, do not modify it). */
  public abstract RunListener[] globalListeners();

  /** Replaces the global listeners (a new array; the caller serialises replacements). */
  public abstract void setGlobalListeners(RunListener[] listeners);

  // ---------------------------------------------------------------- custom events

  /**
   * Dispatches an {@code on_custom_event} for the run whose config is {@code config} (or the
   * current run when {@code null}); see {@code CustomEvent.dispatch}. Throws
   * {@link IllegalStateException} outside any run.
   */
  public abstract void dispatchCustom(String name, Object data, RunConfig config);
}
