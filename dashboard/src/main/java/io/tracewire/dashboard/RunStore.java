package io.tracewire.dashboard;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.jsonl.JsonlCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's in-memory index of runs and events.
 *
 * <p>Runs are grouped by root run (the first of {@code parent_ids}, or the run itself) into
 * {@link RunTree}s. Each tree owns an append-only {@link EventLog}; an event's {@code data} is
 * kept as JSON and its run's fields once per run ({@link StoredRun#header}), both encoded by the
 * exporters' JSONL codec, bounded in text length and nesting, so an event read back is its JSONL
 * line. When a tree and all its runs have finished, its log is deflated.
 *
 * <p>Retention: after each batch the oldest root runs (by arrival) are evicted, whole trees at a
 * time, until the number of roots, stored events and estimated bytes are within the limits.
 *
 * <p>Thread-safety: every method is {@code synchronized}; the ingest thread writes in batches,
 * HTTP threads read pages. Queries return finished JSON bytes so no store object escapes the lock.
 */
final class RunStore {
  /** How deep event values are kept; deeper containers are replaced by a marker. */
  static final int MAX_DEPTH = 48;

  private final JsonlCodec.LineParts json;
  private final int maxRoots;
  private final long maxEvents;
  private final long maxBytes;

  private final HashMap<String, StoredRun> runs = new HashMap<>();
  private final ArrayDeque<RunTree> roots = new ArrayDeque<>();
  private final StringTable eventNames = new StringTable();
  private long order;
  private long events;
  private long bytes;
  private long evictedRoots;
  private long evictedEvents;
  private RunTree inflatedRoot;
  private byte[] inflated;

  /** A store encoding with {@code json} (see {@link JsonlCodec#lineParts}). */
  RunStore(JsonlCodec.LineParts json, int maxRoots, long maxEvents, long maxBytes) {
    this.json = json;
    this.maxRoots = maxRoots;
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
  }

  /** What one batch changed: the roots touched (in first-touch order) and where each event was stored. */
  record Applied(List<RunTree> touched, List<RunTree> eventRoots, int[] eventIndexes) {}

  // ---------------------------------------------------------------- ingestion

  synchronized Applied apply(List<StreamEvent> batch) {
    ArrayList<RunTree> touched = new ArrayList<>();
    List<RunTree> eventRoots = new ArrayList<>(batch.size());
    int[] indexes = new int[batch.size()];
    for (StreamEvent e : batch) {
      RunTree root = add(e).tree;
      if (root.touchMark != order) {
        root.touchMark = order;
        touched.add(root);
      }
      indexes[eventRoots.size()] = root.log.n - 1;
      eventRoots.add(root);
    }
    order++;
    evict();
    touched.removeIf(r -> r.evicted);
    return new Applied(touched, eventRoots, indexes);
  }

  private StoredRun add(StreamEvent e) {
    String ev = e.event();
    boolean custom = StreamEvent.CUSTOM_EVENT.equals(ev);
    StoredRun run = runs.get(e.runId());
    if (run == null) {
      run = newRun(e, custom);
    }
    RunTree root = run.tree;
    long before = root.cost();
    byte[] data = json.data(e.data());
    int code = eventNames.code(ev);
    int nameRef = -1;
    if (custom || !e.name().equals(run.name)) {
      nameRef = root.nameRef(e.name());
    }
    if (root.log.packed != null) {
      root.log.unpack();
      if (inflatedRoot == root) {
        inflatedRoot = null;
        inflated = null;
      }
    }
    root.log.add(e.seq(), e.timestampNanos(), run.index, code, nameRef, data);
    run.events++;
    events++;
    if (!custom && run.record(e)) {
      header(run, e);
    }
    if (root.run.status != StoredRun.RUNNING && root.open == 0) {
      root.log.pack();
    }
    bytes += root.cost() - before;
    return run;
  }

