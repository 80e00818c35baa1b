package io.tracewire.adapters.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The shared Jackson mapper and small tree helpers. Thread-safe. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static JsonNode parse(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value is not serialisable as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** A JSON object node as an insertion-ordered Java map (nested maps, lists, numbers, strings). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(JsonNode node) {
    if (node == null || !node.isObject()) {
      return new LinkedHashMap<>();
    }
    return MAPPER.convertValue(node, LinkedHashMap.class);
  }

  /** A JSON node as a plain Java value. */
  public static Object toJava(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : MAPPER.convertValue(node, Object.class);
  }

  /** The text of {@code node.field}, or {@code null} when absent or JSON null. */
  public static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** The integer {@code node.field}, or {@code null} when absent or not a number. */
  public static Long longOrNull(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || !v.isNumber() ? null : v.longValue();
  }

  /** Whether {@code node.field} is present and not JSON null. */
  public static boolean has(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && !v.isNull();
  }
}
