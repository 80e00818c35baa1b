package io.tracewire.dashboard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.core.event.StreamEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The dashboard's in-memory index of runs and events.
 *
 * <p>Runs are grouped by root run (the first of {@code parent_ids}, or the run itself). Each root
 * owns an append-only event log in compact columns: per event a sequence number, a timestamp,
 * the run index in the tree, an event-name code, and the offset of its {@code data} JSON in one
 * byte buffer; the run header (ids, tags, metadata) is kept once per run. When a root and all
 * its runs have finished, its data buffer is deflated. No object is kept per event.
 *
 * <p>Retention: after each batch the oldest root runs (by arrival) are evicted, whole trees at a
 * time, until the number of roots, stored events and estimated bytes are within the limits.
 *
 * <p>Thread-safety: every method is {@code synchronized}; the ingest thread writes in batches,
 * HTTP threads read pages. Queries return finished JSON bytes so no store object escapes the lock.
 */
final class RunStore {
  static final byte RUNNING = 0;
  static final byte OK = 1;
  static final byte ERROR = 2;
  static final byte CANCELLED = 3;
  static final String[] STATUS = {"running", "ok", "error", "cancelled"};

  private static final JsonFactory FACTORY = JsonFactory.builder().build();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Rough per-run and per-root overhead of the index objects, for the byte budget. */
  private static final int RUN_OVERHEAD = 240;
  private static final int EVENT_COLUMNS_BYTES = 36;

  private final EventJson json;
  private final int maxRoots;
  private final long maxEvents;
  private final long maxBytes;

  private final HashMap<String, Run> runs = new HashMap<>();
  private final ArrayDeque<Root> roots = new ArrayDeque<>();
  private final ArrayList<String> eventNames = new ArrayList<>();
  private final HashMap<String, Integer> eventCodes = new HashMap<>();
  private long order;
  private long events;
  private long bytes;
  private long evictedRoots;
  private long evictedEvents;
  private Root inflatedRoot;
  private byte[] inflated;

  RunStore(EventJson json, int maxRoots, long maxEvents, long maxBytes) {
    this.json = json;
    this.maxRoots = maxRoots;
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
  }

  /** Filters of the root-run list; {@code null} fields match everything. */
  record Query(String text, String tag, String type, String name, String status) {
    static final Query ALL = new Query(null, null, null, null, null);
  }

  /** What one batch changed: the roots touched (in first-touch order) and where each event was stored. */
  record Applied(List<Root> touched, List<Root> eventRoots, int[] eventIndexes) {}

  // ---------------------------------------------------------------- ingestion

