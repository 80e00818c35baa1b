package io.tracewire.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spread statistics on canned {@code tracewire bench --json} documents; no workload runs here. */
class SpreadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void minMedianMaxAndWorstOverMedianPerWorkload() {
    List<JsonNode> jvms = List.of(bench(7.3e6, 4.8e6), bench(7.5e6, 1.8e6), bench(5.0e6, 4.9e6), bench(7.4e6, 4.7e6));

    Spread spread = Spread.of(Map.of("now", jvms), null, 4);

    Spread.Side w1 = spread.workloads().get(0).sides().get(0);
    assertThat(spread.workloads().get(0).name()).isEqualTo("W1");
    assertThat(w1.min()).isEqualTo(5.0e6);
    assertThat(w1.median()).isEqualTo(7.35e6);
    assertThat(w1.max()).isEqualTo(7.5e6);
    assertThat(w1.worstOverMedian()).isCloseTo(5.0 / 7.35, within(1e-12));
    Spread.Side w3 = spread.workloads().get(1).sides().get(0);
    assertThat(w3.median()).isEqualTo(4.75e6);
    assertThat(w3.worstOverMedian()).isCloseTo(1.8 / 4.75, within(1e-12));
    assertThat(w3.langChainMedianRatio()).isNaN();
  }

  @Test
  void theHistogramCountsEveryJvmOnceOverBinsSharedByTheBuilds() {
    Map<String, List<JsonNode>> runs = new LinkedHashMap<>();
    runs.put("before", List.of(bench(2e6, 1e6), bench(3e6, 1e6), bench(10e6, 1e6)));
    runs.put("after", List.of(bench(9e6, 1e6), bench(10e6, 1e6)));

    Spread.Workload w1 = Spread.of(runs, null, 4).workloads().get(0);

    assertThat(w1.binEdges()).containsExactly(2e6, 4e6, 6e6, 8e6, 10e6);
    assertThat(w1.sides()).extracting(Spread.Side::label).containsExactly("before", "after");
    assertThat(w1.sides().get(0).histogram()).containsExactly(2, 0, 0, 1);
    assertThat(w1.sides().get(1).histogram()).containsExactly(0, 0, 0, 2);
    Spread.Workload w3 = Spread.of(runs, null, 4).workloads().get(1);
    assertThat(w3.sides().get(0).histogram()).containsExactly(3, 0, 0, 0);
  }

  @Test
  void oneLangChainRunGivesTheMedianAndWorstRatios() throws IOException {
    JsonNode lc = JSON.readTree("{\"side\": \"langchain\", \"langchain_core\": \"1.6.0\", \"workloads\": ["
        + "{\"name\": \"W1\", \"events_per_s\": 5000.0}, {\"name\": \"W3\", \"events_per_s\": 4000.0}]}");

    Spread spread = Spread.of(Map.of("now", List.of(bench(6e6, 4e6), bench(5e6, 2e6), bench(7e6, 5e6))), lc, 10);

    Spread.Side w1 = spread.workloads().get(0).sides().get(0);
    assertThat(spread.workloads().get(0).langChainEventsPerS()).isEqualTo(5000.0);
    assertThat(w1.langChainMedianRatio()).isCloseTo(1200.0, within(1e-9));
    assertThat(w1.langChainWorstRatio()).isCloseTo(1000.0, within(1e-9));
    assertThat(spread.workloads().get(1).sides().get(0).langChainWorstRatio()).isCloseTo(500.0, within(1e-9));
    assertThat(spread.text()).contains("W1 (LangChain 5.0 k events/s)").contains("1200x").contains("1000x");
    JsonNode json = spread.json();
    assertThat(json.get("workloads").get(0).get("sides").get(0).get("x_langchain_median").asDouble())
        .isCloseTo(1200.0, within(1e-9));
  }

  @Test
  void theTextHasAHashPerJvmAndTheJsonEveryValue() {
    Spread spread = Spread.of(Map.of("now", List.of(bench(2e6, 1e6), bench(3e6, 1e6), bench(10e6, 1e6))), null, 4);

    assertThat(spread.text())
        .contains("W1\n")
        .contains("     2.00 M - 4.00 M    | ## 2")
        .contains("    8.00 M - 10.00 M   | #  1");
    JsonNode side = spread.json().get("workloads").get(0).get("sides").get(0);
    assertThat(side.get("events_per_s")).hasSize(3);
    assertThat(side.get("x_langchain_median").isNull()).isTrue();
    assertThat(spread.json().get("jvms").get("now").asInt()).isEqualTo(3);
  }

  @Test
  void diagnosticsBeforeTheJsonLineAreSkippedAndAFileWithoutItIsNamed(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("jvm-01.json"), "    123   45    3  java.lang.String::hashCode (55 bytes)\n"
        + bench(6e6, 4e6) + "\n");
    Files.writeString(dir.resolve("jvm-02.json"), "{\"side\": \"tracewire\", \"tracewire\": "
        + bench(5e6, 3e6).get("workloads") + "}\n");

    List<JsonNode> docs = Spread.readDirectory(dir);

    assertThat(Spread.of(Map.of("x", docs), null, 2).workloads().get(0).sides().get(0).eventsPerS())
        .containsExactly(6e6, 5e6);
    Files.writeString(dir.resolve("jvm-03.json"), "Exception in thread \"main\" java.lang.OutOfMemoryError\n");
    assertThatThrownBy(() -> Spread.readDirectory(dir)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jvm-03.json");
  }

  /** A {@code tracewire bench --json} document with W1 and W3. */
  private static JsonNode bench(double w1, double w3) {
    var doc = JSON.createObjectNode();
    doc.put("side", "tracewire");
    var list = doc.putArray("workloads");
    list.addObject().put("name", "W1").put("events", 2004).put("events_per_s", w1);
    list.addObject().put("name", "W3").put("events", 30000).put("events_per_s", w3);
    return doc;
  }
}
