package io.tracewire.exporters.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracewire.core.event.StreamEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one line back into a {@link StreamEvent}: parses the JSON into maps, lists and scalars
 * (typed values through {@link ValueReader}), then checks the envelope (schema version, required
 * fields and their JSON types) and turns {@code data.error} into an {@link ErrorValue}. Every
 * problem is a {@link JsonlFormatException} whose message says what is wrong. Stateless.
 */
final class EventReader {
  private EventReader() {}

  private static final String[] PHASES = {"_start", "_stream", "_end", "_error", "_cancel"};

  /**
   * Whether {@code e} is an event name the schema allows ({@code
   * ^on_(custom_event|[A-Za-z0-9_]+_(start|stream|end|error|cancel))$}): {@code on_custom_event}, or
   * {@code on_<run type>_<phase>} with a run type of ASCII letters, digits and {@code _}.
   */
  static boolean isEventName(String e) {
    if (!e.startsWith("on_")) {
      return false;
    }
    if (e.equals(StreamEvent.CUSTOM_EVENT)) {
      return true;
    }
    for (String phase : PHASES) {
      if (e.endsWith(phase)) {
        int end = e.length() - phase.length();
        if (end <= 3) {
          return false;
        }
        for (int i = 3; i < end; i++) {
          char c = e.charAt(i);
          if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  /** A decoded line: its event and its writer id ({@code null} when the line has none). */
  static final class Decoded {
    StreamEvent event;
    String writer;
    int version;

    StreamEvent event() {
      return event;
    }

    String writer() {
      return writer;
    }
  }

  /**
   * Decodes {@code buf[off, off+len)}, UTF-8 JSON of one event; puts the line's writer id into
   * {@code out} when it is not {@code null}.
   */
  static StreamEvent read(JsonFactory factory, byte[] buf, int off, int len, Decoded out) {
    try (JsonParser p = factory.createParser(buf, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new JsonlFormatException("not a JSON object");
      }
      Object v = readValue(p, p.currentToken());
      if (p.nextToken() != null) {
        throw new JsonlFormatException("more than one JSON value on the line");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) v;
      return toEvent(m, out);
    } catch (JsonlFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new JsonlFormatException("not valid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  private static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static Object readValue(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String k = p.currentName();
          JsonToken vt = p.nextToken();
          if (vt == null) {
            throw new JsonlFormatException("truncated JSON");
          }
          m.put(k, readValue(p, vt));
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
          throw new JsonlFormatException("truncated JSON");
        }
        return ValueReader.typed(m);
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        JsonToken vt;
        while ((vt = p.nextToken()) != JsonToken.END_ARRAY) {
          if (vt == null) {
            throw new JsonlFormatException("truncated JSON");
          }
          l.add(readValue(p, vt));
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return p.getIntValue();
          case LONG:
            return p.getLongValue();
          default:
            return p.getBigIntegerValue();
        }
      case VALUE_NUMBER_FLOAT: {
        double d = p.getDoubleValue();
        return Double.isInfinite(d) ? p.getDecimalValue() : (Object) d;
      }
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new JsonlFormatException("unexpected JSON token " + t);
    }
  }

  private static StreamEvent toEvent(Map<String, Object> m, Decoded out) {
    Long v = ValueReader.optLong(m, "v");
    if (v == null) {
      throw new JsonlFormatException("not a Tracewire event: no schema version \"v\"");
    }
    if (v < JsonlCodec.OLDEST_READABLE_VERSION || v > JsonlCodec.SCHEMA_VERSION) {
      throw new JsonlFormatException("unsupported schema version " + v + " (this reader knows "
          + JsonlCodec.OLDEST_READABLE_VERSION + ".." + JsonlCodec.SCHEMA_VERSION + ")");
    }
    String writer = null;
    if (v >= 2 && m.containsKey("w")) {
      if (!(m.get("w") instanceof String w) || w.isEmpty() || w.length() > JsonlFileSink.MAX_WRITER_ID_LENGTH) {
        throw new JsonlFormatException("field \"w\" must be a string of 1 to " + JsonlFileSink.MAX_WRITER_ID_LENGTH
            + " characters");
      }
      writer = w;
    }
    long seq = ValueReader.reqLong(m, "seq");
    if (seq < 0) {
      throw new JsonlFormatException("field \"seq\" must not be negative: " + seq);
    }
    long ts = ValueReader.reqLong(m, "ts");
    String event = reqField(m, "event");
    if (!isEventName(event)) {
      throw new JsonlFormatException("field \"event\" is not an event name (on_<run type>_start|stream|end|error|cancel"
          + " or on_custom_event): " + clip(event));
    }
    Object data = m.get("data");
    if (!StreamEvent.CUSTOM_EVENT.equals(event)) {
      if (!(data instanceof Map<?, ?> dm)) {
        throw new JsonlFormatException("data of " + event + " must be an object");
      }
      if (dm.get("error") instanceof Map<?, ?> err && err.get("type") instanceof String type) {
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) dm);
        Object msg = err.get("message");
        copy.put("error", new ErrorValue(type, msg == null ? null : String.valueOf(msg)));
        data = copy;
      }
    }
    StreamEvent e = new StreamEvent(event, reqField(m, "name"), reqField(m, "run_id"),
        ValueReader.stringList(m.get("parent_ids"), "parent_ids"), ValueReader.stringList(m.get("tags"), "tags"),
        metadata(m.get("metadata")), data, seq, ts);
    if (out != null) {
      out.writer = writer;
      out.version = v.intValue();
    }
    return e;
  }

  private static String reqField(Map<String, Object> m, String k) {
    Object v = m.get(k);
    if (!(v instanceof String s)) {
      throw new JsonlFormatException("field \"" + k + "\" must be a string");
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Object v) {
    if (v instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new JsonlFormatException("field \"metadata\" must be an object");
  }
}
