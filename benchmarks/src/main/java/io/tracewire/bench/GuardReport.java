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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.openjdk.jmh.util.ListStatistics;

/**
 * The regression guard's report ({@code scripts/bench-guard.sh}): compares the JMH results of a
 * base build and a new build, benchmark by benchmark, and prints the ratio new/base of each score
 * with its error.
 *
 * <p>Each side may be spread over several JMH JSON result files (the guard alternates the two
 * builds and may run several rounds): the measurement iterations of every fork of every file are
 * pooled per benchmark and parameter set, and the score and its error are recomputed from the pool
 * the way JMH computes them (mean, and the half-width of its 99.9% confidence interval). The
 * ratio's error combines both sides' relative errors in quadrature, a first-order estimate, not an
 * exact interval.
 *
 * <p>The verdict of a row ({@code faster}, {@code slower}, {@code within error}, {@code n/a}) comes
 * from Welch's t-test at the same confidence over the pooled iterations (JMH's own test), which
 * stays sound when one side has a wild fork that makes the first-order ratio error meaningless. It
 * is a label for a reader, never a failure: nothing here asserts on timings, and {@link #main} exits
 * with 0 whenever it could read its input. A benchmark present on one side only is listed with
 * the other side missing.
 *
 * <p>Threading: instances are immutable once built and may be shared; {@link #compare} and the
 * rendering methods are pure functions of their input. Errors: a result file that is not a JMH
 * JSON array raises {@link IllegalArgumentException} naming the file.
 */
public final class GuardReport {
  /** The confidence level JMH prints its score error at. */
  static final double CONFIDENCE = 0.999;

  private static final String PACKAGE = "io.tracewire.benchmarks.";
  /** Ratios computed within one build: numerator benchmark, denominator benchmark (same params). */
  private static final List<Pair> WITHIN_BUILD = List.of(
      new Pair("OtelBridgeBenchmark.bridgeRun", "OtelBridgeBenchmark.bareSpan"));

  private record Pair(String numerator, String denominator) {}

  /**
   * A pooled score.
   *
   * @param mean the mean over every measurement iteration
   * @param error the half-width of the 99.9% confidence interval of the mean; NaN with fewer than 3 iterations
   * @param iterations how many measurement iterations were pooled
   * @param forks how many forks they came from
   */
  public record Score(double mean, double error, int iterations, int forks) {}

  /**
   * One benchmark on both sides.
   *
   * @param name the short name: class and method, then the parameters ({@code k=v}, sorted)
   * @param mode the JMH mode ({@code avgt}, {@code thrpt}, {@code sample}, {@code ss})
   * @param unit the score unit
   * @param base the base build's score, or {@code null} when the base did not run it
   * @param candidate the new build's score, or {@code null} when the new build did not run it
   * @param ratio new/base of the scores (NaN when a side is missing)
   * @param ratioError the ratio's error (NaN when unknown)
   * @param verdict {@code faster}, {@code slower}, {@code within error} (Welch's t-test at 99.9%) or
   *     {@code n/a} (a side missing or with fewer than 2 iterations)
   */
  public record Row(String name, String mode, String unit, Score base, Score candidate, double ratio,
      double ratioError, String verdict) {}

  /**
   * A ratio of two benchmarks within each build (for example {@code bridgeRun / bareSpan}).
   *
   * @param name {@code numerator / denominator} and the shared parameters
   * @param base the ratio in the base build (NaN when missing)
   * @param baseError its error
   * @param candidate the ratio in the new build (NaN when missing)
   * @param candidateError its error
   */
  public record WithinBuild(String name, double base, double baseError, double candidate, double candidateError) {}

  private final List<Row> rows;
  private final List<WithinBuild> withinBuild;

  private GuardReport(List<Row> rows, List<WithinBuild> withinBuild) {
    this.rows = List.copyOf(rows);
    this.withinBuild = List.copyOf(withinBuild);
  }

  /** The rows, in the order the new build ran them, then rows only the base ran. */
  public List<Row> rows() {
    return rows;
  }

