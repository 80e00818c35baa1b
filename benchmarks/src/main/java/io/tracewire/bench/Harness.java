package io.tracewire.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Whole-workload timing: a warm-up, then {@code runs} timed runs of each workload and of its
 * baseline; reports the median and range, events/s, microseconds per event, the overhead per
 * event against the baseline, and for M1 the heap and RSS growth per event.
 */
public final class Harness {
  /** The result of one workload. */
  public record Result(String name, String description, long events, double wallMsMedian, double wallMsMin,
      double wallMsMax, double eventsPerS, double usPerEvent, double baselineMsMedian, double overheadUsPerEvent,
      Double peakHeapBytesPerEvent, Double peakRssBytesPerEvent, Double retainedHeapBytes,
      Double heapPerOpenRunBytes, Double heapPerOpenPlainStreamBytes) {
    Result withOpenRunHeap(double events, double plain) {
      return new Result(name, description, this.events, wallMsMedian, wallMsMin, wallMsMax, eventsPerS, usPerEvent,
          baselineMsMedian, overheadUsPerEvent, peakHeapBytesPerEvent, peakRssBytesPerEvent, retainedHeapBytes, events,
          plain);
    }
  }

  private final int runs;
  private final int warmups;
  private final long settleMaxNanos;

  /** A harness that warms each workload up for {@code warmups} rounds and at least a second. */
  public Harness(int runs, int warmups) {
    this(runs, warmups, 0);
  }

  /**
   * As {@link #Harness(int, int)}, and then keeps warming up until the JIT has compiled nothing
   * and the workload has stopped getting faster, for at most {@code settleMaxMillis} (0: no
   * settling). A fixed second is
   * not enough on a small machine: the C2 compiler thread works through a queue of the
   * workload's methods for several seconds, and timed runs inside that window measure
   * profiled C1 code at a third of the speed (docs/benchmarks.md, "Slow JIT mode").
   */
  public Harness(int runs, int warmups, long settleMaxMillis) {
    if (runs < 1) {
      throw new IllegalArgumentException("runs must be >= 1");
    }
    this.runs = runs;
    this.warmups = warmups;
    this.settleMaxNanos = settleMaxMillis * 1_000_000L;
  }

  public List<Result> run(List<Workloads.Workload> workloads) throws Exception {
    List<Result> out = new ArrayList<>();
    for (Workloads.Workload w : workloads) {
      Result r = w.name().equals("M1") ? memory(w) : time(w);
      if (w.openRunHeap() != null) {
        r = r.withOpenRunHeap(w.openRunHeap().events().measure(), w.openRunHeap().plain().measure());
      }
      out.add(r);
    }
    return out;
  }

