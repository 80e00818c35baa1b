package io.tracewire.cli;

import io.tracewire.core.RemoteParent;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.UsageMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs rebuilt from events (for {@code tail --mode tree} and {@code validate}): identity, tree,
 * timing, chunks and usage. Events of several logs may come in any order: a run whose parent
 * has not started yet (a callee's log read before its caller's) is a root until its parent
 * starts. Runs whose parent ran in another process are marked "(remote parent)". Not
 * thread-safe.
 */
final class RunTree {
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
    /** Whether the run's parent is in the tree. */
    boolean parentKnown;
    final List<Run> children = new ArrayList<>();

    Run(String id) {
      this.id = id;
    }

    double durationMs() {
      return endNanos < 0 ? -1 : (endNanos - startNanos) / 1e6;
    }
  }

  final Map<String, Run> runs = new LinkedHashMap<>();
  final List<Run> roots = new ArrayList<>();
  /**
   * Runs whose parent has not started (yet), by parent id: a run of another process's log read
   * before its parent's. They are roots until the parent starts, then move under it.
   */
  private final Map<String, List<Run>> waiting = new HashMap<>();

  /** Adds an event; returns the run it belongs to ({@code null} for custom events of unknown runs). */
  Run add(StreamEvent e) {
    if (e.isCustom()) {
      return runs.get(e.runId());
    }
    String ev = e.event();
    Run r = runs.get(e.runId());
    if (ev.endsWith("_start")) {
      if (r == null) {
        r = new Run(e.runId());
        runs.put(r.id, r);
      }
      r.name = e.name();
      r.type = e.runType() == null ? "?" : e.runType().name();
      r.startNanos = e.timestampNanos();
      r.parentId = e.parentIds().isEmpty() ? null : e.parentIds().get(e.parentIds().size() - 1);
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
    }
    return r;
  }

  /** Adds {@code child} to {@code parent}'s children in start order. */
  private static void adopt(Run parent, Run child) {
    int i = parent.children.size();
    while (i > 0 && parent.children.get(i - 1).startNanos > child.startNanos) {
      i--;
    }
    parent.children.add(i, child);
    child.parentKnown = true;
  }

  /** Whether the run and all its known descendants have ended. */
  static boolean ended(Run r) {
    if (r.endNanos < 0) {
      return false;
    }
    for (Run c : r.children) {
      if (!ended(c)) {
        return false;
      }
    }
    return true;
  }

  /** The run's parent if it is known. */
  Run parentOf(Run r) {
    return r.parentId == null ? null : runs.get(r.parentId);
  }

  /** Renders a run and its children as an indented tree. */
  static String render(Run root) {
    StringBuilder sb = new StringBuilder();
    render(root, "", true, sb, true);
    return sb.toString();
  }

  private static void render(Run r, String indent, boolean last, StringBuilder sb, boolean top) {
    sb.append(indent);
    if (!top) {
      sb.append(last ? "└─ " : "├─ ");
    }
    sb.append(r.name).append(" [").append(r.type).append("] ").append(r.status);
    r.printed = true;
    if (r.endNanos >= 0) {
      sb.append(String.format(Locale.ROOT, " %.1fms", r.durationMs()));
    }
    if (r.remoteParent != null) {
      sb.append(r.parentKnown ? " (remote parent)" : " (remote parent " + r.remoteParent + ", not in the log)");
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
      sb.append(" error=").append(r.error);
    }
    sb.append('\n');
    String childIndent = top ? indent : indent + (last ? "   " : "│  ");
    for (int i = 0; i < r.children.size(); i++) {
      render(r.children.get(i), childIndent, i == r.children.size() - 1, sb, false);
    }
  }
}
