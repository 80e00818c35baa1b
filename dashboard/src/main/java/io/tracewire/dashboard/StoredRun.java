package io.tracewire.dashboard;

import io.tracewire.core.event.StreamEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of a {@link RunTree}: its place in the tree, its run fields as JSON (kept once for all
 * its events), and what its events say about it: status, start and end, chunk timing (first,
 * last, largest gap) and token usage (from the end event's output, else summed over chunks).
 * Not thread-safe: the {@link RunStore} lock guards it.
 */
final class StoredRun {
  static final byte RUNNING = 0;
  static final byte OK = 1;
  static final byte ERROR = 2;
  static final byte CANCELLED = 3;
  static final String[] STATUS = {"running", "ok", "error", "cancelled"};

  /** Rough per-run overhead of the index objects, for the byte budget. */
  static final int OVERHEAD = 240;

  final String id;
  final RunTree tree;
  /** Final but for a run that arrived before its parent (see {@code RunStore.adoptEarlyChildren}). */
  StoredRun parent;
  final int index;
  String name;
  String type;
  /** The JSONL run fields ({@code run_id} to {@code metadata}) without braces. */
  byte[] header;
  long start = -1;
  long end = -1;
  byte status = RUNNING;
  String error;
  long firstChunk = -1;
  long lastChunk = -1;
  int chunks;
  long maxGap;
  long[] usage;
  long[] chunkUsage;
  int events;
  ArrayList<StoredRun> children;
  List<String> tags = List.of();
  /** Whether the header came from an event other than the run's start (to be replaced by it). */
  boolean provisional;

  StoredRun(String id, RunTree tree, StoredRun parent, int index, String name, String type) {
    this.id = id;
    this.tree = tree;
    this.parent = parent;
    this.index = index;
    this.name = name;
    this.type = type;
  }

  /** The run type of an event name: {@code on_chat_model_start} is {@code chat_model}. */
  static String typeOf(String event) {
    int last = event.lastIndexOf('_');
    return event.startsWith("on_") && last > 3 ? event.substring(3, last) : "chain";
  }

  void setHeader(byte[] h, List<String> t) {
    tree.runBytes += h.length - (header == null ? -OVERHEAD : header.length);
    header = h;
    tags = t;
  }

  /**
   * Takes in one lifecycle event of this run (not a custom event). Returns {@code true} for a
   * start event while the header is provisional: the caller then replaces the header.
   */
  boolean record(StreamEvent e) {
    String ev = e.event();
    long ts = e.timestampNanos();
    if (ev.endsWith("_start")) {
      if (start < 0) {
        start = ts;
      }
      name = e.name();
      type = typeOf(ev);
      tree.types.add(type);
      return provisional;
    } else if (ev.endsWith("_stream")) {
      if (firstChunk < 0) {
        firstChunk = ts;
      } else {
        maxGap = Math.max(maxGap, ts - lastChunk);
      }
      lastChunk = ts;
      chunks++;
      long[] u = Values.usage(e.dataValue("chunk"));
      if (u != null) {
        chunkUsage = chunkUsage == null ? u : Values.sum(chunkUsage, u);
      }
    } else if (ev.endsWith("_end")) {
      finish(OK, ts);
      outputUsage(e);
    } else if (ev.endsWith("_error")) {
      finish(ERROR, ts);
      error = Values.error(e.dataValue("error"));
      outputUsage(e);
    } else if (ev.endsWith("_cancel")) {
      finish(CANCELLED, ts);
    }
    return false;
  }

  private void outputUsage(StreamEvent e) {
    long[] u = Values.usage(e.dataValue("output"));
    if (u != null) {
      usage = u;
    }
  }

  private void finish(byte s, long ts) {
    if (status == RUNNING) {
      tree.open--;
    }
    status = s;
    end = ts;
    if (start < 0) {
      start = ts;
    }
  }

  /** Input, output and total tokens, or {@code null} when no event reported usage. */
  long[] tokens() {
    return usage != null ? usage : chunkUsage;
  }

  boolean isModel() {
    return "chat_model".equals(type) || "llm".equals(type);
  }

  int depth() {
    int d = 0;
    for (StoredRun p = parent; p != null; p = p.parent) {
      d++;
    }
    return d;
  }
}
