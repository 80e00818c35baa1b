package io.tracewire.test;

import io.tracewire.core.event.StreamEvent;
import java.util.List;
import java.util.Objects;

/**
 * Entry point of the kit's AssertJ-style assertions. Static-import next to AssertJ's
 * {@code Assertions.assertThat}; the overloads do not clash.
 *
 * <pre>{@code
 * assertThat(recorder).isWellFormed().hasNoErrors()
 *     .hasRun("model", "chat_model").isChildOf("RunnableSequence").hasStreamedText("Hello!");
 * }</pre>
 */
public final class TracewireAssertions {
  private TracewireAssertions() {}

  /** Assertions over the events recorded so far (a snapshot taken now). */
  public static EventsAssert assertThat(EventRecorder recorder) {
    return new EventsAssert(Objects.requireNonNull(recorder, "recorder").events());
  }

  /** Assertions over a list of events, for example the output of {@code streamEvents(...).toList()}. */
  public static EventsAssert assertThatEvents(List<StreamEvent> events) {
    return new EventsAssert(events);
  }

  /** Assertions over the events of a run tree. */
  public static EventsAssert assertThat(RunTree tree) {
    return new EventsAssert(Objects.requireNonNull(tree, "tree").events());
  }

  /** Assertions about one recorded run. */
  public static RunAssert assertThat(RecordedRun run) {
    return new RunAssert(run);
  }
}