  synchronized Applied apply(List<StreamEvent> batch) {
    ArrayList<Root> touched = new ArrayList<>();
    List<Root> eventRoots = new ArrayList<>(batch.size());
    int[] indexes = new int[batch.size()];
    for (StreamEvent e : batch) {
      Run run = add(e);
      Root root = run.root;
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

  private Run add(StreamEvent e) {
    String ev = e.event();
    boolean custom = StreamEvent.CUSTOM_EVENT.equals(ev);
    Run run = runs.get(e.runId());
    if (run == null) {
      run = newRun(e, custom);
    }
    Root root = run.root;
    long before = root.cost();
    byte[] data = json.value(e.data());
    int code = eventCode(ev);
    int nameRef = -1;
    if (custom || !e.name().equals(run.name)) {
      nameRef = root.string(e.name());
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
    if (!custom) {
      update(run, e, ev);
    }
    if (root.run.status != RUNNING && root.open == 0) {
      root.log.pack();
    }
    bytes += root.cost() - before;
    return run;
  }

  private Run newRun(StreamEvent e, boolean custom) {
    List<String> parents = e.parentIds();
    Root root = null;
    Run parent = null;
    if (!parents.isEmpty()) {
      Run r = runs.get(parents.get(0));
      if (r == null) {
        Run placeholder = createRoot(parents.get(0), "(unknown root)", "chain", List.of(), null);
        placeholder.root.partial = true;
        r = placeholder;
      }
      root = r.root;
      Run direct = runs.get(parents.get(parents.size() - 1));
      parent = direct != null && direct.root == root ? direct : root.run;
    }
    String type = custom ? "chain" : typeOf(e.event());
    if (root == null) {
      Run r = createRoot(e.runId(), custom ? "(unknown run)" : e.name(), type, e.tags(), e);
      if (!e.event().endsWith("_start")) {
        r.root.partial = true;
      }
      return r;
    }
    long before = root.cost();
    Run run = new Run(e.runId(), root, parent, root.runs.size(), custom ? "(unknown run)" : e.name(), type);
    run.setHeader(json.header(e), e.tags());
    run.provisional = custom || !e.event().endsWith("_start");
    root.runs.add(run);
    if (parent.children == null) {
      parent.children = new ArrayList<>(2);
    }
    parent.children.add(run);
    root.open++;
    root.tags.addAll(e.tags());
    root.types.add(type);
    runs.put(run.id, run);
    bytes += root.cost() - before;
    return run;
  }

  private Run createRoot(String id, String name, String type, List<String> tags, StreamEvent header) {
    Root root = new Root(order);
    Run run = new Run(id, root, null, 0, name, type);
    if (header != null) {
      run.setHeader(json.header(header), tags);
      run.provisional = !header.event().endsWith("_start");
    } else {
      run.setHeader(json.header(new StreamEvent("on_chain_start", name, id, List.of(), List.of(), Map.of(), Map.of(), 0, 0)),
          List.of());
      run.provisional = true;
    }
    root.run = run;
    root.runs.add(run);
    root.open = 1;
    root.tags.addAll(tags);
    root.types.add(type);
    runs.put(id, run);
    roots.addLast(root);
    bytes += root.cost();
    return run;
  }

  private void update(Run run, StreamEvent e, String ev) {
    long ts = e.timestampNanos();
    if (ev.endsWith("_start")) {
      if (run.start < 0) {
        run.start = ts;
      }
      run.name = e.name();
      run.type = typeOf(ev);
      run.root.types.add(run.type);
      if (run.provisional) {
        run.setHeader(json.header(e), e.tags());
        run.root.tags.addAll(e.tags());
        run.provisional = false;
      }
    } else if (ev.endsWith("_stream")) {
      if (run.firstChunk < 0) {
        run.firstChunk = ts;
      } else {
        run.maxGap = Math.max(run.maxGap, ts - run.lastChunk);
      }
      run.lastChunk = ts;
      run.chunks++;
      long[] u = Values.usage(e.dataValue("chunk"));
      if (u != null) {
        run.chunkUsage = run.chunkUsage == null ? u : new long[] {
            run.chunkUsage[0] + u[0], run.chunkUsage[1] + u[1], run.chunkUsage[2] + u[2]};
      }
    } else if (ev.endsWith("_end")) {
      finish(run, OK, ts);
      long[] u = Values.usage(e.dataValue("output"));
      if (u != null) {
        run.usage = u;
      }
    } else if (ev.endsWith("_error")) {
      finish(run, ERROR, ts);
      run.error = Values.error(e.dataValue("error"));
      long[] u = Values.usage(e.dataValue("output"));
      if (u != null) {
        run.usage = u;
      }
    } else if (ev.endsWith("_cancel")) {
      finish(run, CANCELLED, ts);
    }
  }

  private static void finish(Run run, byte status, long ts) {
    if (run.status == RUNNING) {
      run.root.open--;
    }
    run.status = status;
    run.end = ts;
    if (run.start < 0) {
      run.start = ts;
    }
  }

  private void evict() {
    while (roots.size() > 1 && (roots.size() > maxRoots || events > maxEvents || bytes > maxBytes)) {
      Root r = roots.pollFirst();
      r.evicted = true;
      for (Run run : r.runs) {
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

  private int eventCode(String ev) {
    Integer c = eventCodes.get(ev);
    if (c == null) {
      c = eventNames.size();
      eventNames.add(ev);
      eventCodes.put(ev, c);
    }
    return c;
  }

  static String typeOf(String event) {
    int last = event.lastIndexOf('_');
    return event.startsWith("on_") && last > 3 ? event.substring(3, last) : "chain";
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

  /** Root runs, newest first, matching {@code q}; {@code {"total", "offset", "items": [summary]}}. */
  synchronized byte[] listRoots(Query q, int offset, int limit) {
    return write(g -> {
      g.writeStartObject();
      int total = 0;
      g.writeArrayFieldStart("items");
      for (Iterator<Root> it = roots.descendingIterator(); it.hasNext(); ) {
        Root r = it.next();
        if (!matches(r, q)) {
          continue;
        }
        if (total >= offset && total < offset + limit) {
          rootSummary(g, r);
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

  /** The JSON of event {@code i} of {@code r}, or {@code null} if the root has been evicted. */
  synchronized byte[] eventJson(Root r, int i) {
    if (r.evicted || i >= r.log.n) {
      return null;
    }
    byte[] buf = buffer(r);
    EventLog log = r.log;
    Run run = r.runs.get(log.run[i]);
    String name = log.name[i] < 0 ? run.name : r.strings.get(log.name[i]);
    return EventJson.assemble(eventNames.get(log.code[i]), name, run.header, log.data(i, buf), log.seq[i], log.ts[i]);
  }

  /** One root's list row, as sent in live updates. */
  synchronized byte[] rootSummary(Root r) {
    return write(g -> rootSummary(g, r));
  }

  /** The tree of the root that {@code id} belongs to, or {@code null} if unknown. */
  synchronized byte[] detail(String id) {
    Run target = runs.get(id);
    if (target == null) {
      return null;
    }
    Root r = target.root;
    return write(g -> {
      g.writeStartObject();
      g.writeFieldName("root");
      rootSummary(g, r);
      g.writeStringField("focus", target.id);
      g.writeArrayFieldStart("runs");
      for (Run run : r.runs) {
        g.writeStartObject();
        g.writeStringField("id", run.id);
        g.writeStringField("parent_id", run.parent == null ? null : run.parent.id);
        g.writeNumberField("depth", run.depth());
        g.writeStringField("name", run.name);
        g.writeStringField("type", run.type);
        g.writeStringField("status", STATUS[run.status]);
        ms(g, "start_ms", run.start);
        ms(g, "end_ms", run.end);
        duration(g, "duration_ms", run.start, run.end);
        usage(g, run.tokens());
        duration(g, "ttfc_ms", run.start, run.firstChunk);
        g.writeNumberField("chunks", run.chunks);
        if (run.chunks > 1) {
          g.writeNumberField("max_gap_ms", run.maxGap / 1e6);
        }
        g.writeNumberField("events", run.events);
        g.writeStringField("error", run.error);
        g.writeFieldName("header");
        g.writeRawValue("{" + new String(run.header, StandardCharsets.UTF_8) + "}");
        g.writeEndObject();
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
    Run target = runs.get(id);
    if (target == null) {
      return null;
    }
    Root r = target.root;
    int runFilter = -1;
    if (only != null) {
      Run o = runs.get(only);
      if (o == null || o.root != r) {
        runFilter = Integer.MAX_VALUE;
      } else {
        runFilter = o.index;
      }
    }
    int rf = runFilter;
    byte[] buf = buffer(r);
    EventLog log = r.log;
    return write(g -> {
      g.writeStartObject();
      int total = 0;
      g.writeArrayFieldStart("items");
      for (int i = 0; i < log.n; i++) {
        if (rf >= 0 && log.run[i] != rf) {
          continue;
        }
        if (total >= offset && total < offset + limit) {
          Run run = r.runs.get(log.run[i]);
          String ev = eventNames.get(log.code[i]);
          String name = log.name[i] < 0 ? run.name : r.strings.get(log.name[i]);
          byte[] data = log.data(i, buf);
          g.writeStartObject();
          g.writeNumberField("i", total);
          g.writeNumberField("seq", log.seq[i]);
          g.writeStringField("event", ev);
          g.writeStringField("name", name);
          g.writeStringField("run_id", run.id);
          ms(g, "t_ms", log.ts[i]);
          g.writeStringField("raw", new String(
              EventJson.assemble(ev, name, run.header, data, log.seq[i], log.ts[i]), StandardCharsets.UTF_8));
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
    Run run = runs.get(id);
    if (run == null) {
      return null;
    }
    Root r = run.root;
    byte[] buf = buffer(r);
    EventLog log = r.log;
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("run_id", run.id);
      g.writeStringField("name", run.name);
      g.writeStringField("type", run.type);
      g.writeStringField("status", STATUS[run.status]);
      ms(g, "start_ms", run.start);
      ms(g, "end_ms", run.end);
      duration(g, "ttfc_ms", run.start, run.firstChunk);
      usage(g, run.tokens());
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
          g.writeStringField("text", chunkText(log.data(i, buf)));
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
      gapStats(g, Arrays.copyOf(gaps, ng));
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

  /** Totals over everything stored: counts, status, tokens, time to first chunk, gaps. */
  synchronized byte[] summary(long ingested, long dropped) {
    return write(g -> {
      int[] status = new int[4];
      long[] tokens = new long[3];
      long chunks = 0;
      long maxGap = 0;
      long gapSum = 0;
      long gapCount = 0;
      ArrayList<Long> ttfc = new ArrayList<>();
      int models = 0;
      for (Root r : roots) {
        status[r.run.status]++;
        for (Run run : r.runs) {
          long[] t = run.tokens();
          if (t != null) {
            tokens[0] += t[0];
            tokens[1] += t[1];
            tokens[2] += t[2];
          }
          if (run.isModel()) {
            models++;
          }
          if (run.firstChunk >= 0 && run.start >= 0) {
            ttfc.add(run.firstChunk - run.start);
            chunks += run.chunks;
            if (run.chunks > 1) {
              gapSum += run.lastChunk - run.firstChunk;
              gapCount += run.chunks - 1;
              maxGap = Math.max(maxGap, run.maxGap);
            }
          }
        }
      }
      g.writeStartObject();
      g.writeNumberField("roots", roots.size());
      g.writeNumberField("runs", runs.size());
      g.writeNumberField("events", events);
      g.writeNumberField("stored_bytes", bytes);
      g.writeNumberField("evicted_roots", evictedRoots);
      g.writeNumberField("evicted_events", evictedEvents);
      g.writeNumberField("ingested", ingested);
      g.writeNumberField("dropped", dropped);
      g.writeObjectFieldStart("status");
      for (int i = 0; i < 4; i++) {
        g.writeNumberField(STATUS[i], status[i]);
      }
      g.writeEndObject();
      g.writeObjectFieldStart("tokens");
      g.writeNumberField("input", tokens[0]);
      g.writeNumberField("output", tokens[1]);
      g.writeNumberField("total", tokens[2]);
      g.writeEndObject();
      g.writeNumberField("model_runs", models);
      g.writeNumberField("chunks", chunks);
      long[] t = ttfc.stream().mapToLong(Long::longValue).sorted().toArray();
      g.writeObjectFieldStart("ttfc_ms");
      g.writeNumberField("count", t.length);
      if (t.length > 0) {
        g.writeNumberField("p50", t[(t.length - 1) / 2] / 1e6);
        g.writeNumberField("p95", t[(int) Math.ceil(t.length * 0.95) - 1] / 1e6);
        g.writeNumberField("max", t[t.length - 1] / 1e6);
      }
      g.writeEndObject();
      g.writeObjectFieldStart("gap_ms");
      g.writeNumberField("count", gapCount);
      if (gapCount > 0) {
        g.writeNumberField("mean", gapSum / (double) gapCount / 1e6);
        g.writeNumberField("max", maxGap / 1e6);
      }
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  // ---------------------------------------------------------------- helpers

  private boolean matches(Root r, Query q) {
    Run run = r.run;
    if (q.status != null && !STATUS[run.status].equals(q.status)) {
      return false;
    }
    if (q.name != null && !run.name.toLowerCase(Locale.ROOT).contains(q.name.toLowerCase(Locale.ROOT))) {
      return false;
    }
    if (q.type != null && !r.types.contains(q.type)) {
      return false;
    }
    if (q.tag != null && !r.tags.contains(q.tag)) {
      return false;
    }
    if (q.text != null) {
      String t = q.text.toLowerCase(Locale.ROOT);
      if (run.id.startsWith(t)) {
        return true;
      }
      for (Run x : r.runs) {
        if (x.name.toLowerCase(Locale.ROOT).contains(t)) {
          return true;
        }
      }
      for (String tag : r.tags) {
        if (tag.toLowerCase(Locale.ROOT).contains(t)) {
          return true;
        }
      }
      return false;
    }
    return true;
  }

  private void rootSummary(JsonGenerator g, Root r) throws IOException {
    Run run = r.run;
    long[] tokens = null;
    long firstChunk = -1;
    int errors = 0;
    String error = null;
    long chunks = 0;
    for (Run x : r.runs) {
      long[] t = x.tokens();
      if (t != null) {
        tokens = tokens == null ? t.clone() : new long[] {tokens[0] + t[0], tokens[1] + t[1], tokens[2] + t[2]};
      }
      if (x.firstChunk >= 0 && (firstChunk < 0 || x.firstChunk < firstChunk)) {
        firstChunk = x.firstChunk;
      }
      chunks += x.chunks;
      if (x.status == ERROR) {
        errors++;
        if (error == null) {
          error = x.name + ": " + x.error;
        }
      }
    }
    g.writeStartObject();
    g.writeStringField("id", run.id);
    g.writeStringField("name", run.name);
    g.writeStringField("type", run.type);
    g.writeStringField("status", STATUS[run.status]);
    ms(g, "start_ms", run.start);
    ms(g, "end_ms", run.end);
    duration(g, "duration_ms", run.start, run.end);
    usage(g, tokens);
    duration(g, "ttfc_ms", run.start, firstChunk);
    g.writeNumberField("chunks", chunks);
    g.writeNumberField("errors", errors);
    g.writeStringField("error", error);
    g.writeNumberField("runs", r.runs.size());
    g.writeNumberField("events", r.log.n);
    g.writeBooleanField("partial", r.partial);
    g.writeArrayFieldStart("tags");
    for (String t : r.run.tags) {
      g.writeString(t);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void gapStats(JsonGenerator g, long[] gaps) throws IOException {
    Arrays.sort(gaps);
    g.writeObjectFieldStart("gaps_ms");
    g.writeNumberField("count", gaps.length);
    if (gaps.length > 0) {
      long sum = 0;
      for (long x : gaps) {
        sum += x;
      }
      g.writeNumberField("mean", sum / (double) gaps.length / 1e6);
      g.writeNumberField("p50", gaps[(gaps.length - 1) / 2] / 1e6);
      g.writeNumberField("p95", gaps[(int) Math.ceil(gaps.length * 0.95) - 1] / 1e6);
      g.writeNumberField("max", gaps[gaps.length - 1] / 1e6);
    }
    g.writeEndObject();
  }

  private static void usage(JsonGenerator g, long[] t) throws IOException {
    if (t == null) {
      g.writeNullField("tokens");
      return;
    }
    g.writeObjectFieldStart("tokens");
    g.writeNumberField("input", t[0]);
    g.writeNumberField("output", t[1]);
    g.writeNumberField("total", t[2]);
    g.writeEndObject();
  }

  private static void ms(JsonGenerator g, String field, long nanos) throws IOException {
    if (nanos < 0) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, nanos / 1e6);
    }
  }

  private static void duration(JsonGenerator g, String field, long from, long to) throws IOException {
    if (from < 0 || to < 0) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, (to - from) / 1e6);
    }
  }

  private static String chunkText(byte[] data) {
    try {
      JsonNode n = MAPPER.readTree(data);
      JsonNode c = n.get("chunk");
      if (c == null) {
        return "";
      }
      if (c.isTextual()) {
        return c.asText();
      }
      Object content = c.has("content") ? MAPPER.treeToValue(c.get("content"), Object.class)
          : c.has("text") ? c.get("text").asText() : null;
      return Values.contentText(content);
    } catch (IOException e) {
      return "";
    }
  }

  /** The data buffer of {@code r}, inflated if the log is packed (one inflated log is cached). */
  private byte[] buffer(Root r) {
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

  private interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] write(Writer w) {
    ByteArrayBuilder out = new ByteArrayBuilder(4096);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      w.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  // ---------------------------------------------------------------- model

  /** One run of a tree. */
  static final class Run {
    final String id;
    final Root root;
    final Run parent;
    final int index;
    String name;
    String type;
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
    ArrayList<Run> children;
    List<String> tags = List.of();
    boolean provisional;

    void setHeader(byte[] h, List<String> t) {
      root.runBytes += h.length - (header == null ? -RUN_OVERHEAD : header.length);
      header = h;
      tags = t;
    }

    Run(String id, Root root, Run parent, int index, String name, String type) {
      this.id = id;
      this.root = root;
      this.parent = parent;
      this.index = index;
      this.name = name;
      this.type = type;
    }

    long[] tokens() {
      return usage != null ? usage : chunkUsage;
    }

    boolean isModel() {
      return "chat_model".equals(type) || "llm".equals(type);
    }

    int depth() {
      int d = 0;
      for (Run p = parent; p != null; p = p.parent) {
        d++;
      }
      return d;
    }

  }

  /** A root run with its tree and event log. */
  static final class Root {
    final long arrival;
    Run run;
    final ArrayList<Run> runs = new ArrayList<>(4);
    final EventLog log = new EventLog();
    final Set<String> tags = new HashSet<>(4);
    final Set<String> types = new HashSet<>(4);
    ArrayList<String> strings;
    Map<String, Integer> stringIndex;
    int open;
    boolean partial;
    boolean evicted;
    long touchMark = -1;

    Root(long arrival) {
      this.arrival = arrival;
    }

    int string(String s) {
      if (strings == null) {
        strings = new ArrayList<>();
        stringIndex = new HashMap<>();
      }
      Integer i = stringIndex.get(s);
      if (i == null) {
        i = strings.size();
        strings.add(s);
        stringIndex.put(s, i);
      }
      return i;
    }

    long runBytes;

    long cost() {
      return log.cost() + runBytes;
    }
  }

  /** Append-only event columns plus one data buffer; packed (deflated) when the tree is finished. */
  static final class EventLog {
    long[] seq = new long[8];
    long[] ts = new long[8];
    int[] run = new int[8];
    int[] code = new int[8];
    int[] name = new int[8];
    int[] off = new int[9];
    byte[] buf = new byte[512];
    int n;
    byte[] packed;
    int unpackedLength;

    void add(long s, long t, int r, int c, int nm, byte[] data) {
      if (n == seq.length) {
        int cap = n * 2;
        seq = Arrays.copyOf(seq, cap);
        ts = Arrays.copyOf(ts, cap);
        run = Arrays.copyOf(run, cap);
        code = Arrays.copyOf(code, cap);
        name = Arrays.copyOf(name, cap);
        off = Arrays.copyOf(off, cap + 1);
      }
      int len = off[n];
      if (len + data.length > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + data.length));
      }
      System.arraycopy(data, 0, buf, len, data.length);
      seq[n] = s;
      ts[n] = t;
      run[n] = r;
      code[n] = c;
      name[n] = nm;
      off[n + 1] = len + data.length;
      n++;
    }

    /** The data JSON of event {@code i}, from {@code from} (an inflated buffer) or the live buffer. */
    byte[] data(int i, byte[] from) {
      byte[] b = from != null ? from : buf;
      return Arrays.copyOfRange(b, off[i], off[i + 1]);
    }

    void pack() {
      if (packed != null || n == 0) {
        return;
      }
      int len = off[n];
      Deflater d = new Deflater(Deflater.BEST_SPEED);
      try {
        d.setInput(buf, 0, len);
        d.finish();
        byte[] out = new byte[Math.max(64, len / 2)];
        int total = 0;
        while (!d.finished()) {
          if (total == out.length) {
            out = Arrays.copyOf(out, out.length * 2);
          }
          total += d.deflate(out, total, out.length - total);
        }
        packed = Arrays.copyOf(out, total);
      } finally {
        d.end();
      }
      unpackedLength = len;
      buf = null;
      seq = Arrays.copyOf(seq, n);
      ts = Arrays.copyOf(ts, n);
      run = Arrays.copyOf(run, n);
      code = Arrays.copyOf(code, n);
      name = Arrays.copyOf(name, n);
      off = Arrays.copyOf(off, n + 1);
    }

    byte[] inflate() {
      Inflater inf = new Inflater();
      try {
        inf.setInput(packed);
        byte[] out = new byte[unpackedLength];
        int total = 0;
        while (total < unpackedLength && !inf.finished()) {
          total += inf.inflate(out, total, unpackedLength - total);
        }
        return out;
      } catch (DataFormatException e) {
        throw new IllegalStateException("corrupt packed event log", e);
      } finally {
        inf.end();
      }
    }

    void unpack() {
      byte[] b = inflate();
      packed = null;
      buf = b;
      if (seq.length == n) {
        int cap = Math.max(8, n * 2);
        seq = Arrays.copyOf(seq, cap);
        ts = Arrays.copyOf(ts, cap);
        run = Arrays.copyOf(run, cap);
        code = Arrays.copyOf(code, cap);
        name = Arrays.copyOf(name, cap);
        off = Arrays.copyOf(off, cap + 1);
      }
    }

    long cost() {
      long data = packed != null ? packed.length : buf.length;
      return data + (long) seq.length * EVENT_COLUMNS_BYTES + 64;
    }
  }
}