  /** The within-build ratios. */
  public List<WithinBuild> withinBuild() {
    return withinBuild;
  }

  /**
   * Compares two sides.
   *
   * @param base the base build's JMH JSON documents (each a JSON array of results)
   * @param candidate the new build's documents
   * @throws IllegalArgumentException if a document is not a JMH result array
   */
  public static GuardReport compare(List<JsonNode> base, List<JsonNode> candidate) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(candidate, "candidate");
    Map<String, Pool> b = pool(base);
    Map<String, Pool> c = pool(candidate);
    Map<String, Pool> order = new LinkedHashMap<>(c);
    b.forEach(order::putIfAbsent);
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Pool> e : order.entrySet()) {
      Pool pb = b.get(e.getKey());
      Pool pc = c.get(e.getKey());
      Score sb = pb == null ? null : pb.score();
      Score sc = pc == null ? null : pc.score();
      double ratio = sb == null || sc == null ? Double.NaN : sc.mean() / sb.mean();
      double ratioError = sb == null || sc == null ? Double.NaN : ratioError(ratio, sc, sb);
      rows.add(new Row(e.getKey(), e.getValue().mode, e.getValue().unit, sb, sc, ratio, ratioError,
          verdict(e.getValue().mode, pb, pc)));
    }
    List<WithinBuild> within = new ArrayList<>();
    for (Pair pair : WITHIN_BUILD) {
      for (Pool num : order.values()) {
        if (!num.shortName.equals(pair.numerator())) {
          continue;
        }
        String numKey = key(pair.numerator(), num.params);
        String denKey = key(pair.denominator(), num.params);
        String name = method(pair.numerator()) + " / " + method(pair.denominator()) + suffix(num.params);
        double[] rb = within(b.get(numKey), b.get(denKey));
        double[] rc = within(c.get(numKey), c.get(denKey));
        within.add(new WithinBuild(name, rb[0], rb[1], rc[0], rc[1]));
      }
    }
    return new GuardReport(rows, within);
  }

  /** Reads every {@code *.json} file of a directory (sorted by name) as a JMH result document. */
  public static List<JsonNode> readDirectory(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    ObjectMapper m = new ObjectMapper();
    List<JsonNode> docs = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
    for (Path p : files) {
      JsonNode doc;
      try {
        doc = m.readTree(Files.readString(p, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalArgumentException(p + " is not JSON: " + e.getMessage(), e);
      }
      if (doc == null || !doc.isArray()) {
        throw new IllegalArgumentException(p + " is not a JMH result array (run JMH with -rf json)");
      }
      docs.add(doc);
    }
    return docs;
  }

  /** The report as a fixed-width text table, then the within-build ratios. */
  public String text(String baseLabel, String newLabel) {
    StringBuilder sb = new StringBuilder();
    sb.append("base: ").append(baseLabel).append('\n').append("new:  ").append(newLabel).append('\n');
    sb.append("score ± error: mean and 99.9% half-width over all forks; ratio = new/base (lower is faster for avgt, higher for thrpt);\n");
    sb.append("verdict: Welch's t-test at 99.9% over the pooled iterations\n\n");
    int w = "benchmark".length();
    for (Row r : rows) {
      w = Math.max(w, r.name().length());
    }
    String fmt = "%-" + w + "s  %-5s  %-7s  %22s  %22s  %15s  %s%n";
    sb.append(String.format(Locale.ROOT, fmt, "benchmark", "mode", "unit", "base", "new", "new/base", "verdict"));
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, fmt, r.name(), r.mode(), r.unit(), score(r.base()), score(r.candidate()),
          plusMinus(r.ratio(), r.ratioError(), 3), r.verdict()));
    }
    if (!withinBuild.isEmpty()) {
      sb.append("\nwithin each build:\n");
      for (WithinBuild x : withinBuild) {
        sb.append(String.format(Locale.ROOT, "  %s: base %s, new %s%n", x.name(), plusMinus(x.base(), x.baseError(), 3),
            plusMinus(x.candidate(), x.candidateError(), 3)));
      }
    }
    return sb.toString();
  }

  /** The report as JSON: {@code {"base", "new", "meta", "benchmarks": [...], "within_build": [...]}}. */
  public ObjectNode json(String baseLabel, String newLabel, Map<String, String> meta) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = m.createObjectNode();
    root.put("base", baseLabel);
    root.put("new", newLabel);
    ObjectNode metaNode = root.putObject("meta");
    meta.forEach(metaNode::put);
    root.put("confidence", CONFIDENCE);
    ArrayNode list = root.putArray("benchmarks");
    for (Row r : rows) {
      ObjectNode o = list.addObject();
      o.put("name", r.name());
      o.put("mode", r.mode());
      o.put("unit", r.unit());
      putScore(o, "base", r.base());
      putScore(o, "new", r.candidate());
      putNumber(o, "ratio", r.ratio());
      putNumber(o, "ratio_error", r.ratioError());
      o.put("verdict", r.verdict());
    }
    ArrayNode within = root.putArray("within_build");
    for (WithinBuild x : withinBuild) {
      ObjectNode o = within.addObject();
      o.put("name", x.name());
      putNumber(o, "base", x.base());
      putNumber(o, "base_error", x.baseError());
      putNumber(o, "new", x.candidate());
      putNumber(o, "new_error", x.candidateError());
    }
    return root;
  }

  /**
   * {@code GuardReport [--base-label L] [--new-label L] [--json FILE] [--meta k=v]... BASE_DIR NEW_DIR}:
   * prints the text report and, with {@code --json}, writes the JSON one. Exits with 2 on a usage
   * error or unreadable input, 0 otherwise (whatever the ratios).
   */
  public static void main(String[] args) throws IOException {
    String baseLabel = "base";
    String newLabel = "new";
    Path jsonOut = null;
    Map<String, String> meta = new LinkedHashMap<>();
    List<Path> dirs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      boolean hasValue = i + 1 < args.length;
      if (a.equals("--base-label") && hasValue) {
        baseLabel = args[++i];
      } else if (a.equals("--new-label") && hasValue) {
        newLabel = args[++i];
      } else if (a.equals("--json") && hasValue) {
        jsonOut = Path.of(args[++i]);
      } else if (a.equals("--meta") && hasValue && args[i + 1].contains("=")) {
        String kv = args[++i];
        meta.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      } else if (a.startsWith("--")) {
        usage("unknown or incomplete option " + a);
        return;
      } else {
        dirs.add(Path.of(a));
      }
    }
    if (dirs.size() != 2) {
      usage("expected BASE_DIR and NEW_DIR, got " + dirs.size() + " directories");
      return;
    }
    GuardReport report;
    try {
      report = compare(readDirectory(dirs.get(0)), readDirectory(dirs.get(1)));
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("guard report: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.out.print(report.text(baseLabel, newLabel));
    if (jsonOut != null) {
      ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      Files.writeString(jsonOut, m.writeValueAsString(report.json(baseLabel, newLabel, meta)) + "\n", StandardCharsets.UTF_8);
    }
  }

  private static void usage(String problem) {
    System.err.println("guard report: " + problem);
    System.err.println("usage: GuardReport [--base-label L] [--new-label L] [--json FILE] [--meta k=v]... BASE_DIR NEW_DIR");
    System.exit(2);
  }

  private static Map<String, Pool> pool(List<JsonNode> docs) {
    Map<String, Pool> pools = new LinkedHashMap<>();
    for (JsonNode doc : docs) {
      if (doc == null || !doc.isArray()) {
        throw new IllegalArgumentException("not a JMH result array: " + doc);
      }
      for (JsonNode r : doc) {
        String benchmark = r.path("benchmark").asText("");
        JsonNode metric = r.path("primaryMetric");
        if (benchmark.isEmpty() || !metric.isObject()) {
          throw new IllegalArgumentException("not a JMH result (no benchmark or primaryMetric): " + r);
        }
        String shortName = benchmark.startsWith(PACKAGE) ? benchmark.substring(PACKAGE.length()) : benchmark;
        Map<String, String> params = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("params").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> p = it.next();
          params.put(p.getKey(), p.getValue().asText());
        }
        Pool pool = pools.computeIfAbsent(key(shortName, params),
            k -> new Pool(shortName, params, r.path("mode").asText("?"), metric.path("scoreUnit").asText("?")));
        JsonNode raw = metric.path("rawData");
        if (raw.isArray() && raw.size() > 0) {
          for (JsonNode fork : raw) {
            pool.forks++;
            for (JsonNode v : fork) {
              pool.values.addValue(v.asDouble());
            }
          }
        } else {
          // no raw data: keep JMH's own score as one iteration of one fork
          pool.forks++;
          pool.values.addValue(metric.path("score").asDouble());
        }
      }
    }
    return pools;
  }

  private static String key(String shortName, Map<String, String> params) {
    return shortName + suffix(params);
  }

  private static String method(String shortName) {
    return shortName.substring(shortName.indexOf('.') + 1);
  }

  private static String suffix(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    params.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
    return sb.toString();
  }

  private static double ratioError(double ratio, Score num, Score den) {
    double a = num.error() / num.mean();
    double b = den.error() / den.mean();
    return Math.abs(ratio) * Math.sqrt(a * a + b * b);
  }

  private static double[] within(Pool num, Pool den) {
    if (num == null || den == null) {
      return new double[] {Double.NaN, Double.NaN};
    }
    Score n = num.score();
    Score d = den.score();
    double r = n.mean() / d.mean();
    return new double[] {r, ratioError(r, n, d)};
  }

  /**
   * Welch's t-test at {@link #CONFIDENCE} over the pooled iterations (JMH's own
   * {@code Statistics.isDifferent}); with no variance on either side, any difference counts.
   */
  private static String verdict(String mode, Pool base, Pool candidate) {
    if (base == null || candidate == null || base.values.getN() < 2 || candidate.values.getN() < 2) {
      return "n/a";
    }
    double b = base.values.getMean();
    double c = candidate.values.getMean();
    boolean different = base.values.getVariance() == 0 && candidate.values.getVariance() == 0
        ? b != c
        : candidate.values.isDifferent(base.values, CONFIDENCE);
    if (!different) {
      return "within error";
    }
    boolean higherIsBetter = mode.equals("thrpt");
    return (c > b) == higherIsBetter ? "faster" : "slower";
  }

  private static String score(Score s) {
    if (s == null) {
      return "missing";
    }
    int decimals = Math.abs(s.mean()) >= 1000 ? 0 : Math.abs(s.mean()) >= 10 ? 1 : 3;
    return plusMinus(s.mean(), s.error(), decimals);
  }

  private static String plusMinus(double v, double e, int decimals) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    String f = "%." + decimals + "f";
    String value = String.format(Locale.ROOT, f, v);
    return Double.isNaN(e) ? value + " ± n/a" : value + " ± " + String.format(Locale.ROOT, f, e);
  }

  private static void putScore(ObjectNode o, String field, Score s) {
    if (s == null) {
      o.putNull(field);
      return;
    }
    ObjectNode n = o.putObject(field);
    putNumber(n, "score", s.mean());
    putNumber(n, "error", s.error());
    n.put("iterations", s.iterations());
    n.put("forks", s.forks());
  }

  private static void putNumber(ObjectNode o, String field, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      o.putNull(field);
    } else {
      o.put(field, v);
    }
  }

  /** The iterations of one benchmark and parameter set on one side. */
  private static final class Pool {
    final String shortName;
    final Map<String, String> params;
    final String mode;
    final String unit;
    final ListStatistics values = new ListStatistics();
    int forks;

    Pool(String shortName, Map<String, String> params, String mode, String unit) {
      this.shortName = shortName;
      this.params = params;
      this.mode = mode;
      this.unit = unit;
    }

    Score score() {
      return new Score(values.getMean(), values.getMeanErrorAt(CONFIDENCE), (int) values.getN(), forks);
    }
  }
}
