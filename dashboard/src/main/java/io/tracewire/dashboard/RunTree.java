package io.tracewire.dashboard;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A root run with its tree of runs (in arrival order; a run's index is its position) and the
 * tree's {@link EventLog}. Keeps what the root list filters on (every tag and run type in the
 * tree), the event names that differ from their run's name (interned once per tree), how many
 * runs are still open, and whether the tree is partial (events of it arrived before its root's
 * start). Not thread-safe: the {@link RunStore} lock guards it.
 */
final class RunTree {
  final long arrival;
  StoredRun run;
  final ArrayList<StoredRun> runs = new ArrayList<>(4);
  final EventLog log = new EventLog();
  final Set<String> tags = new HashSet<>(4);
  final Set<String> types = new HashSet<>(4);
  /** Event names that differ from their run's, created on first use. */
  private StringTable names;
  int open;
  boolean partial;
  boolean evicted;
  /** Runs placed under the root while their direct parent has not arrived, by that parent's id; usually null. */
  Map<String, List<StoredRun>> awaiting;
  long touchMark = -1;
  long runBytes;

  RunTree(long arrival) {
    this.arrival = arrival;
  }

  /** The reference of an event name that differs from its run's name. */
  int nameRef(String name) {
    if (names == null) {
      names = new StringTable();
    }
    return names.code(name);
  }

  /** The name of event {@code i}: its own, or its run's when it has none. */
  String eventName(int i) {
    int ref = log.name[i];
    return ref < 0 ? runs.get(log.run[i]).name : names.get(ref);
  }

  /** Estimated bytes held: the log and the runs. */
  long cost() {
    return log.cost() + runBytes;
  }

  /** What the root list shows of the whole tree: tokens, first chunk, chunks and errors. */
  record Totals(long[] tokens, long firstChunk, long chunks, int errors, String firstError) {}

  Totals totals() {
    long[] tokens = null;
    long firstChunk = -1;
    int errors = 0;
    String error = null;
    long chunks = 0;
    for (StoredRun x : runs) {
      long[] t = x.tokens();
      if (t != null) {
        tokens = tokens == null ? t.clone() : Values.sum(tokens, t);
      }
      if (x.firstChunk >= 0 && (firstChunk < 0 || x.firstChunk < firstChunk)) {
        firstChunk = x.firstChunk;
      }
      chunks += x.chunks;
      if (x.status == StoredRun.ERROR) {
        errors++;
        if (error == null) {
          error = x.name + ": " + x.error;
        }
      }
    }
    return new Totals(tokens, firstChunk, chunks, errors, error);
  }
}
