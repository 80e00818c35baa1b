package io.tracewire.exporters.otel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the collector's file exporter output: one OTLP {@code ExportTraceServiceRequest} /
 * {@code ExportLogsServiceRequest} as protobuf JSON a line (ids in lower-case hex, 64-bit numbers as
 * strings). Only lines ended by a newline are read, so a line being written is left for the next
 * poll. Not thread-safe; each read parses the whole file again.
 */
final class CollectorFiles {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One span of the traces file. {@code parentSpanId} is empty for a root. */
  record SpanLine(String service, String traceId, String spanId, String parentSpanId, String name,
      Map<String, Object> attributes) {
    String runId() {
      return (String) attributes.get("tracewire.run.id");
    }
  }

  /** One log record of the logs file. */
  record LogLine(String service, String traceId, String spanId, String eventName, Map<String, Object> attributes) {
    long seq() {
      Object s = attributes.get("tracewire.event.seq");
      return s == null ? -1 : (Long) s;
    }

    String event() {
      return (String) attributes.get("tracewire.event");
    }

    String runId() {
      return (String) attributes.get("tracewire.run.id");
    }

    /** The run's name, or the custom event's name. */
    String name() {
      Object run = attributes.get("tracewire.run.name");
      return (String) (run != null ? run : attributes.get("tracewire.custom_event.name"));
    }
  }

  private final Path traces;
  private final Path logs;

  CollectorFiles(Path traces, Path logs) {
    this.traces = traces;
    this.logs = logs;
  }

  List<SpanLine> spans(String service) {
    List<SpanLine> out = new ArrayList<>();
    for (JsonNode req : lines(traces)) {
      for (JsonNode rs : req.path("resourceSpans")) {
        String svc = String.valueOf(attributes(rs.path("resource").path("attributes")).get("service.name"));
        if (!svc.equals(service)) {
          continue;
        }
        for (JsonNode ss : rs.path("scopeSpans")) {
          for (JsonNode s : ss.path("spans")) {
            out.add(new SpanLine(svc, s.path("traceId").asText(""), s.path("spanId").asText(""),
                s.path("parentSpanId").asText(""), s.path("name").asText(""), attributes(s.path("attributes"))));
          }
        }
      }
    }
    return out;
  }

  List<LogLine> logs(String service) {
    List<LogLine> out = new ArrayList<>();
    for (JsonNode req : lines(logs)) {
      for (JsonNode rl : req.path("resourceLogs")) {
        String svc = String.valueOf(attributes(rl.path("resource").path("attributes")).get("service.name"));
        if (!svc.equals(service)) {
          continue;
        }
        for (JsonNode sl : rl.path("scopeLogs")) {
          for (JsonNode r : sl.path("logRecords")) {
            out.add(new LogLine(svc, r.path("traceId").asText(""), r.path("spanId").asText(""),
                r.path("eventName").asText(""), attributes(r.path("attributes"))));
          }
        }
      }
    }
    return out;
  }

  /** Polls until at least {@code n} spans of {@code service} are there, then reads once more after a pause. */
  List<SpanLine> awaitSpans(String service, int n, Duration timeout) throws InterruptedException {
    return await(this::spans, service, n, timeout);
  }

  List<LogLine> awaitLogs(String service, int n, Duration timeout) throws InterruptedException {
    return await(this::logs, service, n, timeout);
  }

  private static <T> List<T> await(Function<String, List<T>> read, String service, int n, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<T> got = read.apply(service);
    while (got.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(100);
      got = read.apply(service);
    }
    // the file exporter flushes every 100 ms: give anything sent twice the time to show up
    Thread.sleep(500);
    return read.apply(service);
  }

  private static List<JsonNode> lines(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<JsonNode> out = new ArrayList<>();
    int start = 0;
    for (int nl = text.indexOf('\n'); nl >= 0; start = nl + 1, nl = text.indexOf('\n', start)) {
      String line = text.substring(start, nl).trim();
      if (line.isEmpty()) {
        continue;
      }
      try {
        out.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new AssertionError("not a JSON line in " + file + ": " + line, e);
      }
    }
    return out;
  }

  /** OTLP JSON key/value list to a map: strings, longs (from their string form), doubles, booleans, lists. */
  static Map<String, Object> attributes(JsonNode list) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (JsonNode kv : list) {
      m.put(kv.path("key").asText(), value(kv.path("value")));
    }
    return m;
  }

  static Object value(JsonNode v) {
    if (v.has("stringValue")) {
      return v.get("stringValue").asText();
    }
    if (v.has("intValue")) {
      return Long.parseLong(v.get("intValue").asText());
    }
    if (v.has("doubleValue")) {
      return v.get("doubleValue").asDouble();
    }
    if (v.has("boolValue")) {
      return v.get("boolValue").asBoolean();
    }
    if (v.has("arrayValue")) {
      List<Object> l = new ArrayList<>();
      for (JsonNode e : v.path("arrayValue").path("values")) {
        l.add(value(e));
      }
      return l;
    }
    return v.toString();
  }
}
