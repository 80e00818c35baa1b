package io.tracewire.test;

import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.RunIdGenerator;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Records every event of the runs it is attached to, in memory, in arrival order.
 *
 * <p>Attach it per call with {@link #config()} (which also makes run ids deterministic) or with
 * {@code RunConfig.builder().listener(recorder)}; or feed it the events of a
 * {@code streamEvents} call with {@link #recordAll}. Then assert with
 * {@link TracewireAssertions#assertThat(EventRecorder)}.
 *
 * <p>Thread-safe: {@link #onEvent} may be called from any number of run threads at once; it
 * appends under a short lock and never blocks otherwise. Events of one run keep their order;
 * events of concurrent runs interleave as they arrived. {@link #events()} returns a snapshot.
 * Memory grows with every event: one recorder per test (see {@link TracewireExtension}).
 */
public final class EventRecorder implements RunListener, io.tracewire.core.sink.EventSink, Consumer<StreamEvent> {
  /** The first id of {@link #config()}'s sequential run ids, {@value}. */
  public static final long FIRST_RUN_ID = 1L;

  private final Object lock = new Object();
  private final List<StreamEvent> events = new ArrayList<>();
  private final boolean streamsTokens;
  private final RunIdGenerator runIds;

  private EventRecorder(boolean streamsTokens, long firstRunId) {
    this.streamsTokens = streamsTokens;
    this.runIds = RunIdGenerator.sequential(firstRunId);
  }

  /**
   * A recorder that observes runs as a production listener would: chat models called through
   * {@code invoke} do not stream tokens for it.
   */
  public static EventRecorder create() {
    return new EventRecorder(false, FIRST_RUN_ID);
  }

  /**
   * A recorder that, like the {@code streamEvents} collector, asks chat models to stream token
   * by token even when they are invoked, so {@code on_chat_model_stream} events appear.
   */
  public static EventRecorder streamingTokens() {
    return new EventRecorder(true, FIRST_RUN_ID);
  }

  /**
   * A config that attaches this recorder and gives runs sequential ids
   * ({@code 00000000-0000-0000-0000-000000000001}, ...), shared by every config this recorder
   * hands out, so ids are deterministic for a single-threaded test.
   */
  public RunConfig config() {
    return configBuilder().build();
  }

  /** A config builder with this recorder and its sequential run ids already set, to add tags or metadata. */
  public RunConfig.Builder configBuilder() {
    return RunConfig.builder().listener(this).runIdGenerator(runIds);
  }

  /** Records one event. Called on the run's thread; never throws, never blocks beyond a short lock. */
  @Override
  public void onEvent(StreamEvent event) {
    if (event == null) {
      return;
    }
    synchronized (lock) {
      events.add(event);
    }
  }

  /** As an asynchronous sink (through an {@code EventBus}): records every event of the batch. */
  @Override
  public void export(java.util.List<StreamEvent> batch) {
    for (StreamEvent e : batch) {
      onEvent(e);
    }
  }

  /** Same as {@link #onEvent}, so the recorder can stand wherever a {@code Consumer<StreamEvent>} sink is taken. */
  @Override
  public void accept(StreamEvent event) {
    onEvent(event);
  }

  /**
   * Drains an event stream, for example {@code chain.streamEvents(input)}, into this recorder,
   * closes it and returns this recorder. Do not also attach the recorder to that call, or every
   * event is recorded twice. Runs on the calling thread; rethrows what the stream throws.
   */
  public EventRecorder recordAll(CloseableIterator<StreamEvent> stream) {
    Objects.requireNonNull(stream, "stream");
    try (stream) {
      while (stream.hasNext()) {
        onEvent(stream.next());
      }
    }
    return this;
  }

  @Override
  public boolean streamsTokens() {
    return streamsTokens;
  }

  /** A snapshot of the events recorded so far, in arrival order. */
  public List<StreamEvent> events() {
    synchronized (lock) {
      return List.copyOf(events);
    }
  }

  /** The number of events recorded so far. */
  public int size() {
    synchronized (lock) {
      return events.size();
    }
  }

  /** The run tree of the events recorded so far. */
  public RunTree tree() {
    return RunTree.of(events());
  }

  /** Forgets every event (run ids keep counting). */
  public void clear() {
    synchronized (lock) {
      events.clear();
    }
  }

  @Override
  public String toString() {
    return "EventRecorder{" + size() + " events}";
  }
}
