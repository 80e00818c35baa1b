package io.tracewire.exporters.otel;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.tracewire.exporters.otel.GenAiMapping.*;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.Body;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import io.tracewire.core.event.RunType;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import io.tracewire.core.model.GenerationChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The mapping of one {@link StreamEvent} onto an OpenTelemetry log record (an event: a record
 * with an {@code EventName}); the table in {@code docs/otlp-logs.md} documents it field by field.
 * Attribute names shared with spans come from {@link GenAiMapping}. Stateless apart from the
 * content settings; called on the log sink's worker thread only.
 */
final class LogRecords {
  /** The GenAI event of a finished model call (semantic-conventions-genai, gen-ai-events.md). */
  static final String INFERENCE_DETAILS_EVENT = "gen_ai.client.inference.operation.details";
  /** Every other record is named {@code tracewire.<event>}, e.g. {@code tracewire.on_chain_start}. */
  static final String EVENT_NAME_PREFIX = "tracewire.";

  static final AttributeKey<String> EVENT = stringKey("tracewire.event");
  static final AttributeKey<Long> EVENT_SEQ = longKey("tracewire.event.seq");
  static final AttributeKey<List<String>> PARENT_IDS = stringArrayKey("tracewire.run.parent_ids");
  static final AttributeKey<String> CUSTOM_EVENT_NAME = stringKey("tracewire.custom_event.name");
  static final AttributeKey<String> CUSTOM_EVENT_DATA = stringKey("tracewire.custom_event.data");
  static final AttributeKey<String> EXCEPTION_TYPE = stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = stringKey("exception.message");

  private final boolean captureContent;
  private final ContentCapture content;

  /** Whether the sink receives stream chunks, so that a model call's chunk count and time to first chunk are known. */
  private final boolean measuresChunks;

  LogRecords(boolean captureContent, ContentCapture content, boolean measuresChunks) {
    this.captureContent = captureContent;
    this.content = content;
    this.measuresChunks = measuresChunks;
  }

  /** What the sink knows of a run from its earlier events (for model and streaming runs). */
  static final class RunTrack {
    long startNanos = -1;
    long chunks;
    long firstChunkNanos;
    /** The last chunk held back by {@link ChunkFidelity#FIRST_AND_LAST}, and its index. */
    StreamEvent held;
    long heldIndex;
  }

  /**
   * The record of {@code e}. {@code chunkIndex} is the chunk's index for stream events (-1
   * otherwise); {@code track} is the run's track for terminal events of tracked runs, else null.
   */
  LogRecordData map(StreamEvent e, LogEventKind kind, long chunkIndex, RunTrack track, SpanContext span,
      Resource resource, InstrumentationScopeInfo scope, long observedNanos) {
    String ev = e.event();
    RunType type = kind == LogEventKind.CUSTOM ? null : e.runType();
    boolean model = type != null && isModel(type);
    AttributesBuilder a = Attributes.builder()
        .put(EVENT, ev)
        .put(EVENT_SEQ, e.seq())
        .put(RUN_ID, e.runId());
    if (kind == LogEventKind.CUSTOM) {
      a.put(CUSTOM_EVENT_NAME, e.name());
    } else {
      a.put(RUN_NAME, e.name());
    }
    if (type != null) {
      a.put(RUN_TYPE, type.name());
    }
    if (!e.parentIds().isEmpty()) {
      a.put(PARENT_IDS, e.parentIds());
    }
    if (!e.tags().isEmpty()) {
      a.put(RUN_TAGS, e.tags());
    }
    Map<String, Object> md = e.metadata();
    if (!md.isEmpty()) {
      metadata(a, md);
    }
    String op = type == null ? null : operationName(type);
    if (op != null) {
      a.put(OPERATION_NAME, op);
    }
    if (model) {
      request(a, md);
    } else if (type == RunType.TOOL) {
      a.put(TOOL_NAME, e.name());
    }
    switch (kind) {
      case START -> startContent(a, e, type, model);
      case STREAM -> chunk(a, e, chunkIndex);
      case END, ERROR, CANCEL -> terminal(a, e, kind, type, model, track);
      case CUSTOM -> {
        if (captureContent && e.data() != null) {
          putContent(a, CUSTOM_EVENT_DATA, content.render(CUSTOM_EVENT_DATA.getKey(), e.data()));
        }
      }
    }
    String eventName = model && (kind == LogEventKind.END || kind == LogEventKind.ERROR)
        ? INFERENCE_DETAILS_EVENT : EVENT_NAME_PREFIX + ev;
    Severity severity = switch (kind) {
      case ERROR -> Severity.ERROR;
      case CANCEL -> Severity.WARN;
      case STREAM -> Severity.DEBUG;
      default -> Severity.INFO;
    };
    Attributes attrs = a.build();
    return new Record(resource, scope, e.timestampNanos(), observedNanos, span, severity, severity.name(),
        ev + " " + e.name(), attrs, eventName);
  }