  /** Sets the run's fields from {@code e}, final when {@code e} is the run's start. */
  private void header(StoredRun run, StreamEvent e) {
    run.setHeader(json.runFields(e), e.tags());
    run.tree.tags.addAll(e.tags());
    run.provisional = !e.event().endsWith("_start");
  }

  private StoredRun newRun(StreamEvent e, boolean custom) {
    List<String> parents = e.parentIds();
    RunTree root = null;
    StoredRun parent = null;
    if (!parents.isEmpty()) {
      StoredRun r = runs.get(parents.get(0));
      if (r == null) {
        r = createRoot(parents.get(0), "(unknown root)", "chain", null);
        r.tree.partial = true;
      }
      root = r.tree;
      StoredRun direct = runs.get(parents.get(parents.size() - 1));
      parent = direct != null && direct.tree == root ? direct : root.run;
    }
    String type = custom ? "chain" : StoredRun.typeOf(e.event());
    String name = custom ? "(unknown run)" : e.name();
    if (root == null) {
      StoredRun r = createRoot(e.runId(), name, type, e);
      if (!e.event().endsWith("_start")) {
        r.tree.partial = true;
      }
      return r;
    }
    long before = root.cost();
    StoredRun run = new StoredRun(e.runId(), root, parent, root.runs.size(), name, type);
    header(run, e);
    root.runs.add(run);
    if (parent.children == null) {
      parent.children = new ArrayList<>(2);
    }
    parent.children.add(run);
    root.open++;
    root.types.add(type);
    runs.put(run.id, run);
    adoptEarlyChildren(root, run, parents, parent);
    bytes += root.cost() - before;
    return run;
  }

  /**
   * Logs of several processes arrive in any order: a callee's run can come before its caller's
   * run (its direct parent), and then hangs under the root until that run arrives and takes it.
   */
  private static void adoptEarlyChildren(RunTree root, StoredRun run, List<String> parents, StoredRun placedUnder) {
    String direct = parents.get(parents.size() - 1);
    if (!placedUnder.id.equals(direct)) {
      if (root.awaiting == null) {
        root.awaiting = new HashMap<>();
      }
      root.awaiting.computeIfAbsent(direct, k -> new ArrayList<>(1)).add(run);
    }
    List<StoredRun> early = root.awaiting == null ? null : root.awaiting.remove(run.id);
    if (early != null) {
      for (StoredRun child : early) {
        child.parent.children.remove(child);
        child.parent = run;
        if (run.children == null) {
          run.children = new ArrayList<>(2);
        }
        run.children.add(child);
      }
    }
  }

  /** A new tree; {@code first} is its first event, or {@code null} for a placeholder root. */
  private StoredRun createRoot(String id, String name, String type, StreamEvent first) {
    RunTree root = new RunTree(order);
    StoredRun run = new StoredRun(id, root, null, 0, name, type);
    if (first != null) {
      header(run, first);
    } else {
      run.setHeader(json.runFields(
          new StreamEvent("on_chain_start", name, id, List.of(), List.of(), Map.of(), Map.of(), 0, 0)), List.of());
      run.provisional = true;
    }
    root.run = run;
    root.runs.add(run);
    root.open = 1;
    root.types.add(type);
    runs.put(id, run);
    roots.addLast(root);
    bytes += root.cost();
    return run;
  }

  private void evict() {
    while (roots.size() > 1 && (roots.size() > maxRoots || events > maxEvents || bytes > maxBytes)) {
      RunTree r = roots.pollFirst();
      r.evicted = true;
      for (StoredRun run : r.runs) {
        runs.remove(run.id, run);
      }
      events -= r.log.n;
      bytes -= r.cost();
      evictedRoots++;
      evictedEvents += r.log.n;
      if (inflatedRoot == r) {
        inflatedRoot = null;
        inflated = null;
      }
    }
  }

  // ---------------------------------------------------------------- queries