  private Result time(Workloads.Workload w) throws Exception {
    // Warm up for at least `warmups` rounds and about a second, so the JIT has compiled the hot path.
    long start = System.nanoTime();
    long until = start + 1_000_000_000L;
    for (int i = 0; i < warmups || System.nanoTime() < until; i++) {
      w.events().run();
      w.baseline().run();
    }
    settle(w, start);
    double[] ev = new double[runs];
    double[] base = new double[runs];
    long events = 0;
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      events = w.events().run();
      ev[i] = (System.nanoTime() - t0) / 1e6;
      long t1 = System.nanoTime();
      w.baseline().run();
      base[i] = (System.nanoTime() - t1) / 1e6;
    }
    return result(w, events, ev, base, null, null, null);
  }

  /**
   * Runs the workload until it has stopped getting faster: no round of its events body beat the
   * best so far by more than 2% for 1.5 s, and the JIT's total compilation time has not moved
   * for the last 0.5 s; at most until {@link #settleMaxNanos} after {@code start}. (The
   * compilation time alone is not enough: it moves when a compilation ends, so one long C2
   * compilation looks quiet.)
   */
  private void settle(Workloads.Workload w, long start) throws Exception {
    if (settleMaxNanos <= 0) {
      return;
    }
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
    long compiled = timed ? jit.getTotalCompilationTime() : 0;
    long now = System.nanoTime();
    long quietSince = now;
    long improvedAt = now;
    long best = Long.MAX_VALUE;
    while (now - start < settleMaxNanos && (now - improvedAt < 1_500_000_000L || now - quietSince < 500_000_000L)) {
      long t0 = System.nanoTime();
      w.events().run();
      long t = System.nanoTime() - t0;
      w.baseline().run();
      now = System.nanoTime();
      if (t < best - best / 50) {
        improvedAt = now;
      }
      best = Math.min(best, t);
      long c = timed ? jit.getTotalCompilationTime() : compiled;
      if (c != compiled) {
        compiled = c;
        quietSince = now;
      }
    }
    if (Boolean.getBoolean("tracewire.bench.verbose")) {
      System.err.printf(Locale.ROOT, "%s: warmed up for %d ms%s%n", w.name(), (now - start) / 1_000_000,
          now - start >= settleMaxNanos ? " (the limit; still getting faster or compiling)" : "");
    }
  }

  private Result memory(Workloads.Workload w) throws Exception {
    Result timed = time(w);
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = mem.getHeapMemoryUsage().getUsed();
    resetPeakRss();
    long rssBefore = rssBytes();
    HeapSampler sampler = new HeapSampler(mem);
    sampler.start();
    long events = w.events().run();
    sampler.stop();
    long rssPeak = peakRssBytes();
    System.gc();
    long after = mem.getHeapMemoryUsage().getUsed();
    double heapPerEvent = Math.max(0, sampler.peak - before) / (double) events;
    Double rssPerEvent = rssPeak > 0 && rssBefore > 0 ? Math.max(0, rssPeak - rssBefore) / (double) events : null;
    return new Result(timed.name(), timed.description(), timed.events(), timed.wallMsMedian(), timed.wallMsMin(),
        timed.wallMsMax(), timed.eventsPerS(), timed.usPerEvent(), timed.baselineMsMedian(), timed.overheadUsPerEvent(),
        heapPerEvent, rssPerEvent, (double) (after - before), null, null);
  }

  private Result result(Workloads.Workload w, long events, double[] ev, double[] base, Double heap, Double rss,
      Double retained) {
    double med = median(ev);
    double baseMed = median(base);
    return new Result(w.name(), w.description(), events, med, Arrays.stream(ev).min().orElse(0),
        Arrays.stream(ev).max().orElse(0), events / (med / 1e3), med * 1e3 / events, baseMed,
        (med - baseMed) * 1e3 / events, heap, rss, retained, null, null);
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** Linux: writing 5 to clear_refs resets the peak RSS (VmHWM). */
  static void resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // not Linux, or not permitted: the peak then covers the whole process
    }
  }

  static long rssBytes() {
    return status("VmRSS:");
  }

  static long peakRssBytes() {
    return status("VmHWM:");
  }

  private static long status(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Samples used heap every millisecond; keeps the peak. */
  private static final class HeapSampler {
    private final MemoryMXBean mem;
    private volatile boolean running = true;
    private volatile long peak;
    private final Thread thread;

    HeapSampler(MemoryMXBean mem) {
      this.mem = mem;
      this.thread = new Thread(() -> {
        while (running) {
          peak = Math.max(peak, mem.getHeapMemoryUsage().getUsed());
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      thread.setDaemon(true);
    }

    void start() {
      peak = mem.getHeapMemoryUsage().getUsed();
      thread.start();
    }

    void stop() throws InterruptedException {
      peak = Math.max(peak, mem.getHeapMemoryUsage().getUsed());
      running = false;
      thread.join();
    }
  }

  /** The results as a fixed-width table. */
  public static String table(List<Result> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-4s %9s %12s %20s %12s %10s %12s  %s%n", "name", "events", "wall_ms_med",
        "wall_ms_min-max", "events/s", "us/event", "overhead_us", "workload"));
    for (Result r : results) {
      sb.append(String.format(Locale.ROOT, "%-4s %9d %12.2f %20s %12.0f %10.3f %12.3f  %s%n", r.name(), r.events(),
          r.wallMsMedian(), String.format(Locale.ROOT, "%.2f-%.2f", r.wallMsMin(), r.wallMsMax()), r.eventsPerS(),
          r.usPerEvent(), r.overheadUsPerEvent(), r.description()));
      if (r.peakHeapBytesPerEvent() != null) {
        sb.append(String.format(Locale.ROOT, "     peak heap %.1f B/event, peak RSS %s B/event, heap retained after run %.0f B%n",
            r.peakHeapBytesPerEvent(), r.peakRssBytesPerEvent() == null ? "n/a" : String.format(Locale.ROOT, "%.1f", r.peakRssBytesPerEvent()),
            r.retainedHeapBytes()));
      }
      if (r.heapPerOpenRunBytes() != null) {
        sb.append(String.format(Locale.ROOT, "     heap per open run %.0f B with events, %.0f B per open plain stream (all streams open at once, after GC)%n",
            r.heapPerOpenRunBytes(), r.heapPerOpenPlainStreamBytes()));
      }
    }
    return sb.toString();
  }

  /** The results as JSON: {"workloads": [...]} with the fields the CLI documents. */
  public static String json(List<Result> results) {
    StringBuilder sb = new StringBuilder("{\"side\": \"tracewire\", \"workloads\": [");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(String.format(Locale.ROOT,
          "{\"name\": \"%s\", \"events\": %d, \"wall_ms_median\": %.3f, \"wall_ms_min\": %.3f, \"wall_ms_max\": %.3f, "
              + "\"events_per_s\": %.1f, \"us_per_event\": %.4f, \"overhead_us_per_event\": %.4f",
          r.name(), r.events(), r.wallMsMedian(), r.wallMsMin(), r.wallMsMax(), r.eventsPerS(), r.usPerEvent(),
          r.overheadUsPerEvent()));
      if (r.peakHeapBytesPerEvent() != null) {
        sb.append(String.format(Locale.ROOT, ", \"peak_heap_bytes_per_event\": %.2f", r.peakHeapBytesPerEvent()));
        sb.append(", \"peak_rss_bytes_per_event\": ").append(r.peakRssBytesPerEvent() == null ? "null"
            : String.format(Locale.ROOT, "%.2f", r.peakRssBytesPerEvent()));
        sb.append(String.format(Locale.ROOT, ", \"retained_heap_bytes_after_run\": %.0f", r.retainedHeapBytes()));
      }
      if (r.heapPerOpenRunBytes() != null) {
        sb.append(String.format(Locale.ROOT, ", \"heap_bytes_per_open_run\": %.0f, \"heap_bytes_per_open_plain_stream\": %.0f",
            r.heapPerOpenRunBytes(), r.heapPerOpenPlainStreamBytes()));
      }
      sb.append('}');
    }
    return sb.append("]}").toString();
  }

  /** Runs the workloads: {@code --full} for the published sizes, {@code --json} for JSON output. */
  public static void main(String[] args) throws Exception {
    boolean full = Arrays.asList(args).contains("--full");
    boolean json = Arrays.asList(args).contains("--json");
    List<Result> r = new Harness(5, 2).run(Workloads.all(full));
    System.out.print(json ? json(r) + "\n" : table(r));
  }
}
