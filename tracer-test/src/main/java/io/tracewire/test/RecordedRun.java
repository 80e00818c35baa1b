package io.tracewire.test;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.UsageMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One run as reconstructed from recorded events: its identity, position in the tree, its
 * start, stream and terminal events, and its custom events. Obtain from {@link RunTree}.
 *
 * <p>Immutable once its tree is built; thread-safe to read.
 */
public final class RecordedRun {
  /** How a run finished in the recording. */
  public enum Status {
    /** Started, not (yet) ended: no end, error or cancel event recorded. */
    OPEN,
    /** Ended with {@code on_<type>_end}. */
    ENDED,
    /** Ended with {@code on_<type>_error}. */
    FAILED,
    /** Ended with {@code on_<type>_cancel}. */
    CANCELLED
  }

  final RunTree tree;
  final String runId;
  final String symbol;
  final List<StreamEvent> events = new ArrayList<>();
  final List<StreamEvent> customEvents = new ArrayList<>();
  final List<RecordedRun> children = new ArrayList<>();
  RecordedRun parent;
  StreamEvent start;
  StreamEvent terminal;

  RecordedRun(RunTree tree, String runId, String symbol) {
    this.tree = tree;
    this.runId = runId;
    this.symbol = symbol;
  }

  /** The tree this run belongs to. */
  public RunTree tree() {
    return tree;
  }

  /** The run id as recorded. */
  public String runId() {
    return runId;
  }

  /** The symbolic id ({@code r0}, {@code r1}, ...) by first appearance in the recording. */
  public String symbol() {
    return symbol;
  }

  /** The run's name (from its first event). */
  public String name() {
    return first().name();
  }

  /** The run type ({@code chain}, {@code chat_model}, ...) named by its first lifecycle event. */
  public String type() {
    return Events.type(first());
  }

  /** The immediate parent as recorded, or {@code null} for a root or when the parent is not in the recording. */
  public RecordedRun parent() {
    return parent;
  }

  /** The immediate parent id from the events, or {@code null} for a top-level run. */
  public String parentId() {
    return Events.parentId(first());
  }

  /** Child runs, in order of their first event. */
  public List<RecordedRun> children() {
    return Collections.unmodifiableList(children);
  }

  /** Tags of the run (from its first event). */
  public List<String> tags() {
    return first().tags();
  }

  /** Metadata of the run (from its first event). */
  public Map<String, Object> metadata() {
    return first().metadata();
  }

  /** Every lifecycle event of this run (not custom events), in arrival order. */
  public List<StreamEvent> events() {
    return Collections.unmodifiableList(events);
  }

  /** The {@code on_custom_event}s dispatched inside this run. */
  public List<StreamEvent> customEvents() {
    return Collections.unmodifiableList(customEvents);
  }

  /** The start event, or {@code null} when none was recorded. */
  public StreamEvent startEvent() {
    return start;
  }

  /** The first end, error or cancel event, or {@code null} while open. */
  public StreamEvent terminalEvent() {
    return terminal;
  }

  public Status status() {
    if (terminal == null) {
      return Status.OPEN;
    }
    return switch (Events.phase(terminal)) {
      case Events.END -> Status.ENDED;
      case Events.ERROR -> Status.FAILED;
      default -> Status.CANCELLED;
    };
  }

  /** The {@code output} of the end event, or {@code null}. */
  public Object output() {
    return status() == Status.ENDED ? terminal.dataValue("output") : null;
  }

  /** The {@code error} of an error event, or {@code null}. */
  public Throwable error() {
    return status() == Status.FAILED && terminal.dataValue("error") instanceof Throwable t ? t : null;
  }

  /** The {@code chunk} of each stream event, in order. */
  public List<Object> chunks() {
    List<Object> out = new ArrayList<>();
    for (StreamEvent e : events) {
      if (Events.STREAM.equals(Events.phase(e))) {
        out.add(e.dataValue("chunk"));
      }
    }
    return out;
  }

  /** The text of the streamed chunks, concatenated (message content, generation text or string chunks). */
  public String streamedText() {
    StringBuilder sb = new StringBuilder();
    for (Object c : chunks()) {
      String t = Events.chunkText(c);
      if (t != null) {
        sb.append(t);
      }
    }
    return sb.toString();
  }

  /**
   * Token usage of this run alone: the end output's usage when it has one, else the sum of the
   * streamed chunks' usage (a stream that failed or was cancelled), else {@code null}.
   */
  public UsageMetadata usage() {
    UsageMetadata u = Events.usageOf(output());
    if (u != null) {
      return u;
    }
    for (Object c : chunks()) {
      u = UsageMetadata.add(u, Events.usageOf(c));
    }
    return u;
  }

  /** This run and every descendant, depth first. */
  public List<RecordedRun> subtree() {
    List<RecordedRun> out = new ArrayList<>();
    collect(this, out);
    return out;
  }

  private static void collect(RecordedRun r, List<RecordedRun> out) {
    out.add(r);
    for (RecordedRun c : r.children) {
      collect(c, out);
    }
  }

  /** Whether {@code ancestor} is this run's parent, grandparent, ... */
  public boolean isDescendantOf(RecordedRun ancestor) {
    for (RecordedRun p = parent; p != null; p = p.parent) {
      if (p == ancestor) {
        return true;
      }
    }
    return false;
  }

  private StreamEvent first() {
    return start != null ? start : events.isEmpty() ? customEvents.get(0) : events.get(0);
  }

  /** One line: {@code type name symbol status ...}, as in {@link RunTree#render()}. */
  String line() {
    StringBuilder sb = new StringBuilder();
    String type = type();
    sb.append(type == null ? "?" : type).append(' ').append(name()).append(" (").append(symbol).append(')');
    if (!tags().isEmpty()) {
      sb.append(" tags=").append(tags());
    }
    switch (status()) {
      case OPEN -> sb.append(start == null ? " NOT STARTED" : " OPEN");
      case ENDED -> sb.append(" ended");
      case FAILED -> sb.append(" FAILED ").append(error() == null
          ? String.valueOf(terminal.dataValue("error"))
          : error().getClass().getSimpleName() + ": " + Events.abbreviate(error().getMessage(), 60));
      case CANCELLED -> sb.append(" CANCELLED");
    }
    int n = chunks().size();
    if (n > 0) {
      sb.append(", ").append(n).append(n == 1 ? " chunk " : " chunks ");
      sb.append('"').append(Events.abbreviate(streamedText(), 40)).append('"');
    }
    if (!customEvents.isEmpty()) {
      sb.append(", ").append(customEvents.size()).append(" custom");
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return line();
  }
}
