package io.tracewire.exporters.jsonl;

import static io.tracewire.exporters.jsonl.JsonlFields.DATA;
import static io.tracewire.exporters.jsonl.JsonlFields.EVENT;
import static io.tracewire.exporters.jsonl.JsonlFields.METADATA;
import static io.tracewire.exporters.jsonl.JsonlFields.NAME;
import static io.tracewire.exporters.jsonl.JsonlFields.PARENT_IDS;
import static io.tracewire.exporters.jsonl.JsonlFields.RUN_ID;
import static io.tracewire.exporters.jsonl.JsonlFields.SEQ;
import static io.tracewire.exporters.jsonl.JsonlFields.SPAN_ID;
import static io.tracewire.exporters.jsonl.JsonlFields.TAGS;
import static io.tracewire.exporters.jsonl.JsonlFields.TRACE_ID;
import static io.tracewire.exporters.jsonl.JsonlFields.TS;
import static io.tracewire.exporters.jsonl.JsonlFields.V;
import static io.tracewire.exporters.jsonl.JsonlFields.W;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.tracewire.core.event.StreamEvent;
import java.io.IOException;

/**
 * The layout of one line, in the documented field order: the event's own fields ({@code v},
 * optional {@code w}, {@code seq}, {@code ts}, {@code event}, {@code name}), then its run's fields ({@code run_id},
 * optional {@code trace_id} and {@code span_id}, {@code parent_ids}, {@code tags},
 * {@code metadata}), then {@code data}. The two groups can be written apart, for stores that keep
 * a run's fields once ({@link JsonlCodec.LineParts}). Writes to one generator; not thread-safe.
 */
final class EventWriter {
  private final JsonGenerator g;
  private final ValueWriter values;

  EventWriter(JsonGenerator g, ValueWriter values) {
    this.g = g;
    this.values = values;
  }

  /**
   * The whole event as one JSON object, numbered {@code seq} by {@code writer}; {@code writer}
   * and {@code link} may be {@code null}.
   */
  void event(StreamEvent e, String writer, long seq, TraceLinks.Link link) throws IOException {
    g.writeStartObject();
    eventFields(writer, seq, e.timestampNanos(), e.event(), e.name());
    runFields(e, link);
    data(e.data());
    g.writeEndObject();
  }

  /**
   * {@code v}, {@code w} (when {@code writer} is not {@code null}), {@code seq}, {@code ts},
   * {@code event} and {@code name}, inside an open object.
   */
  void eventFields(String writer, long seq, long timestampNanos, String event, String name) throws IOException {
    g.writeFieldName(V);
    g.writeNumber(JsonlCodec.SCHEMA_VERSION);
    if (writer != null) {
      string(W, writer);
    }
    g.writeFieldName(SEQ);
    g.writeNumber(seq);
    g.writeFieldName(TS);
    g.writeNumber(timestampNanos);
    string(EVENT, event);
    string(NAME, name);
  }

  /** The run's fields of {@code e}, inside an open object; {@code link} may be {@code null}. */
  void runFields(StreamEvent e, TraceLinks.Link link) throws IOException {
    string(RUN_ID, e.runId());
    if (link != null) {
      string(TRACE_ID, link.traceId());
      string(SPAN_ID, link.spanId());
    }
    g.writeFieldName(PARENT_IDS);
    values.ids(e.parentIds());
    g.writeFieldName(TAGS);
    values.texts(e.tags());
    g.writeFieldName(METADATA);
    values.map(e.metadata());
  }

  private void string(SerializedString field, String value) throws IOException {
    g.writeFieldName(field);
    g.writeString(value);
  }

  private void data(Object data) throws IOException {
    g.writeFieldName(DATA);
    values.value(data);
  }
}
