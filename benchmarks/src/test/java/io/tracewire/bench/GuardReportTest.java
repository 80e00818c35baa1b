package io.tracewire.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard's ratio logic on canned JMH result documents; no benchmark runs here. */
class GuardReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aSingleRealJmhFileKeepsJmhsOwnScoreAndError() throws IOException {
    JsonNode real;
    try (InputStream in = GuardReportTest.class.getResourceAsStream("jmh-invokeLambda.json")) {
      real = JSON.readTree(in);
    }
    GuardReport report = GuardReport.compare(List.of(real), List.of(real));

    assertThat(report.rows()).hasSize(1);
    GuardReport.Row row = report.rows().get(0);
    JsonNode metric = real.get(0).get("primaryMetric");
    assertThat(row.name()).isEqualTo("ProducerCostBenchmark.invokeLambda sinks=0");
    assertThat(row.mode()).isEqualTo("avgt");
    assertThat(row.unit()).isEqualTo("ns/op");
    assertThat(row.candidate().mean()).isCloseTo(metric.get("score").asDouble(), within(1e-6));
    assertThat(row.candidate().error()).isCloseTo(metric.get("scoreError").asDouble(), within(1e-6));
    assertThat(row.candidate().forks()).isEqualTo(2);
    assertThat(row.candidate().iterations()).isEqualTo(4);
    assertThat(row.ratio()).isEqualTo(1.0);
    assertThat(row.verdict()).isEqualTo("within error");
  }

  @Test
  void filesOfOneSideArePooledIterationByIteration() {
    JsonNode round1 = doc(result("ProducerCostBenchmark.invokeLambda", "avgt", Map.of("sinks", "3"), new double[][] {{100, 102}}));
    JsonNode round2 = doc(result("ProducerCostBenchmark.invokeLambda", "avgt", Map.of("sinks", "3"), new double[][] {{104, 106}}));

    GuardReport report = GuardReport.compare(List.of(round1, round2), List.of(round1));

    GuardReport.Score base = report.rows().get(0).base();
    assertThat(base.mean()).isEqualTo(103.0);
    assertThat(base.iterations()).isEqualTo(4);
    assertThat(base.forks()).isEqualTo(2);
    assertThat(report.rows().get(0).candidate().mean()).isEqualTo(101.0);
    assertThat(report.rows().get(0).ratio()).isCloseTo(101.0 / 103.0, within(1e-12));
  }

  @Test
  void aShorterTimeIsFasterAndAHigherThroughputIsFaster() {
    double[][] hundred = {{100, 100.5, 99.5}, {100, 100.2, 99.8}};
    double[][] eighty = {{80, 80.5, 79.5}, {80, 80.2, 79.8}};
    JsonNode base = doc(result("ProducerCostBenchmark.invokeLambda", "avgt", Map.of("sinks", "3"), hundred),
        result("EndToEndBenchmark.blockingToNoopSink", "thrpt", Map.of(), hundred));
    JsonNode candidate = doc(result("ProducerCostBenchmark.invokeLambda", "avgt", Map.of("sinks", "3"), eighty),
        result("EndToEndBenchmark.blockingToNoopSink", "thrpt", Map.of(), eighty));

    GuardReport report = GuardReport.compare(List.of(base), List.of(candidate));

    GuardReport.Row time = report.rows().get(0);
    GuardReport.Row throughput = report.rows().get(1);
    assertThat(time.ratio()).isCloseTo(0.8, within(1e-12));
    assertThat(time.ratioError()).isGreaterThan(0).isLessThan(0.05);
    assertThat(time.verdict()).isEqualTo("faster");
    assertThat(throughput.name()).isEqualTo("EndToEndBenchmark.blockingToNoopSink");
    assertThat(throughput.verdict()).isEqualTo("slower");
  }

  @Test
  void aDifferenceInsideTheErrorIsWithinError() {
    JsonNode base = doc(result("JsonlBenchmark.encode", "avgt", Map.of(), new double[][] {{900, 1100, 1000}, {950, 1050, 1000}}));
    JsonNode candidate = doc(result("JsonlBenchmark.encode", "avgt", Map.of(), new double[][] {{920, 1120, 1020}, {970, 1070, 1020}}));

    GuardReport.Row row = GuardReport.compare(List.of(base), List.of(candidate)).rows().get(0);

    assertThat(row.ratio()).isCloseTo(1.02, within(1e-12));
    assertThat(row.ratioError()).isGreaterThan(0.02);
    assertThat(row.verdict()).isEqualTo("within error");
  }

  @Test
  void aWildForkOnOneSideLeavesTheDifferenceWithinError() {
    JsonNode base = doc(result("OtelBridgeBenchmark.bridgeRun", "avgt", Map.of(), new double[][] {{300, 310}, {20000, 30000}}));
    JsonNode candidate = doc(result("OtelBridgeBenchmark.bridgeRun", "avgt", Map.of(), new double[][] {{290, 300}, {295, 305}}));

    GuardReport.Row row = GuardReport.compare(List.of(base), List.of(candidate)).rows().get(0);

    assertThat(row.ratio()).isLessThan(0.1);
    assertThat(row.verdict()).isEqualTo("within error");
  }

  @Test
  void aBenchmarkOnOneSideOnlyIsListedAsMissing() {
    double[][] v = {{10, 11, 12}};
    JsonNode base = doc(result("JsonlBenchmark.encode", "avgt", Map.of(), v));
    JsonNode candidate = doc(result("JsonlBenchmark.encode", "avgt", Map.of(), v),
        result("ProducerCostBenchmark.brandNew", "avgt", Map.of(), v));

    GuardReport report = GuardReport.compare(List.of(base), List.of(candidate));

    GuardReport.Row added = report.rows().get(1);
    assertThat(added.name()).isEqualTo("ProducerCostBenchmark.brandNew");
    assertThat(added.base()).isNull();
    assertThat(added.ratio()).isNaN();
    assertThat(added.verdict()).isEqualTo("n/a");
    assertThat(report.text("b", "n")).contains("missing");
    JsonNode json = report.json("b", "n", Map.of());
    assertThat(json.get("benchmarks").get(1).get("base").isNull()).isTrue();
    assertThat(json.get("benchmarks").get(1).get("ratio").isNull()).isTrue();
  }

  @Test
  void bridgeRunIsSetAgainstBareSpanWithinEachBuild() {
    Map<String, String> p = Map.of("makeCurrent", "true", "ring", "8192");
    JsonNode base = doc(result("OtelBridgeBenchmark.bareSpan", "avgt", p, new double[][] {{200, 200, 200}}),
        result("OtelBridgeBenchmark.bridgeRun", "avgt", p, new double[][] {{300, 300, 300}}));
    JsonNode candidate = doc(result("OtelBridgeBenchmark.bareSpan", "avgt", p, new double[][] {{200, 200, 200}}),
        result("OtelBridgeBenchmark.bridgeRun", "avgt", p, new double[][] {{220, 220, 220}}));

    GuardReport report = GuardReport.compare(List.of(base), List.of(candidate));

    assertThat(report.withinBuild()).singleElement().satisfies(w -> {
      assertThat(w.name()).isEqualTo("bridgeRun / bareSpan makeCurrent=true ring=8192");
      assertThat(w.base()).isCloseTo(1.5, within(1e-12));
      assertThat(w.candidate()).isCloseTo(1.1, within(1e-12));
    });
    assertThat(report.text("b", "n")).contains("bridgeRun / bareSpan makeCurrent=true ring=8192: base 1.500 ± 0.000, new 1.100 ± 0.000");
  }

  @Test
  void theJsonReportCarriesLabelsMetaScoresAndRatios() {
    JsonNode base = doc(result("JsonlBenchmark.encode", "avgt", Map.of(), new double[][] {{10, 10, 10}}));
    JsonNode candidate = doc(result("JsonlBenchmark.encode", "avgt", Map.of(), new double[][] {{5, 5, 5}}));

    JsonNode json = GuardReport.compare(List.of(base), List.of(candidate)).json("abc123", "def456 (dirty)",
        Map.of("jmh", "-f 2 -wi 1 -i 2"));

    assertThat(json.get("base").asText()).isEqualTo("abc123");
    assertThat(json.get("new").asText()).isEqualTo("def456 (dirty)");
    assertThat(json.get("meta").get("jmh").asText()).isEqualTo("-f 2 -wi 1 -i 2");
    JsonNode row = json.get("benchmarks").get(0);
    assertThat(row.get("base").get("score").asDouble()).isEqualTo(10.0);
    assertThat(row.get("new").get("iterations").asInt()).isEqualTo(3);
    assertThat(row.get("ratio").asDouble()).isEqualTo(0.5);
    assertThat(row.get("verdict").asText()).isEqualTo("faster");
  }

  @Test
  void aDirectoryIsReadInNameOrderAndAFileThatIsNotJmhOutputIsNamed(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("2-second.json"), doc(result("JsonlBenchmark.encode", "avgt", Map.of(), new double[][] {{2}})).toString());
    Files.writeString(dir.resolve("1-first.json"), doc(result("JsonlBenchmark.decode", "avgt", Map.of(), new double[][] {{1}})).toString());
    Files.writeString(dir.resolve("notes.txt"), "ignored");

    List<JsonNode> docs = GuardReport.readDirectory(dir);

    assertThat(docs).hasSize(2);
    assertThat(docs.get(0).get(0).get("benchmark").asText()).endsWith("decode");
    Files.writeString(dir.resolve("3-broken.json"), "{\"not\": \"an array\"}");
    assertThatThrownBy(() -> GuardReport.readDirectory(dir)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3-broken.json");
  }

  private static JsonNode doc(JsonNode... results) {
    var array = JSON.createArrayNode();
    for (JsonNode r : results) {
      array.add(r);
    }
    return array;
  }

  /** A JMH result entry with only the fields JMH writes that the report reads. */
  private static JsonNode result(String benchmark, String mode, Map<String, String> params, double[][] raw) {
    var r = JSON.createObjectNode();
    r.put("benchmark", "io.tracewire.benchmarks." + benchmark);
    r.put("mode", mode);
    var p = r.putObject("params");
    params.forEach(p::put);
    var metric = r.putObject("primaryMetric");
    metric.put("scoreUnit", mode.equals("thrpt") ? "ops/s" : "ns/op");
    var rawData = metric.putArray("rawData");
    for (double[] fork : raw) {
      var f = rawData.addArray();
      for (double v : fork) {
        f.add(v);
      }
    }
    return r;
  }
}
