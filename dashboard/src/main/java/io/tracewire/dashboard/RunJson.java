package io.tracewire.dashboard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON views of stored runs that the HTTP API returns: a root's list row, a run's row in the
 * tree, and the shared fields (times as fractional epoch milliseconds, durations in
 * milliseconds, {@code null} when unknown; tokens as {@code {input, output, total}}). Events
 * themselves are JSONL lines, written by the exporters' codec. Stateless.
 */
final class RunJson {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private RunJson() {}

  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** The JSON that {@code body} writes, as bytes. */
  static byte[] write(Body body) {
    ByteArrayBuilder out = new ByteArrayBuilder(4096);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * A root's row: {@code {id, name, type, status, start_ms, end_ms, duration_ms, tokens,
   * first_chunk_ms, chunks, errors, error, runs, events, partial, tags}}, tokens and chunks over
   * the whole tree; {@code first_chunk_ms} is from the root's start to the first chunk streamed
   * anywhere in the tree (not a model's own time to first chunk, which is each run's
   * {@code ttfc_ms}).
   */
  static void rootSummary(JsonGenerator g, RunTree r) throws IOException {
    StoredRun run = r.run;
    RunTree.Totals t = r.totals();
    g.writeStartObject();
    g.writeStringField("id", run.id);
    nameTypeStatusTimes(g, run);
    duration(g, "duration_ms", run.start, run.end);
    tokens(g, t.tokens());
    duration(g, "first_chunk_ms", run.start, t.firstChunk());
    g.writeNumberField("chunks", t.chunks());
    g.writeNumberField("errors", t.errors());
    g.writeStringField("error", t.firstError());
    g.writeNumberField("runs", r.runs.size());
    g.writeNumberField("events", r.log.n);
    g.writeBooleanField("partial", r.partial);
    g.writeArrayFieldStart("tags");
    for (String tag : run.tags) {
      g.writeString(tag);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /**
   * A run's row in its tree: {@code {id, parent_id, depth, name, type, status, start_ms, end_ms,
   * duration_ms, tokens, ttfc_ms, chunks, max_gap_ms, events, error, header}}.
   */
  static void treeRow(JsonGenerator g, StoredRun run) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", run.id);
    g.writeStringField("parent_id", run.parent == null ? null : run.parent.id);
    g.writeNumberField("depth", run.depth());
    nameTypeStatusTimes(g, run);
    duration(g, "duration_ms", run.start, run.end);
    tokens(g, run.tokens());
    duration(g, "ttfc_ms", run.start, run.firstChunk);
    g.writeNumberField("chunks", run.chunks);
    if (run.chunks > 1) {
      g.writeNumberField("max_gap_ms", run.maxGap / 1e6);
    }
    g.writeNumberField("events", run.events);
    g.writeStringField("error", run.error);
    g.writeFieldName("header");
    g.writeRawValue("{" + new String(run.header, StandardCharsets.UTF_8) + "}");
    g.writeEndObject();
  }

  /** {@code name}, {@code type}, {@code status}, {@code start_ms} and {@code end_ms} of a run. */
  static void nameTypeStatusTimes(JsonGenerator g, StoredRun run) throws IOException {
    g.writeStringField("name", run.name);
    g.writeStringField("type", run.type);
    g.writeStringField("status", StoredRun.STATUS[run.status]);
    ms(g, "start_ms", run.start);
    ms(g, "end_ms", run.end);
  }

  /** {@code "tokens": {input, output, total}}, or {@code null}. */
  static void tokens(JsonGenerator g, long[] t) throws IOException {
    if (t == null) {
      g.writeNullField("tokens");
      return;
    }
    g.writeObjectFieldStart("tokens");
    g.writeNumberField("input", t[0]);
    g.writeNumberField("output", t[1]);
    g.writeNumberField("total", t[2]);
    g.writeEndObject();
  }

  /** Epoch nanoseconds as fractional milliseconds, {@code null} when negative (unknown). */
  static void ms(JsonGenerator g, String field, long nanos) throws IOException {
    if (nanos < 0) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, nanos / 1e6);
    }
  }

  /** {@code to - from} in milliseconds, {@code null} when either is unknown. */
  static void duration(JsonGenerator g, String field, long from, long to) throws IOException {
    if (from < 0 || to < 0) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, (to - from) / 1e6);
    }
  }
}
