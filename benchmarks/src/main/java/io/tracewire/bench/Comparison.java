package io.tracewire.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** One table of both sides with the ratio per workload (Tracewire events/s over LangChain's). */
public final class Comparison {
  private Comparison() {}

  public static String table(List<Harness.Result> java, JsonNode python) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-4s %12s %12s %12s %12s %12s %14s%n", "name", "tw_events/s", "lc_events/s",
        "tw_us/event", "lc_us/event", "tw_ovh_us", "ratio_tw/lc"));
    for (Harness.Result r : java) {
      JsonNode p = find(python, r.name());
      if (p == null) {
        continue;
      }
      double lc = p.get("events_per_s").asDouble();
      sb.append(String.format(Locale.ROOT, "%-4s %12.0f %12.0f %12.3f %12.2f %12.3f %13.1fx%n", r.name(), r.eventsPerS(), lc,
          r.usPerEvent(), p.get("us_per_event").asDouble(), r.overheadUsPerEvent(), r.eventsPerS() / lc));
    }
    return sb.toString();
  }

  public static String json(List<Harness.Result> java, JsonNode python) throws Exception {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = m.createObjectNode();
    root.set("tracewire", m.readTree(Harness.json(java)).get("workloads"));
    root.set("langchain", python);
    ArrayNode ratios = root.putArray("ratios");
    for (Harness.Result r : java) {
      JsonNode p = find(python, r.name());
      if (p != null) {
        ratios.addObject().put("name", r.name()).put("events_per_s_ratio", r.eventsPerS() / p.get("events_per_s").asDouble());
      }
    }
    return m.writeValueAsString(root);
  }

  private static JsonNode find(JsonNode python, String name) {
    for (JsonNode w : python.get("workloads")) {
      if (w.get("name").asText().equals(name)) {
        return w;
      }
    }
    return null;
  }
}
