package io.tracewire.core.context;

import io.tracewire.core.RunConfig;

/**
 * Where the current run context lives: the child config of the run executing on this thread,
 * which calls without an explicit config inherit. Tracewire keeps it in a {@link ThreadLocal} by
 * default; a storage provided through {@link java.util.ServiceLoader} can keep it somewhere that
 * frameworks already carry across threads (OpenTelemetry's {@code Context}, for instance, which
 * the OpenTelemetry Java agent propagates through executors and {@code CompletableFuture}s).
 *
 * <h2>Selection</h2>
 * The storage is chosen once, when Tracewire's engine first needs the context, and never changes
 * for the life of the class loader: the system property {@value #PROPERTY} names it
 * ({@code threadlocal}, the {@link #name()} of a provider, or a provider's fully qualified class
 * name); without the property the first provider found by
 * {@code ServiceLoader.load(RunContextStorage.class)} wins, and without provider the
 * thread-local storage is used. A provider whose constructor throws (its dependencies are
 * missing, say) is skipped with a log line at {@code FINE}, or {@code WARNING} when the property
 * asked for it; the thread-local storage is the fallback. Providers are instantiated through a
 * public no-argument constructor; they must not start runs from it.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threading.</b> Every method is called on the thread whose context it reads or
 *       changes, concurrently from many threads; the context is per thread (or per whatever
 *       the storage follows: a virtual thread, a propagated framework context).
 *   <li><b>Nesting.</b> {@link #attach} and {@link #restore} are called in strict LIFO pairs
 *       on one thread; {@link #restore} gets back the token {@link #attach} returned and must
 *       make the context what it was before that {@code attach}, even when other code changed
 *       the storage's backing context in between without restoring it yet.
 *   <li><b>Never throws, never blocks.</b> A failure must be swallowed (Tracewire also catches
 *       and logs anything thrown, and then runs the work without context).
 *   <li><b>Cost.</b> {@link #attach}/{@link #restore} run around every step a run executes, and
 *       {@link #reattach}/{@link #restore} around every chunk a streaming step pulls: a few tens
 *       of nanoseconds at most, no lock.
 *       Return the same token and do nothing when the config attached is already current.
 * </ul>
 */
public interface RunContextStorage {
  /** The system property that selects the storage: {@value}. */
  String PROPERTY = "tracewire.context.storage";
  /** The name of the built-in thread-local storage: {@value}. */
  String THREAD_LOCAL = "threadlocal";

  /** A short name for {@link #PROPERTY} and diagnostics, such as {@code otel}. */
  String name();

  /** The context config of the calling thread, or {@code null} outside any run. */
  RunConfig current();

  /**
   * Makes {@code config} (may be {@code null}: no run) the current context and returns an opaque
   * token for {@link #restore}, never {@code null}.
   */
  Object attach(RunConfig config);

  /** Restores the context that was current before the {@link #attach} that returned {@code token}. */
  void restore(Object token);

  /**
   * Attaches {@code config} again, as {@link #attach} does, where {@code previous} is what the last
   * attach of the same config by the same consumer returned (already restored), or {@code null}. A
   * streaming step makes its run's config current around every chunk it pulls; a storage whose
   * attach builds something per call (a context object, an entry) may reuse what it built for the
   * previous pull when the calling thread and its context are still the ones it was built for.
   * {@code previous} may come from another thread or be stale: check before reusing it. The
   * default is {@code attach(config)}.
   */
  default Object reattach(RunConfig config, Object previous) {
    return attach(config);
  }
}
