package io.tracewire.test;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.UsageMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions about one recorded run. Failure messages show the run's tree as indented text with
 * the run marked {@code <--}.
 *
 * <p>Obtain with {@link EventsAssert#hasRun(String)} or
 * {@link TracewireAssertions#assertThat(RecordedRun)}. Not thread-safe.
 */
public final class RunAssert extends AbstractAssert<RunAssert, RecordedRun> {
  RunAssert(RecordedRun run) {
    super(Objects.requireNonNull(run, "run"), RunAssert.class);
  }

  private void fail(String message) {
    failWithMessage("%s", message + "\nRun tree:\n" + actual.tree().render(actual));
  }

  private String who() {
    return "run '" + actual.name() + "' (" + actual.symbol() + ")";
  }

  /** The run type is {@code type} ({@code chain}, {@code chat_model}, {@code tool}, ...). */
  public RunAssert hasType(String type) {
    Objects.requireNonNull(type, "type");
    if (!type.equals(actual.type())) {
      fail("Expected " + who() + " to be of type " + type + ", but it is " + actual.type() + ".");
    }
    return this;
  }

  /** The run's immediate parent is a run named {@code parentName}. */
  public RunAssert isChildOf(String parentName) {
    Objects.requireNonNull(parentName, "parentName");
    RecordedRun p = actual.parent();
    if (p == null || !p.name().equals(parentName)) {
      fail("Expected " + who() + " to be a child of '" + parentName + "', but its parent is "
          + (p == null ? "none (it is a root)" : "'" + p.name() + "' (" + p.symbol() + ")") + ".");
    }
    return this;
  }

  /** Some ancestor of the run is named {@code ancestorName}. */
  public RunAssert isDescendantOf(String ancestorName) {
    Objects.requireNonNull(ancestorName, "ancestorName");
    for (RecordedRun p = actual.parent(); p != null; p = p.parent()) {
      if (p.name().equals(ancestorName)) {
        return this;
      }
    }
    fail("Expected " + who() + " to be a descendant of '" + ancestorName + "', but no ancestor has that name.");
    return this;
  }

  /** The run has no parent in the recording. */
  public RunAssert isRoot() {
    if (actual.parent() != null) {
      fail("Expected " + who() + " to be a root, but its parent is '" + actual.parent().name() + "'.");
    }
    return this;
  }

  /** The run's children have exactly these names, in order. */
  public RunAssert hasChildren(String... names) {
    List<String> got = new ArrayList<>();
    for (RecordedRun c : actual.children()) {
      got.add(c.name());
    }
    if (!got.equals(List.of(names))) {
      fail("Expected " + who() + " to have children " + List.of(names) + ", but they are " + got + ".");
    }
    return this;
  }

  /** The run emitted exactly {@code count} stream events. */
  public RunAssert hasStreamedChunkCount(int count) {
    int n = actual.chunks().size();
    if (n != count) {
      fail("Expected " + who() + " to stream " + count + " chunks, but it streamed " + n + ".");
    }
    return this;
  }

  /** The text of the run's streamed chunks, concatenated, is {@code text}. */
  public RunAssert hasStreamedText(String text) {
    Objects.requireNonNull(text, "text");
    String got = actual.streamedText();
    if (!got.equals(text)) {
      fail("Expected " + who() + " to stream the text \"" + text + "\", but it streamed \"" + got + "\".");
    }
    return this;
  }

  /** The run's tags contain all of {@code tags}. */
  public RunAssert hasTags(String... tags) {
    List<String> missing = new ArrayList<>();
    for (String t : tags) {
      if (!actual.tags().contains(t)) {
        missing.add(t);
      }
    }
    if (!missing.isEmpty()) {
      fail("Expected " + who() + " to have tags " + List.of(tags) + ", but " + missing + " are missing; its tags are " + actual.tags() + ".");
    }
    return this;
  }

  /** The run's metadata maps {@code key} to a value equal to {@code value}. */
  public RunAssert hasMetadata(String key, Object value) {
    Objects.requireNonNull(key, "key");
    Map<String, Object> md = actual.metadata();
    if (!md.containsKey(key) || !Objects.equals(md.get(key), value)) {
      fail("Expected " + who() + " to have metadata " + key + "=" + value + ", but "
          + (md.containsKey(key) ? key + "=" + md.get(key) : "there is no key " + key) + "; its metadata is " + md + ".");
    }
    return this;
  }

  /** The run's metadata contains every entry of {@code entries}. */
  public RunAssert hasMetadataContaining(Map<String, ?> entries) {
    Objects.requireNonNull(entries, "entries");
    entries.forEach(this::hasMetadata);
    return this;
  }

  /** The run ended normally ({@code on_<type>_end}). */
  public RunAssert hasEnded() {
    return hasStatus(RecordedRun.Status.ENDED);
  }

  /** The run was cancelled ({@code on_<type>_cancel}). */
  public RunAssert wasCancelled() {
    return hasStatus(RecordedRun.Status.CANCELLED);
  }

  /** The run failed with an error of type {@code type} (or a subtype). */
  public RunAssert hasFailedWith(Class<? extends Throwable> type) {
    Objects.requireNonNull(type, "type");
    hasStatus(RecordedRun.Status.FAILED);
    if (!type.isInstance(actual.error())) {
      fail("Expected " + who() + " to fail with " + type.getName() + ", but it failed with " + actual.error() + ".");
    }
    return this;
  }

  private RunAssert hasStatus(RecordedRun.Status status) {
    if (actual.status() != status) {
      fail("Expected " + who() + " to be " + status + ", but it is " + actual.status() + ".");
    }
    return this;
  }

  /** The run ended with an output equal to {@code expected}. */
  public RunAssert hasOutput(Object expected) {
    hasEnded();
    if (!Objects.equals(actual.output(), expected)) {
      fail("Expected " + who() + " to output " + Events.abbreviate(expected, 200) + ", but it output "
          + Events.abbreviate(actual.output(), 200) + ".");
    }
    return this;
  }

  /** The run reports exactly this usage (see {@link RecordedRun#usage()}). */
  public RunAssert hasUsage(long inputTokens, long outputTokens, long totalTokens) {
    UsageMetadata u = actual.usage();
    if (u == null || u.inputTokens() != inputTokens || u.outputTokens() != outputTokens || u.totalTokens() != totalTokens) {
      fail("Expected " + who() + " to report usage in=" + inputTokens + " out=" + outputTokens + " total=" + totalTokens
          + ", but it reports " + (u == null ? "none" : "in=" + u.inputTokens() + " out=" + u.outputTokens() + " total=" + u.totalTokens()) + ".");
    }
    return this;
  }

  /** The run dispatched a custom event named {@code name}. */
  public RunAssert hasCustomEvent(String name) {
    Objects.requireNonNull(name, "name");
    for (StreamEvent e : actual.customEvents()) {
      if (e.name().equals(name)) {
        return this;
      }
    }
    fail("Expected " + who() + " to dispatch a custom event '" + name + "', but it dispatched "
        + actual.customEvents().stream().map(StreamEvent::name).toList() + ".");
    return this;
  }

  /** The first child named {@code name}, to go on asserting about it. */
  public RunAssert child(String name) {
    Objects.requireNonNull(name, "name");
    for (RecordedRun c : actual.children()) {
      if (c.name().equals(name)) {
        return new RunAssert(c);
      }
    }
    fail("Expected " + who() + " to have a child named '" + name + "', but it has none.");
    return this;
  }
}
