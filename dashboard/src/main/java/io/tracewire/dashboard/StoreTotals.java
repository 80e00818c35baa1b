package io.tracewire.dashboard;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Arrays;

/**
 * Usage and timing aggregated over stored trees: root statuses, tokens, model runs, chunks, the
 * model runs' time to first chunk, each from its own start ({@code model_ttfc_ms}: count, p50,
 * p95, max) and gaps between chunks (count, mean, max); and the gap
 * statistics of one run's stream. Percentiles are nearest-rank over the sorted values. Built and
 * written under the {@link RunStore} lock; not thread-safe.
 */
final class StoreTotals {
  private final int[] status = new int[StoredRun.STATUS.length];
  private final long[] tokens = new long[3];
  private long chunks;
  private long maxGap;
  private long gapSum;
  private long gapCount;
  private int models;
  private long[] ttfc = new long[16];
  private int ttfcCount;

  private StoreTotals() {}

  static StoreTotals over(Iterable<RunTree> trees) {
    StoreTotals t = new StoreTotals();
    for (RunTree r : trees) {
      t.status[r.run.status]++;
      for (StoredRun run : r.runs) {
        t.add(run);
      }
    }
    return t;
  }

  private void add(StoredRun run) {
    long[] t = run.tokens();
    if (t != null) {
      for (int i = 0; i < 3; i++) {
        tokens[i] += t[i];
      }
    }
    if (run.isModel()) {
      models++;
    }
    if (run.firstChunk >= 0 && run.start >= 0) {
      if (ttfcCount == ttfc.length) {
        ttfc = Arrays.copyOf(ttfc, ttfcCount * 2);
      }
      ttfc[ttfcCount++] = run.firstChunk - run.start;
      chunks += run.chunks;
      if (run.chunks > 1) {
        gapSum += run.lastChunk - run.firstChunk;
        gapCount += run.chunks - 1;
        maxGap = Math.max(maxGap, run.maxGap);
      }
    }
  }

  /** The fields {@code status} to {@code gap_ms}, inside an open object. */
  void write(JsonGenerator g) throws IOException {
    g.writeObjectFieldStart("status");
    for (int i = 0; i < status.length; i++) {
      g.writeNumberField(StoredRun.STATUS[i], status[i]);
    }
    g.writeEndObject();
    RunJson.tokens(g, tokens);
    g.writeNumberField("model_runs", models);
    g.writeNumberField("chunks", chunks);
    long[] t = Arrays.copyOf(ttfc, ttfcCount);
    Arrays.sort(t);
    g.writeObjectFieldStart("model_ttfc_ms");
    g.writeNumberField("count", t.length);
    if (t.length > 0) {
      g.writeNumberField("p50", p50(t) / 1e6);
      g.writeNumberField("p95", p95(t) / 1e6);
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
  }

  /** {@code "gaps_ms": {count, mean, p50, p95, max}} of one run's gaps (nanoseconds; sorted here). */
  static void gapStats(JsonGenerator g, long[] gaps) throws IOException {
    Arrays.sort(gaps);
    g.writeObjectFieldStart("gaps_ms");
    g.writeNumberField("count", gaps.length);
    if (gaps.length > 0) {
      long sum = 0;
      for (long x : gaps) {
        sum += x;
      }
      g.writeNumberField("mean", sum / (double) gaps.length / 1e6);
      g.writeNumberField("p50", p50(gaps) / 1e6);
      g.writeNumberField("p95", p95(gaps) / 1e6);
      g.writeNumberField("max", gaps[gaps.length - 1] / 1e6);
    }
    g.writeEndObject();
  }

  private static long p50(long[] sorted) {
    return sorted[(sorted.length - 1) / 2];
  }

  private static long p95(long[] sorted) {
    return sorted[(int) Math.ceil(sorted.length * 0.95) - 1];
  }
}
