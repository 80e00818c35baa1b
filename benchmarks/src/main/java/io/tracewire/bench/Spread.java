package io.tracewire.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The spread of {@code tracewire bench} over many fresh JVMs ({@code scripts/bench-spread.sh}):
 * per workload and build, the minimum, median and maximum events/s over the JVMs, the worst JVM
 * against the median, a text histogram and, given one LangChain run, the ratios to it.
 *
 * <p>Input: per build (a label) the JSON outputs of one {@code tracewire bench --json} per JVM
 * (or of {@code Harness --json}, or the {@code --vs-langchain} JSON, whose {@code tracewire} list
 * is read); only the last line of a file that starts with <code>{</code> is parsed, so JVM
 * diagnostics printed on stdout before it (for example {@code -XX:+PrintCompilation}) do no harm.
 * The LangChain run is the JSON of {@code benchmarks/python/run_langchain.sh --json}.
 *
 * <p>Nothing here judges the figures. Threading: instances are immutable; the methods are pure.
 * Errors: a file without a bench JSON document raises {@link IllegalArgumentException} naming it.
 */
public final class Spread {
  /** Histogram bins per workload unless told otherwise. */
  public static final int DEFAULT_BINS = 10;

  /**
   * One build's figures for one workload.
   *
   * @param label the build's label
   * @param eventsPerS events/s of each JVM, in file order
   * @param min the worst JVM
   * @param median the median JVM (the mean of the middle two for an even count)
   * @param max the best JVM
   * @param histogram JVMs per bin, over the workload's common bins (see {@link Workload#binEdges})
   * @param langChainMedianRatio median over LangChain's events/s, NaN without a LangChain run
   * @param langChainWorstRatio min over LangChain's events/s, NaN without a LangChain run
   */
  public record Side(String label, List<Double> eventsPerS, double min, double median, double max, List<Integer> histogram,
      double langChainMedianRatio, double langChainWorstRatio) {
    /** The worst JVM over the median: 1 means no spread; the issue's goal is at least 1/1.5. */
    public double worstOverMedian() {
      return min / median;
    }
  }

  /**
   * One workload across builds.
   *
   * @param name the workload's name (W1, W2, ...)
   * @param langChainEventsPerS LangChain's events/s, NaN without a LangChain run
   * @param binEdges the histogram's bin edges (bins + 1 values, from the lowest JVM to the highest of any build)
   * @param sides one entry per build that ran the workload, in the order the builds were given
   */
  public record Workload(String name, double langChainEventsPerS, List<Double> binEdges, List<Side> sides) {}

  private final List<Workload> workloads;
  private final Map<String, Integer> jvms;

  private Spread(List<Workload> workloads, Map<String, Integer> jvms) {
    this.workloads = List.copyOf(workloads);
    this.jvms = Map.copyOf(jvms);
  }

  /** The workloads, in the order the first build listed them. */
  public List<Workload> workloads() {
    return workloads;
  }

  /**
   * Builds the spread.
   *
   * @param runs per build label, its bench JSON documents (one per JVM), in the order to report the builds
   * @param langChain LangChain's JSON document, or {@code null}
   * @param bins histogram bins per workload (at least 1)
   */
  public static Spread of(Map<String, List<JsonNode>> runs, JsonNode langChain, int bins) {
    Objects.requireNonNull(runs, "runs");
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be >= 1, was " + bins);
    }
    Map<String, Map<String, List<Double>>> byWorkload = new LinkedHashMap<>();
    Map<String, Integer> jvms = new LinkedHashMap<>();
    runs.forEach((label, docs) -> {
      jvms.put(label, docs.size());
      for (JsonNode doc : docs) {
        for (JsonNode w : workloadList(doc)) {
          byWorkload.computeIfAbsent(w.path("name").asText(), k -> new LinkedHashMap<>())
              .computeIfAbsent(label, k -> new ArrayList<>()).add(w.path("events_per_s").asDouble());
        }
      }
    });
    List<Workload> out = new ArrayList<>();
    byWorkload.forEach((name, perLabel) -> {
      double lc = langChainRate(langChain, name);
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (List<Double> v : perLabel.values()) {
        for (double d : v) {
          lo = Math.min(lo, d);
          hi = Math.max(hi, d);
        }
      }
      List<Double> edges = new ArrayList<>();
      for (int i = 0; i <= bins; i++) {
        edges.add(i == bins ? hi : lo + (hi - lo) * i / bins);
      }
      List<Side> sides = new ArrayList<>();
      for (Map.Entry<String, List<Double>> e : perLabel.entrySet()) {
        double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        double median = median(sorted);
        Integer[] counts = new Integer[bins];
        Arrays.fill(counts, 0);
        for (double d : v) {
          int bin = hi == lo ? 0 : (int) Math.min(bins - 1, Math.floor((d - lo) / (hi - lo) * bins));
          counts[bin]++;
        }
        sides.add(new Side(e.getKey(), List.copyOf(e.getValue()), sorted[0], median, sorted[sorted.length - 1],
            List.of(counts), median / lc, sorted[0] / lc));
      }
      out.add(new Workload(name, lc, edges, sides));
    });
    return new Spread(out, jvms);
  }

  /** Reads a bench JSON document from each {@code *.json} file of a directory, sorted by name. */
  public static List<JsonNode> readDirectory(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
    List<JsonNode> docs = new ArrayList<>();
    for (Path p : files) {
      docs.add(readDocument(p));
    }
    return docs;
  }

  /** Reads the last line of a file that starts with <code>{</code> as a bench JSON document. */
  public static JsonNode readDocument(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    String json = null;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("{")) {
        json = line;
      }
    }
    if (json == null) {
      throw new IllegalArgumentException(file + " has no JSON line (did that JVM fail? see its .log)");
    }
    JsonNode doc;
    try {
      doc = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " is not JSON: " + e.getMessage(), e);
    }
    if (!workloadList(doc).isArray()) {
      throw new IllegalArgumentException(file + " has no \"workloads\" (or \"tracewire\") list: not tracewire bench --json output");
    }
    return doc;
  }

  /** The spread as text: a table per workload, then its histogram per build. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    sb.append("JVMs per build: ");
    jvms.forEach((k, v) -> sb.append(k).append(' ').append(v).append("  "));
    sb.append("\n");
    int w = "build".length();
    for (String label : jvms.keySet()) {
      w = Math.max(w, label.length());
    }
    for (Workload wl : workloads) {
      boolean lc = !Double.isNaN(wl.langChainEventsPerS());
      sb.append('\n').append(wl.name());
      if (lc) {
        sb.append(" (LangChain ").append(rate(wl.langChainEventsPerS())).append(" events/s)");
      }
      sb.append('\n');
      String head = "  %-" + w + "s %4s %10s %10s %10s %13s";
      sb.append(String.format(Locale.ROOT, head, "build", "jvms", "min", "median", "max", "worst/median"));
      sb.append(lc ? String.format(Locale.ROOT, " %12s %12s%n", "x LC median", "x LC worst") : "\n");
      for (Side s : wl.sides()) {
        sb.append(String.format(Locale.ROOT, head, s.label(), s.eventsPerS().size(), rate(s.min()), rate(s.median()),
            rate(s.max()), String.format(Locale.ROOT, "%.2f", s.worstOverMedian())));
        sb.append(lc ? String.format(Locale.ROOT, " %11.0fx %11.0fx%n", s.langChainMedianRatio(), s.langChainWorstRatio()) : "\n");
      }
      for (Side s : wl.sides()) {
        sb.append("  histogram, ").append(s.label()).append(" (events/s: JVMs)\n");
        for (int i = 0; i < s.histogram().size(); i++) {
          int n = s.histogram().get(i);
          sb.append(String.format(Locale.ROOT, "    %9s - %-9s | %-" + Math.max(1, maxCount(wl)) + "s %d%n",
              rate(wl.binEdges().get(i)), rate(wl.binEdges().get(i + 1)), "#".repeat(n), n));
        }
      }
    }
    return sb.toString();
  }

  /** The spread as JSON: {@code {"jvms": {label: n}, "workloads": [{name, langchain_events_per_s, bin_edges, sides: [...]}]}}. */
  public ObjectNode json() {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = m.createObjectNode();
    ObjectNode j = root.putObject("jvms");
    jvms.forEach(j::put);
    ArrayNode list = root.putArray("workloads");
    for (Workload wl : workloads) {
      ObjectNode o = list.addObject();
      o.put("name", wl.name());
      putNumber(o, "langchain_events_per_s", wl.langChainEventsPerS());
      ArrayNode edges = o.putArray("bin_edges");
      wl.binEdges().forEach(edges::add);
      ArrayNode sides = o.putArray("sides");
      for (Side s : wl.sides()) {
        ObjectNode so = sides.addObject();
        so.put("label", s.label());
        so.put("jvms", s.eventsPerS().size());
        so.put("min", s.min());
        so.put("median", s.median());
        so.put("max", s.max());
        so.put("worst_over_median", s.worstOverMedian());
        putNumber(so, "x_langchain_median", s.langChainMedianRatio());
        putNumber(so, "x_langchain_worst", s.langChainWorstRatio());
        ArrayNode v = so.putArray("events_per_s");
        s.eventsPerS().forEach(v::add);
        ArrayNode h = so.putArray("histogram");
        s.histogram().forEach(h::add);
      }
    }
    return root;
  }

  /**
   * {@code Spread [--langchain FILE] [--json FILE] [--bins N] LABEL=DIR...}: prints the text spread
   * and, with {@code --json}, writes the JSON one. Exits with 2 on a usage error or unreadable input.
   */
  public static void main(String[] args) throws IOException {
    Path langChainFile = null;
    Path jsonOut = null;
    int bins = DEFAULT_BINS;
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      boolean hasValue = i + 1 < args.length;
      if (a.equals("--langchain") && hasValue) {
        langChainFile = Path.of(args[++i]);
      } else if (a.equals("--json") && hasValue) {
        jsonOut = Path.of(args[++i]);
      } else if (a.equals("--bins") && hasValue && args[i + 1].matches("[1-9][0-9]*")) {
        bins = Integer.parseInt(args[++i]);
      } else if (!a.startsWith("--") && a.indexOf('=') > 0) {
        dirs.put(a.substring(0, a.indexOf('=')), Path.of(a.substring(a.indexOf('=') + 1)));
      } else {
        usage("unknown or incomplete argument " + a);
        return;
      }
    }
    if (dirs.isEmpty()) {
      usage("no LABEL=DIR given");
      return;
    }
    Spread spread;
    try {
      Map<String, List<JsonNode>> runs = new LinkedHashMap<>();
      for (Map.Entry<String, Path> e : dirs.entrySet()) {
        List<JsonNode> docs = readDirectory(e.getValue());
        if (docs.isEmpty()) {
          throw new IllegalArgumentException(e.getValue() + " has no .json file");
        }
        runs.put(e.getKey(), docs);
      }
      JsonNode lc = langChainFile == null ? null : readDocument(langChainFile);
      spread = of(runs, lc, bins);
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("spread: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.out.print(spread.text());
    if (jsonOut != null) {
      ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      Files.writeString(jsonOut, m.writeValueAsString(spread.json()) + "\n", StandardCharsets.UTF_8);
    }
  }

  private static void usage(String problem) {
    System.err.println("spread: " + problem);
    System.err.println("usage: Spread [--langchain FILE] [--json FILE] [--bins N] LABEL=DIR...");
    System.exit(2);
  }

  private static JsonNode workloadList(JsonNode doc) {
    return doc.has("tracewire") ? doc.path("tracewire") : doc.path("workloads");
  }

  private static double langChainRate(JsonNode langChain, String name) {
    if (langChain == null) {
      return Double.NaN;
    }
    for (JsonNode w : workloadList(langChain)) {
      if (w.path("name").asText().equals(name)) {
        return w.path("events_per_s").asDouble(Double.NaN);
      }
    }
    return Double.NaN;
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static int maxCount(Workload wl) {
    int max = 0;
    for (Side s : wl.sides()) {
      for (int c : s.histogram()) {
        max = Math.max(max, c);
      }
    }
    return max;
  }

  static String rate(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Math.abs(v) >= 1e6) {
      return String.format(Locale.ROOT, "%.2f M", v / 1e6);
    }
    if (Math.abs(v) >= 1e3) {
      return String.format(Locale.ROOT, "%.1f k", v / 1e3);
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static void putNumber(ObjectNode o, String field, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      o.putNull(field);
    } else {
      o.put(field, v);
    }
  }
}
