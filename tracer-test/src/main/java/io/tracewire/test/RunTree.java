package io.tracewire.test;

import io.tracewire.core.event.StreamEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The run tree reconstructed from a list of events: runs keyed by id, linked to their recorded
 * parents, each with a symbolic id ({@code r0}, {@code r1}, ...) in order of first appearance
 * (as a run id or as a parent id). Renders as indented text for failure messages.
 *
 * <p>Built once from an immutable snapshot; immutable and thread-safe afterwards. Tolerates
 * malformed recordings (a run without a start, a parent that never appears): it shows them, and
 * {@link LifecycleValidator} names them.
 */
public final class RunTree {
  /** Lines beyond which {@link #render()} elides the rest, {@value}. */
  public static final int MAX_RENDERED_LINES = 80;

  private final List<StreamEvent> events;
  private final Map<String, RecordedRun> runs = new LinkedHashMap<>();
  private final Map<String, String> symbols = new LinkedHashMap<>();
  private final List<RecordedRun> roots = new ArrayList<>();

  private RunTree(List<StreamEvent> events) {
    this.events = List.copyOf(events);
    for (StreamEvent e : this.events) {
      symbolFor(e.runId());
      for (String p : e.parentIds()) {
        symbolFor(p);
      }
      RecordedRun r = runs.computeIfAbsent(e.runId(), id -> new RecordedRun(this, id, symbols.get(id)));
      if (e.isCustom()) {
        r.customEvents.add(e);
        continue;
      }
      r.events.add(e);
      String phase = Events.phase(e);
      if (Events.START.equals(phase) && r.start == null) {
        r.start = e;
      } else if (Events.isTerminal(phase) && r.terminal == null) {
        r.terminal = e;
      }
    }
    for (RecordedRun r : runs.values()) {
      String parentId = r.parentId();
      RecordedRun p = parentId == null ? null : runs.get(parentId);
      if (p != null && p != r) {
        r.parent = p;
        p.children.add(r);
      } else {
        roots.add(r);
      }
    }
  }

  /** The tree of {@code events}. */
  public static RunTree of(List<StreamEvent> events) {
    return new RunTree(Objects.requireNonNull(events, "events"));
  }

  private void symbolFor(String runId) {
    symbols.computeIfAbsent(runId, id -> "r" + symbols.size());
  }

  /** The events the tree was built from. */
  public List<StreamEvent> events() {
    return events;
  }

  /** Runs without a recorded parent, in order of first appearance. */
  public List<RecordedRun> roots() {
    return Collections.unmodifiableList(roots);
  }

  /** Every run, in order of first appearance. */
  public List<RecordedRun> runs() {
    return List.copyOf(runs.values());
  }

  /** The run with this id, or {@code null}. */
  public RecordedRun run(String runId) {
    return runs.get(runId);
  }

  /** Runs named {@code name}, in order of first appearance. */
  public List<RecordedRun> named(String name) {
    List<RecordedRun> out = new ArrayList<>();
    for (RecordedRun r : runs.values()) {
      if (r.name().equals(name)) {
        out.add(r);
      }
    }
    return out;
  }

  /** The symbolic id of a run id ({@code r0}, ...), or the id itself when it never appeared. */
  public String symbol(String runId) {
    return symbols.getOrDefault(runId, runId);
  }

  /** Run id to symbol, in order of first appearance. */
  Map<String, String> symbols() {
    return Collections.unmodifiableMap(symbols);
  }

  /** The whole tree as indented text, one run a line. */
  public String render() {
    return render(null);
  }

  /**
   * The tree as indented text with {@code focus} marked {@code <--}; when {@code focus} is
   * given, only the tree of its root is shown.
   */
  public String render(RecordedRun focus) {
    List<String> lines = new ArrayList<>();
    if (focus != null) {
      RecordedRun root = focus;
      while (root.parent != null) {
        root = root.parent;
      }
      append(root, 0, focus, lines);
    } else {
      for (RecordedRun r : roots) {
        append(r, 0, null, lines);
      }
    }
    if (lines.isEmpty()) {
      return "  (no runs recorded)";
    }
    StringBuilder sb = new StringBuilder();
    int shown = Math.min(lines.size(), MAX_RENDERED_LINES);
    for (int i = 0; i < shown; i++) {
      if (i > 0) {
        sb.append('\n');
      }
      sb.append(lines.get(i));
    }
    if (lines.size() > shown) {
      sb.append("\n  ... ").append(lines.size() - shown).append(" more runs");
    }
    return sb.toString();
  }

  private void append(RecordedRun r, int depth, RecordedRun focus, List<String> lines) {
    String line = "  ".repeat(depth + 1) + r.line();
    if (r.parent == null && r.parentId() != null) {
      line += " [parent " + symbol(r.parentId()) + " not recorded]";
    }
    lines.add(r == focus ? line + "   <--" : line);
    for (RecordedRun c : r.children) {
      append(c, depth + 1, focus, lines);
    }
  }

  @Override
  public String toString() {
    return render();
  }
}