  synchronized long storedEvents() {
    return events;
  }

  synchronized int rootCount() {
    return roots.size();
  }

  synchronized long estimatedBytes() {
    return bytes;
  }

  synchronized long evictedRoots() {
    return evictedRoots;
  }

  synchronized int runCount() {
    return runs.size();
  }

  /** Root runs, newest first, matching {@code q}; {@code {"items": [summary], "total", "offset", "limit"}}. */
  synchronized byte[] listRoots(RunQuery q, int offset, int limit) {
    return RunJson.write(g -> {
      g.writeStartObject();
      int total = 0;
      g.writeArrayFieldStart("items");
      for (Iterator<RunTree> it = roots.descendingIterator(); it.hasNext(); ) {
        RunTree r = it.next();
        if (!q.matches(r)) {
          continue;
        }
        if (total >= offset && total < offset + limit) {
          RunJson.rootSummary(g, r);
        }
        total++;
      }
      g.writeEndArray();
      g.writeNumberField("total", total);
      g.writeNumberField("offset", offset);
      g.writeNumberField("limit", limit);
      g.writeEndObject();
    });
  }

  /** The JSONL line of event {@code i} of {@code r}, or {@code null} if the root has been evicted. */
  synchronized byte[] eventJson(RunTree r, int i) {
    if (r.evicted || i >= r.log.n) {
      return null;
    }
    return line(r, i, buffer(r));
  }

  private byte[] line(RunTree r, int i, byte[] buf) {
    EventLog log = r.log;
    return json.line(eventNames.get(log.code[i]), r.eventName(i), log.seq[i], log.ts[i],
        r.runs.get(log.run[i]).header, log.data(i, buf));
  }

  /** One root's list row, as sent in live updates. */
  synchronized byte[] rootSummary(RunTree r) {
    return RunJson.write(g -> RunJson.rootSummary(g, r));
  }

