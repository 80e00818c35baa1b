package io.tracewire.core.event;

import io.tracewire.core.Callbacks;

/**
 * A {@link RunListener} that keeps its per-run state on the run itself instead of in a lookup
 * table keyed by run id, as OpenTelemetry's {@code SpanProcessor} is handed the span and
 * Micrometer's {@code ObservationHandler} the observation context. The runtime stores the value
 * {@link #onRunStart} returns with the run and hands it back with every later event of that run,
 * and it hands a child run's start the state this listener returned for the parent run.
 *
 * <h2>Which method receives an event</h2>
 * <ul>
 *   <li>{@link #onRunStart} receives the start event ({@code on_<type>_start}) of every run this
 *       listener is attached to, with {@code parentState}: the state this listener returned for
 *       the run's immediate parent run, or {@code null} for a root run, for a parent run this
 *       listener is not attached to (it was added on the child only), and for a parent whose
 *       {@code onRunStart} returned {@code null} or threw.
 *   <li>{@link #onRunEvent} receives every later event of such a run, with the state its start
 *       returned (possibly {@code null}): stream chunks, custom events dispatched inside the run,
 *       and the one end, error or cancel event.
 *   <li>{@link #onEvent} receives the events the runtime holds no state of this listener for: a
 *       custom event dispatched through a {@code Callbacks} handle that carries this listener
 *       although the enclosing run does not. Code that forwards events itself (a wrapper, a
 *       replay) calls {@code onEvent} too, so implementations must also work without state, as
 *       a plain {@link RunListener}.
 * </ul>
 *
 * <h2>Threading and ordering</h2>
 * As for every {@link RunListener}: methods are called on the thread that produced the event,
 * concurrently for different runs. The events of one run arrive in order, and everything a
 * run's {@code onRunStart} wrote happens-before its later events are delivered and before the
 * start of its child runs, on whatever thread those happen (a run may end on another thread than
 * the one it started on). The state object is shared by the run's events only, so plain fields
 * suffice for data written and read by one run's events.
 *
 * <h2>Errors</h2>
 * Implementations must be fast, must not block and should not throw. The runtime isolates them
 * as any listener: an exception is logged once per listener class and counted, and the run goes
 * on. If {@code onRunStart} throws, the run's state for this listener is {@code null}; the later
 * events are still delivered to {@code onRunEvent}.
 *
 * @param <S> the per-run state; {@code null} is a legal value (for example, for a run the
 *     listener chose not to track)
 */
public interface RunStateListener<S> extends RunListener {

  /**
   * Receives a run's start event and returns the state to keep with the run.
   *
   * @param start the {@code on_<type>_start} event
   * @param parentState this listener's state of the run's immediate parent run; {@code null} at
   *     a root run or when the parent has no state of this listener
   * @return the run's state, handed to {@link #onRunEvent} with each later event of the run and
   *     to {@code onRunStart} of its child runs; may be {@code null}
   */
  S onRunStart(StreamEvent start, S parentState);

  /**
   * Receives an event of a run after its start: a stream chunk, a custom event, or the run's end,
   * error or cancel event.
   *
   * @param state what {@link #onRunStart} returned for this run (possibly {@code null})
   * @param event the event
   */
  void onRunEvent(S state, StreamEvent event);
}
