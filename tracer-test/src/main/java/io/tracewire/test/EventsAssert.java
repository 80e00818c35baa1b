package io.tracewire.test;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.UsageMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions over a recorded event list and its run tree. Failure messages show the run tree
 * as indented text (see {@link RunTree#render()}), with symbolic run ids.
 *
 * <p>Obtain with {@link TracewireAssertions#assertThat(EventRecorder)} or
 * {@link TracewireAssertions#assertThatEvents(List)}. Not thread-safe; use from the test thread
 * after the runs under test have finished.
 */
public final class EventsAssert extends AbstractAssert<EventsAssert, List<StreamEvent>> {
  private final RunTree tree;

  EventsAssert(List<StreamEvent> events) {
    super(List.copyOf(Objects.requireNonNull(events, "events")), EventsAssert.class);
    this.tree = RunTree.of(actual);
  }

  /** The run tree of the events, for custom checks. */
  public RunTree tree() {
    return tree;
  }

  private void fail(String message) {
    failWithMessage("%s", message + "\nRun tree:\n" + tree.render());
  }

  private void requireEvents(String what) {
    if (actual.isEmpty()) {
      fail("Expected " + what + ", but no events were recorded: is the recorder attached to the call "
          + "(recorder.config() or RunConfig.builder().listener(recorder))?");
    }
  }

  /**
   * Every run started once and closed once, parents start before children, no orphans, seq
   * increasing (see {@link LifecycleValidator} for the exact rules). An empty recording fails:
   * it usually means the recorder was not attached.
   */
  public EventsAssert isWellFormed() {
    requireEvents("a well-formed recording");
    List<Violation> vs = LifecycleValidator.validate(actual);
    if (!vs.isEmpty()) {
      fail("Expected a well-formed recording, but found " + LifecycleValidator.describe(vs));
    }
    return this;
  }

  /** No run failed ({@code on_<type>_error}, including {@code on_tool_error}). An empty recording fails. */
  public EventsAssert hasNoErrors() {
    requireEvents("a recording without errors");
    List<String> failed = new ArrayList<>();
    for (RecordedRun r : tree.runs()) {
      for (StreamEvent e : r.events) {
        if (Events.ERROR.equals(Events.phase(e))) {
          failed.add(r.symbol() + " " + r.type() + " '" + r.name() + "': "
              + (e.dataValue("error") instanceof Throwable t ? t.getClass().getName() + ": " + t.getMessage() : e.dataValue("error")));
        }
      }
    }
    if (!failed.isEmpty()) {
      fail("Expected no errors, but " + failed.size() + (failed.size() == 1 ? " run" : " runs") + " failed:\n  - "
          + String.join("\n  - ", failed));
    }
    return this;
  }

  /** The first run named {@code name}; fails when there is none. */
  public RunAssert hasRun(String name) {
    Objects.requireNonNull(name, "name");
    List<RecordedRun> found = tree.named(name);
    if (found.isEmpty()) {
      fail("Expected a run named '" + name + "', but there is none.");
    }
    return new RunAssert(found.get(0));
  }

  /** The first run named {@code name} of run type {@code type} ({@code chain}, {@code chat_model}, ...). */
  public RunAssert hasRun(String name, String type) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    for (RecordedRun r : tree.named(name)) {
      if (type.equals(r.type())) {
        return new RunAssert(r);
      }
    }
    fail("Expected a run named '" + name + "' of type " + type + ", but there is none.");
    throw new IllegalStateException("unreachable");
  }

  /** Exactly {@code count} runs are named {@code name}. */
  public EventsAssert hasRunCount(String name, int count) {
    int n = tree.named(Objects.requireNonNull(name, "name")).size();
    if (n != count) {
      fail("Expected " + count + " runs named '" + name + "', but found " + n + ".");
    }
    return this;
  }

  /**
   * The events contain events matching {@code patterns} in this order, possibly with other
   * events between them. Patterns are {@code "event"} or {@code "event:name"}.
   */
  public EventsAssert containsSubsequence(String... patterns) {
    return containsSubsequence(parse(patterns));
  }

  /** The events contain events matching {@code patterns} in this order, possibly with other events between them. */
  public EventsAssert containsSubsequence(EventPattern... patterns) {
    Objects.requireNonNull(patterns, "patterns");
    int p = 0;
    int lastMatch = -1;
    for (int i = 0; i < actual.size() && p < patterns.length; i++) {
      if (patterns[p].test(actual.get(i))) {
        p++;
        lastMatch = i;
      }
    }
    if (p < patterns.length) {
      StringBuilder sb = new StringBuilder("Expected the events to contain the subsequence\n");
      for (int i = 0; i < patterns.length; i++) {
        sb.append(i < p ? "    matched  " : i == p ? "  > MISSING  " : "             ").append(patterns[i]).append('\n');
      }
      sb.append("but no event ").append(lastMatch < 0 ? "" : "after #" + lastMatch + " ").append("matched ").append(patterns[p])
          .append(".\nEvents:\n").append(listing(lastMatch));
      fail(sb.toString());
    }
    return this;
  }

  /** The events are exactly these, in order; each pattern is {@code "event"} or {@code "event:name"}. */
  public EventsAssert hasEventSequence(String... patterns) {
    return hasEventSequence(parse(patterns));
  }

  /** The events match exactly these patterns, one each, in order. */
  public EventsAssert hasEventSequence(EventPattern... patterns) {
    Objects.requireNonNull(patterns, "patterns");
    int n = Math.min(patterns.length, actual.size());
    int firstBad = -1;
    for (int i = 0; i < n; i++) {
      if (!patterns[i].test(actual.get(i))) {
        firstBad = i;
        break;
      }
    }
    if (firstBad < 0 && patterns.length != actual.size()) {
      firstBad = n;
    }
    if (firstBad >= 0) {
      String expected = firstBad < patterns.length ? patterns[firstBad].toString() : "(no more events)";
      String got = firstBad < actual.size() ? line(firstBad) : "(no more events)";
      fail("Expected exactly " + patterns.length + " events, got " + actual.size() + "; first difference at #" + firstBad
          + ":\n  expected: " + expected + "\n  actual:   " + got + "\nEvents:\n" + listing(firstBad));
    }
    return this;
  }

  /**
   * The summed token usage of every run that reports usage (chat-model end outputs, or the
   * streamed chunks of a model run that did not end) equals these totals.
   */
  public EventsAssert hasUsageTotals(long inputTokens, long outputTokens, long totalTokens) {
    UsageMetadata sum = null;
    StringBuilder per = new StringBuilder();
    for (RecordedRun r : tree.runs()) {
      UsageMetadata u = r.usage();
      if (u != null) {
        sum = UsageMetadata.add(sum, u);
        per.append("\n  ").append(r.symbol()).append(' ').append(r.name()).append(": in=").append(u.inputTokens())
            .append(" out=").append(u.outputTokens()).append(" total=").append(u.totalTokens());
      }
    }
    long in = sum == null ? 0 : sum.inputTokens();
    long out = sum == null ? 0 : sum.outputTokens();
    long total = sum == null ? 0 : sum.totalTokens();
    if (in != inputTokens || out != outputTokens || total != totalTokens) {
      fail("Expected usage totals in=" + inputTokens + " out=" + outputTokens + " total=" + totalTokens
          + ", but got in=" + in + " out=" + out + " total=" + total + "; per run:" + (per.length() == 0 ? " (none reported)" : per));
    }
    return this;
  }

  /**
   * The events, normalised, equal the golden file at {@code path} (relative paths resolve from
   * the working directory, the module directory under Maven). With
   * {@code -D}{@value GoldenFile#UPDATE_PROPERTY}{@code =true} the file is (re)written instead.
   */
  public EventsAssert matchesGolden(String path) {
    return matchesGolden(Path.of(Objects.requireNonNull(path, "path")));
  }

  /** As {@link #matchesGolden(String)}. */
  public EventsAssert matchesGolden(Path path) {
    GoldenFile.assertMatches(actual, path);
    return this;
  }

  private static EventPattern[] parse(String[] patterns) {
    Objects.requireNonNull(patterns, "patterns");
    EventPattern[] out = new EventPattern[patterns.length];
    for (int i = 0; i < patterns.length; i++) {
      out[i] = EventPattern.parse(patterns[i]);
    }
    return out;
  }

  private String line(int i) {
    StreamEvent e = actual.get(i);
    String chunk = Events.STREAM.equals(Events.phase(e)) ? " \"" + Events.abbreviate(Events.chunkText(e.dataValue("chunk")), 30) + "\"" : "";
    return e.event() + ":" + e.name() + " (" + tree.symbol(e.runId()) + ")" + chunk;
  }

  /** The events around {@code focus} (all when few), one per line. */
  private String listing(int focus) {
    int from = 0;
    int to = actual.size();
    if (actual.size() > 40) {
      from = Math.max(0, focus - 10);
      to = Math.min(actual.size(), Math.max(focus, 0) + 20);
    }
    StringBuilder sb = new StringBuilder();
    if (from > 0) {
      sb.append("  ... ").append(from).append(" earlier events\n");
    }
    for (int i = from; i < to; i++) {
      sb.append(i == focus ? "  > #" : "    #").append(i).append(' ').append(line(i)).append('\n');
    }
    if (to < actual.size()) {
      sb.append("  ... ").append(actual.size() - to).append(" later events\n");
    }
    if (actual.isEmpty()) {
      sb.append("  (no events)\n");
    }
    return sb.toString().stripTrailing();
  }
}
