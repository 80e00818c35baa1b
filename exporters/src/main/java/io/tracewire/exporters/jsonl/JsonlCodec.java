package io.tracewire.exporters.jsonl;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewire.core.event.StreamEvent;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The JSON form of a {@link StreamEvent}: one event per line, as specified in
 * {@code docs/jsonl-format.md} and {@code jsonl-schema.json} (on the classpath next to this
 * class). Writing uses Jackson's streaming generator with pre-encoded field names; reading
 * returns an event equal to the one written, with these documented conversions: a
 * {@code Throwable} under {@code data.error} becomes an {@link ErrorValue}; sets and arrays
 * become lists; integral numbers come back as {@code Integer}, {@code Long} or
 * {@code BigInteger} by size, other numbers as {@code Double} (or {@code BigDecimal} beyond
 * double range); objects of types the format does not know are written as their Jackson
 * databind tree (or their {@code toString()} when that fails) and come back as maps or strings.
 *
 * <p>Messages ({@code SystemMessage}, {@code HumanMessage}, {@code AIMessage},
 * {@code AIMessageChunk}, {@code ToolMessage}), {@code Document}, {@code ChatPromptValue},
 * {@code StringPromptValue}, {@code LLMResult}, {@code Generation} and {@code GenerationChunk} are
 * JSON objects with a {@code "type"} discriminator holding LangChain's class name; on reading,
 * any JSON object whose {@code "type"} is one of those names is decoded as that type.
 *
 * <p>{@link #lineParts} encodes a line in parts (the run's fields apart from the event's), with
 * optional bounds on text length and nesting, for stores that keep many events in memory.
 *
 * <p>Thread-safe: a codec may be shared, and so may its {@link LineParts}. An {@link Encoder} is
 * not: use one per thread.
 */
public final class JsonlCodec {
  /**
   * The schema version written in every line ({@code "v"}). Version 2 added the writer id
   * {@code "w"} and made {@code seq} a per-writer sequence; readers also read version 1.
   */
  public static final int SCHEMA_VERSION = 2;
  /** The oldest schema version readers accept. */
  public static final int OLDEST_READABLE_VERSION = 1;

  private final JsonFactory factory;
  private final ObjectMapper fallback;

  /** A codec; cheap to share, somewhat costly to create. */
  public JsonlCodec() {
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(Integer.MAX_VALUE).maxNestingDepth(1000).build())
        .build();
    this.fallback = new ObjectMapper(factory);
  }

  JsonFactory factory() {
    return factory;
  }

  /** An encoder writing lines to {@code out}; not thread-safe. */
  public Encoder newEncoder(OutputStream out) {
    Objects.requireNonNull(out, "out");
    try {
      return new Encoder(factory.createGenerator(out, JsonEncoding.UTF8), fallback);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One event as a JSON line (without the trailing newline), with no writer id and the event's
   * own {@link StreamEvent#seq()}: the line of an event encoded alone, outside a log.
   */
  public String encodeToString(StreamEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (Encoder enc = newEncoder(out)) {
      enc.writeObject(event);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * An encoder of lines in parts, for stores that keep a run's fields once and each event's
   * {@code data} apart, and may bound what they keep. Strings of text (values, tags, message
   * content, documents, error messages) longer than {@code maxStringChars} are cut and end with
   * {@code "\u2026[truncated N chars]"}; maps, lists and typed objects nested deeper than
   * {@code maxDepth} are replaced by {@code "\u2026[nested too deep]"}. Identifiers, names and
   * map keys are never cut. With both bounds at {@link Integer#MAX_VALUE}, the parts joined by
   * {@link LineParts#line} are exactly the line {@link #encodeToString} writes (without
   * {@code trace_id}, {@code span_id}).
   *
   * @throws IllegalArgumentException if a bound is below 1
   */
  public LineParts lineParts(int maxStringChars, int maxDepth) {
    if (maxStringChars < 1 || maxDepth < 1) {
      throw new IllegalArgumentException("bounds must be at least 1: maxStringChars=" + maxStringChars
          + ", maxDepth=" + maxDepth);
    }
    return new LineParts(this, maxStringChars, maxDepth);
  }

  /**
   * Decodes one line (with or without its newline). The event's {@link StreamEvent#seq()} is the
   * line's {@code seq}; the writer id is not part of the event (readers report it with
   * {@link LineOrigin}).
   */
  public StreamEvent decode(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return decode(b, 0, b.length);
  }

  /**
   * Decodes one line held in {@code buf[off, off+len)}, which must be UTF-8.
   *
   * @throws JsonlFormatException when the bytes are not JSON (or not UTF-8), are truncated, or
   *     are JSON of another shape
   */
  public StreamEvent decode(byte[] buf, int off, int len) {
    return EventReader.read(factory, buf, off, len, null);
  }

  /** {@link #decode(byte[], int, int)} that also returns the line's writer id ({@code null} when it has none). */
  EventReader.Decoded decodeWithWriter(byte[] buf, int off, int len) {
    EventReader.Decoded d = new EventReader.Decoded();
    d.event = EventReader.read(factory, buf, off, len, d);
    return d;
  }

  /**
   * Writes events as JSON lines to one output stream, reusing one generator. Not thread-safe.
   * {@link #write} buffers; {@link #flush} pushes the buffer to the stream.
   */
  public static final class Encoder implements Flushable, Closeable {
    private final JsonGenerator g;
    private final EventWriter writer;
    private TraceLinks traceLinks;
    private String writerId;

    Encoder(JsonGenerator g, ObjectMapper fallback) {
      this.g = g;
      this.writer = new EventWriter(g, new ValueWriter(g, fallback));
    }

    /**
     * Adds {@code trace_id} and {@code span_id} to every line whose run {@code links} knows
     * ({@code null} to stop). Readers ignore the two fields.
     */
    public Encoder traceLinks(TraceLinks links) {
      this.traceLinks = links;
      return this;
    }

    /**
     * Writes {@code "w": id} in every following line ({@code null}, the default, for none). A
     * writer id names one writer of a log, whose lines carry its own {@code seq}; see
     * {@code docs/jsonl-format.md}.
     *
     * @throws IllegalArgumentException if {@code id} is empty or longer than
     *     {@value JsonlFileSink#MAX_WRITER_ID_LENGTH} characters
     */
    public Encoder writerId(String id) {
      if (id != null && (id.isEmpty() || id.length() > JsonlFileSink.MAX_WRITER_ID_LENGTH)) {
        throw new IllegalArgumentException("id must have 1 to " + JsonlFileSink.MAX_WRITER_ID_LENGTH
            + " characters: " + id.length());
      }
      this.writerId = id;
      return this;
    }

    /** Writes one event, with its own {@link StreamEvent#seq()}, followed by {@code '\n'}. */
    public void write(StreamEvent e) throws IOException {
      write(e, e.seq());
    }

    /** Writes one event numbered {@code seq} (the writer's sequence number of the line), followed by {@code '\n'}. */
    public void write(StreamEvent e, long seq) throws IOException {
      writeObject(e, seq);
      g.writeRaw('\n');
    }

    void writeObject(StreamEvent e) throws IOException {
      writeObject(e, e.seq());
    }

    private void writeObject(StreamEvent e, long seq) throws IOException {
      TraceLinks.Link link = null;
      if (traceLinks != null) {
        try {
          link = traceLinks.find(e.runId());
        } catch (RuntimeException ignored) {
          // a failing lookup only costs the cross-link
        }
      }
      writer.event(e, writerId, seq, link);
    }

    @Override
    public void flush() throws IOException {
      g.flush();
    }

    @Override
    public void close() throws IOException {
      g.close();
    }
  }

  /**
   * Encodes the parts of lines: {@link #runFields} (the fields every event of a run shares),
   * {@link #data} (one event's {@code data}) and {@link #line}, which joins them with the event's
   * own fields into the line, in the documented field order. Made by {@link #lineParts}, whose
   * bounds it applies. Thread-safe and stateless; never throws for odd values (an object Jackson
   * cannot serialize is written as its text).
   */
  public static final class LineParts {
    private static final byte[] DATA_FIELD = ",\"data\":".getBytes(StandardCharsets.UTF_8);

    private final JsonlCodec codec;
    private final int maxStringChars;
    private final int maxDepth;

    private LineParts(JsonlCodec codec, int maxStringChars, int maxDepth) {
      this.codec = codec;
      this.maxStringChars = maxStringChars;
      this.maxDepth = maxDepth;
    }

    /**
     * The run's fields of {@code e} as JSON object members without the braces:
     * {@code "run_id":..,"parent_ids":[..],"tags":[..],"metadata":{..}}.
     */
    public byte[] runFields(StreamEvent e) {
      Objects.requireNonNull(e, "e");
      byte[] obj = encode(128, w -> {
        w.g.writeStartObject();
        w.events.runFields(e, null);
        w.g.writeEndObject();
      });
      byte[] inner = new byte[obj.length - 2];
      System.arraycopy(obj, 1, inner, 0, inner.length);
      return inner;
    }

    /** The JSON of an event's {@code data} (or of any value). */
    public byte[] data(Object data) {
      return encode(128, w -> w.values.value(data));
    }

    /**
     * One event's line (without the trailing newline) from its own fields, the
     * {@link #runFields} of its run and its {@link #data}.
     */
    public byte[] line(String event, String name, long seq, long timestampNanos, byte[] runFields, byte[] data) {
      byte[] head = encode(64 + event.length() + name.length(), w -> {
        w.g.writeStartObject();
        w.events.eventFields(null, seq, timestampNanos, event, name);
        w.g.writeEndObject();
      });
      int headLen = head.length - 1; // without the closing brace
      byte[] out = new byte[headLen + 1 + runFields.length + DATA_FIELD.length + data.length + 1];
      int p = 0;
      System.arraycopy(head, 0, out, p, headLen);
      p += headLen;
      out[p++] = ',';
      System.arraycopy(runFields, 0, out, p, runFields.length);
      p += runFields.length;
      System.arraycopy(DATA_FIELD, 0, out, p, DATA_FIELD.length);
      p += DATA_FIELD.length;
      System.arraycopy(data, 0, out, p, data.length);
      p += data.length;
      out[p] = '}';
      return out;
    }

    private interface Body {
      void write(Writers w) throws IOException;
    }

    private record Writers(JsonGenerator g, ValueWriter values, EventWriter events) {}

    private byte[] encode(int sizeHint, Body body) {
      ByteArrayBuilder out = new ByteArrayBuilder(sizeHint);
      try (JsonGenerator g = codec.factory.createGenerator(out)) {
        ValueWriter values = new ValueWriter(g, codec.fallback, maxStringChars, maxDepth);
        body.write(new Writers(g, values, new EventWriter(g, values)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }
  }
}