  private void metadata(AttributesBuilder a, Map<String, Object> md) {
    for (Map.Entry<String, Object> en : md.entrySet()) {
      String k = en.getKey();
      if (k.startsWith("ls_")) {
        continue; // mapped onto gen_ai.* for model runs, as on spans
      }
      Object v = en.getValue();
      String key = METADATA_PREFIX + k;
      if (v instanceof Boolean b) {
        a.put(AttributeKey.booleanKey(key), b);
      } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
        a.put(AttributeKey.longKey(key), ((Number) v).longValue());
      } else if (v instanceof Number n) {
        a.put(AttributeKey.doubleKey(key), n.doubleValue());
      } else if (v != null) {
        String s = content.render(key, v);
        if (s != null) {
          a.put(AttributeKey.stringKey(key), s);
        }
      }
    }
  }

  private static void request(AttributesBuilder a, Map<String, Object> md) {
    a.put(PROVIDER_NAME, providerName(md.get(LS_PROVIDER)));
    if (md.get(LS_MODEL_NAME) instanceof String m) {
      a.put(REQUEST_MODEL, m);
    }
    if (md.get(LS_TEMPERATURE) instanceof Number t) {
      a.put(REQUEST_TEMPERATURE, t.doubleValue());
    }
    if (md.get(LS_MAX_TOKENS) instanceof Number n) {
      a.put(REQUEST_MAX_TOKENS, n.longValue());
    }
    Object stop = md.get(LS_STOP);
    if (stop instanceof String s) {
      a.put(REQUEST_STOP_SEQUENCES, List.of(s));
    } else if (stop instanceof List<?> l && !l.isEmpty()) {
      List<String> ss = new ArrayList<>(l.size());
      for (Object o : l) {
        ss.add(String.valueOf(o));
      }
      a.put(REQUEST_STOP_SEQUENCES, ss);
    }
  }

  private void startContent(AttributesBuilder a, StreamEvent e, RunType type, boolean model) {
    if (!captureContent || !e.hasData("input")) {
      return;
    }
    Object input = e.dataValue("input");
    if (model) {
      putContent(a, INPUT_MESSAGES, content.inputMessages(input));
    } else if (type == RunType.TOOL) {
      putContent(a, TOOL_CALL_ARGUMENTS, content.render(TOOL_CALL_ARGUMENTS.getKey(), input));
    } else {
      putContent(a, RUN_INPUT, content.render(RUN_INPUT.getKey(), input));
    }
  }

  private void chunk(AttributesBuilder a, StreamEvent e, long index) {
    a.put(CHUNK_INDEX, index);
    if (captureContent && e.hasData("chunk")) {
      Object chunk = e.dataValue("chunk");
      String s = chunk instanceof BaseMessage m ? content.limit(CHUNK_CONTENT.getKey(), m.text())
          : chunk instanceof GenerationChunk g ? content.limit(CHUNK_CONTENT.getKey(), g.text())
          : content.render(CHUNK_CONTENT.getKey(), chunk);
      putContent(a, CHUNK_CONTENT, s);
    }
  }

  private void terminal(AttributesBuilder a, StreamEvent e, LogEventKind kind, RunType type, boolean model,
      RunTrack track) {
    String outcome = kind == LogEventKind.END ? OUTCOME_END : kind == LogEventKind.ERROR ? OUTCOME_ERROR : OUTCOME_CANCEL;
    a.put(RUN_OUTCOME, outcome);
    if (kind == LogEventKind.ERROR) {
      Object err = e.dataValue("error");
      Throwable t = err instanceof Throwable th ? th : null;
      String errorType = t != null ? t.getClass().getName() : "_OTHER";
      a.put(ERROR_TYPE, errorType);
      if (t != null) {
        a.put(EXCEPTION_TYPE, errorType);
        if (captureContent && t.getMessage() != null) {
          putContent(a, EXCEPTION_MESSAGE, content.limit(EXCEPTION_MESSAGE.getKey(), t.getMessage()));
        }
      }
    }
    Object output = e.dataValue("output");
    if (model) {
      modelEnd(a, e, output, track);
    } else if (type == RunType.TOOL) {
      Object id = e.dataValue("tool_call_id");
      if (id == null && output instanceof ToolMessage tm) {
        id = tm.toolCallId();
      }
      if (id instanceof String s) {
        a.put(TOOL_CALL_ID, s);
      }
      if (captureContent) {
        if (e.hasData("input")) {
          putContent(a, TOOL_CALL_ARGUMENTS, content.render(TOOL_CALL_ARGUMENTS.getKey(), e.dataValue("input")));
        }
        if (e.hasData("output")) {
          Object o = output instanceof ToolMessage tm ? tm.content() : output;
          putContent(a, TOOL_CALL_RESULT, content.render(TOOL_CALL_RESULT.getKey(), o));
        }
      }
    } else if (captureContent) {
      if (e.hasData("input")) {
        putContent(a, RUN_INPUT, content.render(RUN_INPUT.getKey(), e.dataValue("input")));
      }
      if (e.hasData("output")) {
        putContent(a, RUN_OUTPUT, content.render(RUN_OUTPUT.getKey(), output));
      }
    }
  }

  private void modelEnd(AttributesBuilder a, StreamEvent e, Object output, RunTrack track) {
    long chunks = track == null ? 0 : track.chunks;
    if (measuresChunks) {
      a.put(REQUEST_STREAM, chunks > 0);
    }
    if (chunks > 0) {
      a.put(STREAM_CHUNKS, chunks);
      if (track.startNanos >= 0) {
        a.put(RESPONSE_TIME_TO_FIRST_CHUNK, (track.firstChunkNanos - track.startNanos) / 1e9);
      }
    }
    ModelResponse response = ModelResponse.of(output);
    UsageMetadata usage = response.usage();
    String finishReason = response.finishReason();
    String responseModel = response.model();
    if (responseModel != null) {
      a.put(RESPONSE_MODEL, responseModel);
    }
    String responseId = response.id();
    if (responseId != null) {
      a.put(RESPONSE_ID, responseId);
    }
    if (finishReason != null) {
      a.put(RESPONSE_FINISH_REASONS, List.of(finishReason));
    }
    if (usage != null) {
      a.put(USAGE_INPUT_TOKENS, (long) usage.inputTokens());
      a.put(USAGE_OUTPUT_TOKENS, (long) usage.outputTokens());
      if (usage.inputTokenDetails() != null) {
        if (usage.inputTokenDetails().cacheCreation() != null) {
          a.put(USAGE_CACHE_CREATION_INPUT_TOKENS, usage.inputTokenDetails().cacheCreation());
        }
        if (usage.inputTokenDetails().cacheRead() != null) {
          a.put(USAGE_CACHE_READ_INPUT_TOKENS, usage.inputTokenDetails().cacheRead());
        }
      }
      if (usage.outputTokenDetails() != null && usage.outputTokenDetails().reasoning() != null) {
        a.put(USAGE_REASONING_OUTPUT_TOKENS, usage.outputTokenDetails().reasoning());
      }
    }
    if (captureContent) {
      if (e.hasData("input")) {
        putContent(a, INPUT_MESSAGES, content.inputMessages(e.dataValue("input")));
      }
      if (output != null) {
        putContent(a, OUTPUT_MESSAGES, content.outputMessages(output, finishReason));
      }
    }
  }

  private static void putContent(AttributesBuilder a, AttributeKey<String> key, String value) {
    if (value != null) {
      a.put(key, value);
    }
  }

  /** An immutable log record as the OTLP exporters read it. */
  record Record(Resource resource, InstrumentationScopeInfo scope, long timestampEpochNanos,
      long observedTimestampEpochNanos, SpanContext spanContext, Severity severity, String severityText,
      String body, Attributes attributes, String eventName) implements LogRecordData {

    @Override
    public Resource getResource() {
      return resource;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return scope;
    }

    @Override
    public long getTimestampEpochNanos() {
      return timestampEpochNanos;
    }

    @Override
    public long getObservedTimestampEpochNanos() {
      return observedTimestampEpochNanos;
    }

    @Override
    public SpanContext getSpanContext() {
      return spanContext;
    }

    @Override
    public Severity getSeverity() {
      return severity;
    }

    @Override
    public String getSeverityText() {
      return severityText;
    }

    @Override
    @Deprecated
    public Body getBody() {
      return Body.string(body);
    }

    @Override
    public Value<?> getBodyValue() {
      return Value.of(body);
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public int getTotalAttributeCount() {
      return attributes.size();
    }

    @Override
    public String getEventName() {
      return eventName;
    }
  }
}