  /** The tree of the root that {@code id} belongs to, or {@code null} if unknown. */
  synchronized byte[] detail(String id) {
    StoredRun target = runs.get(id);
    if (target == null) {
      return null;
    }
    RunTree r = target.tree;
    return RunJson.write(g -> {
      g.writeStartObject();
      g.writeFieldName("root");
      RunJson.rootSummary(g, r);
      g.writeStringField("focus", target.id);
      g.writeArrayFieldStart("runs");
      for (StoredRun run : r.runs) {
        RunJson.treeRow(g, run);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /**
   * Events of the tree that {@code id} belongs to, in arrival order, optionally only those of run
   * {@code only}; {@code offset} and {@code total} count the filtered list, which only grows.
   */
  synchronized byte[] events(String id, String only, int offset, int limit) {
    StoredRun target = runs.get(id);
    if (target == null) {
      return null;
    }
    RunTree r = target.tree;
    int runFilter = -1;
    if (only != null) {
      StoredRun o = runs.get(only);
      runFilter = o == null || o.tree != r ? Integer.MAX_VALUE : o.index;
    }
    int rf = runFilter;
    byte[] buf = buffer(r);
    EventLog log = r.log;
    return RunJson.write(g -> {
      g.writeStartObject();
      int total = 0;
      g.writeArrayFieldStart("items");
      for (int i = 0; i < log.n; i++) {
        if (rf >= 0 && log.run[i] != rf) {
          continue;
        }
        if (total >= offset && total < offset + limit) {
          g.writeStartObject();
          g.writeNumberField("i", total);
          g.writeNumberField("seq", log.seq[i]);
          g.writeStringField("event", eventNames.get(log.code[i]));
          g.writeStringField("name", r.eventName(i));
          g.writeStringField("run_id", r.runs.get(log.run[i]).id);
          RunJson.ms(g, "t_ms", log.ts[i]);
          g.writeStringField("raw", new String(line(r, i, buf), StandardCharsets.UTF_8));
          g.writeEndObject();
        }
        total++;
      }
      g.writeEndArray();
      g.writeNumberField("total", total);
      g.writeNumberField("offset", offset);
      g.writeEndObject();
    });
  }

  /**
   * The stream of one run: each chunk's text and time (the first {@code limit} chunks), with
   * timing statistics over all chunks.
   */
  synchronized byte[] tokens(String id, int limit) {
    StoredRun run = runs.get(id);
    if (run == null) {
      return null;
    }
    RunTree r = run.tree;
    byte[] buf = buffer(r);
    EventLog log = r.log;
    return RunJson.write(g -> {
      g.writeStartObject();
      g.writeStringField("run_id", run.id);
      RunJson.nameTypeStatusTimes(g, run);
      RunJson.duration(g, "ttfc_ms", run.start, run.firstChunk);
      RunJson.tokens(g, run.tokens());
      long[] gaps = new long[Math.max(0, run.chunks - 1)];
      int ng = 0;
      long prev = -1;
      int written = 0;
      g.writeArrayFieldStart("chunks");
      for (int i = 0; i < log.n; i++) {
        if (log.run[i] != run.index || !eventNames.get(log.code[i]).endsWith("_stream")) {
          continue;
        }
        if (written < limit) {
          g.writeStartObject();
          g.writeNumberField("seq", log.seq[i]);
          g.writeNumberField("t_ms", (log.ts[i] - run.start) / 1e6);
          g.writeStringField("text", Values.chunkText(log.data(i, buf)));
          g.writeEndObject();
          written++;
        }
        if (prev >= 0 && ng < gaps.length) {
          gaps[ng++] = log.ts[i] - prev;
        }
        prev = log.ts[i];
      }
      g.writeEndArray();
      g.writeNumberField("total_chunks", run.chunks);
      g.writeBooleanField("truncated", written < run.chunks);
      StoreTotals.gapStats(g, Arrays.copyOf(gaps, ng));
      long[] t = run.tokens();
      if (t != null && run.firstChunk >= 0 && run.lastChunk > run.firstChunk) {
        g.writeNumberField("tokens_per_second", t[1] / ((run.lastChunk - run.firstChunk) / 1e9));
      }
      if (run.firstChunk >= 0 && run.lastChunk > run.firstChunk) {
        g.writeNumberField("chunks_per_second", (run.chunks - 1) / ((run.lastChunk - run.firstChunk) / 1e9));
      }
      g.writeEndObject();
    });
  }

  /**
   * Totals over everything stored: counts, status, tokens, time to first chunk, gaps; and from
   * {@code stats} the queue's and the server's counters.
   */
  synchronized byte[] summary(Dashboard.Stats stats) {
    StoreTotals totals = StoreTotals.over(roots);
    return RunJson.write(g -> {
      g.writeStartObject();
      g.writeNumberField("roots", roots.size());
      g.writeNumberField("runs", runs.size());
      g.writeNumberField("events", events);
      g.writeNumberField("stored_bytes", bytes);
      g.writeNumberField("evicted_roots", evictedRoots);
      g.writeNumberField("evicted_events", evictedEvents);
      g.writeNumberField("ingested", stats.ingested());
      g.writeNumberField("dropped", stats.dropped());
      g.writeObjectFieldStart("connections");
      g.writeNumberField("refused", stats.refusedConnections());
      g.writeNumberField("timed_out", stats.timedOutRequests());
      g.writeNumberField("idle_closed", stats.idleConnectionsClosed());
      g.writeEndObject();
      totals.write(g);
      g.writeEndObject();
    });
  }

  /** The data buffer of {@code r}, inflated if the log is packed (one inflated log is cached). */
  private byte[] buffer(RunTree r) {
    EventLog log = r.log;
    if (log.packed == null) {
      return log.buf;
    }
    if (inflatedRoot != r) {
      inflated = log.inflate();
      inflatedRoot = r;
    }
    return inflated;
  }
}
