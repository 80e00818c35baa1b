package io.tracewire.cli;

import io.tracewire.core.RemoteParent;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.UsageMetadata;
import io.tracewire.exporters.console.TerminalText;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs rebuilt from events (for {@code tail --mode tree}): identity, tree, timing, chunks and
 * usage. Events of several logs may come in any order: a run whose parent has not started yet (a
 * callee's log read before its caller's) is a root until its parent starts. Runs whose parent ran
 * in another process are marked "(remote parent)". Not thread-safe.
 *
 * <p>Logs are untrusted, so nothing here recurses on the depth of the tree (a valid log may hold
 * a chain of runs thousands of levels deep): building, completion tracking and rendering are
 * iterative, and rendering indents at most {@value #MAX_INDENT_DEPTH} levels. Links that would
 * make a cycle (a run naming itself as its parent, two runs naming each other, a second start of
 * a run) are not made, so the runs always form a forest. Everything printed from the log is
 * escaped with {@link TerminalText}.
 */
final class RunTree {
  /**
   * Runs deeper than this (the root is at depth 0) are drawn at this depth's indentation, after a
   * {@code [depth N] } marker, so a line's width does not grow with the depth.
   */
  static final int MAX_INDENT_DEPTH = 20;
  private static final Comparator<Run> BY_START = Comparator.comparingLong(r -> r.startNanos);

  /** One run. */
  static final class Run {
    final String id;
    String name;
    String type;
    String parentId;
    long startNanos;
    long endNanos = -1;
    long firstChunkNanos = -1;
    long lastChunkNanos = -1;
    int chunks;
    String status = "running";
    String error;
    UsageMetadata usage;
    int closes;
    /** The caller's run id when this run's parent ran in another process (the start event's remote-parent marker). */
    String remoteParent;
    /** Whether the run has been printed as part of a tree. */
    boolean printed;
    /** The run's parent, once it is in the tree; {@code null} for a root. */
    Run parent;
    /** How many of {@link #children} are not {@linkplain RunTree#complete complete}. */
    int incompleteChildren;
    final List<Run> children = new ArrayList<>();

    Run(String id) {
      this.id = id;
    }

    double durationMs() {
      return endNanos < 0 ? -1 : (endNanos - startNanos) / 1e6;
    }
  }

  final Map<String, Run> runs = new LinkedHashMap<>();
  /** The runs without a parent in the tree, in start order; a set so that removing one is cheap. */
  final Set<Run> roots = new LinkedHashSet<>();
  /**
   * Runs whose parent has not started (yet), by parent id: a run of another process's log read
   * before its parent's. They are roots until the parent starts, then move under it.
   */
  private final Map<String, List<Run>> waiting = new HashMap<>();

  /** Adds an event; returns the run it belongs to ({@code null} for events of unknown runs). */
  Run add(StreamEvent e) {
    if (e.isCustom()) {
      return runs.get(e.runId());
    }
    String ev = e.event();
    Run r = runs.get(e.runId());
    if (ev.endsWith("_start")) {
      if (r != null) {
        return r; // a second start: the first one placed the run
      }
      r = new Run(e.runId());
      runs.put(r.id, r);
      r.name = e.name();
      r.type = e.runType() == null ? "?" : e.runType().name();
      r.startNanos = e.timestampNanos();
      String parentId = e.parentIds().isEmpty() ? null : e.parentIds().get(e.parentIds().size() - 1);
      r.parentId = r.id.equals(parentId) ? null : parentId;
      r.remoteParent = e.metadata().get(RemoteParent.METADATA_KEY) instanceof String id ? id : null;
      Run parent = r.parentId == null ? null : runs.get(r.parentId);
      if (parent != null) {
        adopt(parent, r);
      } else {
        roots.add(r);
        if (r.parentId != null) {
          waiting.computeIfAbsent(r.parentId, k -> new ArrayList<>(1)).add(r);
        }
      }
      List<Run> early = waiting.remove(r.id);
      if (early != null) {
        for (Run child : early) {
          if (parent != null && isAncestorOrSelf(child, r)) {
            continue; // the child is above r: adopting it would make a cycle, it stays a root
          }
          roots.remove(child);
          adopt(r, child);
        }
      }
      return r;
    }
    if (r == null) {
      return null;
    }
    if (ev.endsWith("_stream")) {
      r.chunks++;
      if (r.firstChunkNanos < 0) {
        r.firstChunkNanos = e.timestampNanos();
      }
      r.lastChunkNanos = e.timestampNanos();
      if (e.dataValue("chunk") instanceof AIMessageChunk c && c.usageMetadata() != null) {
        r.usage = UsageMetadata.add(r.usage, c.usageMetadata());
      }
    } else if (ev.endsWith("_end") || ev.endsWith("_error") || ev.endsWith("_cancel")) {
      r.closes++;
      boolean firstClose = r.endNanos < 0;
      r.endNanos = e.timestampNanos();
      r.status = ev.endsWith("_end") ? "ok" : ev.endsWith("_error") ? "error" : "cancelled";
      if (ev.endsWith("_error")) {
        Object err = e.dataValue("error");
        if (err instanceof Throwable t) {
          r.error = t.getClass().getSimpleName() + ": " + t.getMessage();
        } else if (err instanceof io.tracewire.exporters.jsonl.ErrorValue v) {
          r.error = v.type().substring(v.type().lastIndexOf('.') + 1) + ": " + v.message();
        } else {
          r.error = String.valueOf(err);
        }
      }
      Object out = e.dataValue("output");
      if (r.usage == null) {
        if (out instanceof AIMessage m) {
          r.usage = m.usageMetadata();
        } else if (out instanceof AIMessageChunk c) {
          r.usage = c.usageMetadata();
        }
      }
      if (firstClose && complete(r)) {
        completed(r);
      }
    }
    return r;
  }

  /** Whether {@code a} is {@code r} or one of its ancestors. */
  private static boolean isAncestorOrSelf(Run a, Run r) {
    for (Run x = r; x != null; x = x.parent) {
      if (x == a) {
        return true;
      }
    }
    return false;
  }

  /** Puts {@code child} (a root) under {@code parent}; children are sorted by start time when rendered. */
  private static void adopt(Run parent, Run child) {
    parent.children.add(child);
    child.parent = parent;
    if (!complete(child)) {
      // parent gains an incomplete child; ancestors that were complete stop being so
      for (Run p = parent; p != null; p = p.parent) {
        boolean wasComplete = complete(p);
        p.incompleteChildren++;
        if (!wasComplete) {
          break;
        }
      }
    }
  }

  /** {@code r} just became complete: tells its ancestors, which may become complete in turn. */
  private static void completed(Run r) {
    for (Run p = r.parent; p != null; p = p.parent) {
      p.incompleteChildren--;
      if (!complete(p)) {
        break;
      }
    }
  }

  /** Whether the run and all its known descendants have ended. */
  static boolean complete(Run r) {
    return r.endNanos >= 0 && r.incompleteChildren == 0;
  }

  /** The run's parent if it is in the tree. */
  Run parentOf(Run r) {
    return r.parent;
  }

  /**
   * Renders a run and its descendants as an indented tree, one line per run, and marks them
   * printed. Iterative: the depth of the tree costs heap, not stack, and lines below
   * {@value #MAX_INDENT_DEPTH} levels are not indented further (they carry a {@code [depth N] }
   * marker instead), so the output is linear in the number of runs.
   */
  static String render(Run root) {
    StringBuilder sb = new StringBuilder();
    // the "│  " or "   " segments of the ancestors at depths 1 to MAX_INDENT_DEPTH - 1
    StringBuilder prefix = new StringBuilder();
    Set<Run> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Frame> stack = new ArrayDeque<>();
    line(root, sb);
    seen.add(root);
    stack.push(new Frame(root, 0));
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      List<Run> children = f.run.children;
      if (f.next == 0 && children.size() > 1) {
        children.sort(BY_START);
      }
      if (f.next == children.size()) {
        stack.pop();
        if (f.depth >= 1 && f.depth < MAX_INDENT_DEPTH) {
          prefix.setLength(3 * (f.depth - 1));
        }
        continue;
      }
      Run c = children.get(f.next++);
      if (!seen.add(c)) {
        continue; // cannot happen in a forest; a guard against looping forever
      }
      boolean last = f.next == children.size();
      int depth = f.depth + 1;
      sb.append(prefix);
      if (depth > MAX_INDENT_DEPTH) {
        sb.append("[depth ").append(depth).append("] ");
      }
      sb.append(last ? "└─ " : "├─ ");
      line(c, sb);
      if (!c.children.isEmpty()) {
        if (depth < MAX_INDENT_DEPTH) {
          prefix.append(last ? "   " : "│  ");
        }
        stack.push(new Frame(c, depth));
      }
    }
    return sb.toString();
  }

  /** A run being rendered, and the index of its next child. */
  private static final class Frame {
    final Run run;
    final int depth;
    int next;

    Frame(Run run, int depth) {
      this.run = run;
      this.depth = depth;
    }
  }

  /** One run's line (without indentation); marks it printed. */
  private static void line(Run r, StringBuilder sb) {
    sb.append(TerminalText.escape(r.name)).append(" [").append(r.type).append("] ").append(r.status);
    r.printed = true;
    if (r.endNanos >= 0) {
      sb.append(String.format(Locale.ROOT, " %.1fms", r.durationMs()));
    }
    if (r.remoteParent != null) {
      sb.append(r.parent != null ? " (remote parent)"
          : " (remote parent " + TerminalText.escape(r.remoteParent) + ", not in the log)");
    }
    if (r.firstChunkNanos >= 0) {
      sb.append(String.format(Locale.ROOT, " ttfc=%.1fms chunks=%d", (r.firstChunkNanos - r.startNanos) / 1e6, r.chunks));
      if (r.lastChunkNanos > r.firstChunkNanos && r.chunks > 1) {
        sb.append(String.format(Locale.ROOT, " %.1f chunks/s", (r.chunks - 1) / ((r.lastChunkNanos - r.firstChunkNanos) / 1e9)));
      }
    }
    if (r.usage != null) {
      sb.append(" tokens=").append(r.usage.inputTokens()).append('+').append(r.usage.outputTokens());
      if (r.usage.inputTokenDetails() != null && r.usage.inputTokenDetails().cacheRead() != null
          && r.usage.inputTokenDetails().cacheRead() > 0) {
        sb.append(" cache_read=").append(r.usage.inputTokenDetails().cacheRead());
      }
    }
    if (r.error != null) {
      sb.append(" error=").append(TerminalText.escape(r.error));
    }
    sb.append('\n');
  }
}
