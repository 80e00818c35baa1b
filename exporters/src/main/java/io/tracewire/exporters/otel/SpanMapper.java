package io.tracewire.exporters.otel;

import static io.tracewire.exporters.otel.GenAiMapping.*;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.tracewire.core.event.RunType;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import io.tracewire.core.model.GenerationChunk;
import io.tracewire.core.retriever.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes what a run's events say onto its span and the GenAI metrics: span name, kind and
 * attributes at start, stream chunks (timing, {@link ChunkFidelity} events), and response,
 * usage, error and opt-in content ({@link ContentCapture}) at the end. Every name comes from
 * {@link GenAiMapping}. It starts spans but does not end them ({@link SpanBookkeeping} does).
 *
 * <p>Threading: stateless between calls apart from the {@link RunState} it is handed, so it is
 * called concurrently for different runs and in order for one run. Exceptions propagate to
 * {@link OtelBridge}, which isolates them from the host application.
 */
final class SpanMapper {
  private final Tracer tracer;
  private final boolean captureContent;
  /** Whether OpenInference attributes go beside the GenAI ones ({@link OtelBridge.Builder#openInference}). */
  private final boolean openInference;
  private final ContentCapture content;
  private final ChunkFidelity fidelity;
  private final DoubleHistogram operationDuration;
  private final LongHistogram tokenUsage;
  private final DoubleHistogram timeToFirstChunk;
  private final DoubleHistogram timePerOutputChunk;
  private final DoubleHistogram mcpClientDuration;
  private final DoubleHistogram mcpServerDuration;

  SpanMapper(OpenTelemetry otel, io.opentelemetry.api.metrics.MeterProvider meters, OtelBridge.Builder b) {
    this.tracer = otel.getTracer(OtelBridge.INSTRUMENTATION_SCOPE);
    this.captureContent = b.captureContent;
    this.openInference = b.openInference;
    this.content = new ContentCapture(b.maxContentLength, b.redactor);
    this.fidelity = b.chunkFidelity;
    Meter meter = meters.get(OtelBridge.INSTRUMENTATION_SCOPE);
    this.operationDuration = meter.histogramBuilder(METRIC_OPERATION_DURATION).setUnit("s")
        .setDescription("GenAI operation duration").setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    this.tokenUsage = meter.histogramBuilder(METRIC_TOKEN_USAGE).ofLongs().setUnit("{token}")
        .setDescription("Number of input and output tokens used").setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS).build();
    this.timeToFirstChunk = meter.histogramBuilder(METRIC_TIME_TO_FIRST_CHUNK).setUnit("s")
        .setDescription("Time to receive the first chunk of a streamed response")
        .setExplicitBucketBoundariesAdvice(CHUNK_BUCKETS).build();
    this.timePerOutputChunk = meter.histogramBuilder(METRIC_TIME_PER_OUTPUT_CHUNK).setUnit("s")
        .setDescription("Time between consecutive chunks of a streamed response, after the first")
        .setExplicitBucketBoundariesAdvice(CHUNK_BUCKETS).build();
    this.mcpClientDuration = meter.histogramBuilder(METRIC_MCP_CLIENT_DURATION).setUnit("s")
        .setDescription("The duration of the MCP request or notification as observed on the sender from the time it was sent until the response or ack is received")
        .setExplicitBucketBoundariesAdvice(MCP_DURATION_BUCKETS).build();
    this.mcpServerDuration = meter.histogramBuilder(METRIC_MCP_SERVER_DURATION).setUnit("s")
        .setDescription("MCP request or notification duration as observed on the receiver from the time it was received until the result or ack is sent")
        .setExplicitBucketBoundariesAdvice(MCP_DURATION_BUCKETS).build();
  }

  // ---------------------------------------------------------------- start

  /**
   * Starts the span of a run as a child of {@code parent} with its start attributes, and returns
   * the run's state (owned by {@code here}, counting against the limit when {@code limited}).
   */
  RunState start(RunType type, StreamEvent e, Context parent, SpanBookkeeping.Local here, boolean limited) {
    Map<String, Object> md = e.metadata();
    boolean model = isModel(type);
    String name = e.name();
    String mcp = mcpMethod(type, md);
    String spanName = mcp != null ? mcpSpanName(mcp, type, name) : spanName(type, name, md);
    SpanBuilder sb = tracer.spanBuilder(spanName)
        .setParent(parent)
        .setSpanKind(mcp != null ? mcpKind(md) : kind(type))
        .setStartTimestamp(e.timestampNanos(), NANOSECONDS)
        .setAttribute(RUN_ID, e.runId())
        .setAttribute(RUN_TYPE, type.name())
        // the common outcome, set with the others; an error or cancel replaces it at the end
        .setAttribute(RUN_OUTCOME, OUTCOME_END);
    if (!spanName.equals(name)) {
      // spans named after the run already carry its name
      sb.setAttribute(RUN_NAME, name);
    }
    Attributes metricAttrs = null;
    String op = operationName(type);
    if (op != null) {
      sb.setAttribute(OPERATION_NAME, op);
    } else if (isAgent(type, name, md)) {
      sb.setAttribute(OPERATION_NAME, OP_INVOKE_AGENT).setAttribute(AGENT_NAME, name);
    }
    List<String> tags = e.tags();
    if (!tags.isEmpty()) {
      tags(sb, tags);
    }
    if (!md.isEmpty()) {
      metadata(sb, md, mcp != null);
    }
    if (mcp != null) {
      metricAttrs = mcpStart(sb, type, name, md);
    }
    if (model) {
      metricAttrs = modelStart(sb, op, md, e);
    } else if (type == RunType.TOOL) {
      sb.setAttribute(TOOL_NAME, name);
    }
    if (openInference) {
      openInferenceStart(sb, type, name, md);
    }
    Span span = sb.startSpan();
    Context context = parent.with(span);
    RunState st = new RunState(e.runId(), span, context, type, e.timestampNanos(), model, metricAttrs, here, limited);
    if (mcp != null) {
      st.mcpDuration = mcpKind(md) == io.opentelemetry.api.trace.SpanKind.SERVER ? mcpServerDuration : mcpClientDuration;
    }
    return st;
  }

  /** The MCP keys as span attributes under their own names; returns the MCP duration metric's attributes. */
  private static Attributes mcpStart(SpanBuilder sb, RunType type, String name, Map<String, Object> md) {
    AttributesBuilder ma = Attributes.builder();
    for (String k : MCP_KEYS) {
      if (md.get(k) instanceof String v) {
        sb.setAttribute(k, v);
        if (!k.equals("jsonrpc.request.id") && !k.equals("mcp.session.id") && !k.equals("mcp.resource.uri")) {
          ma.put(k, v);
        }
      }
    }
    if (type == RunType.TOOL) {
      ma.put(TOOL_NAME, name);
    }
    return ma.build();
  }

  private static void tags(SpanBuilder sb, List<String> tags) {
    sb.setAttribute(RUN_TAGS, tags);
    for (String t : tags) {
      if (t.startsWith(RETRY_TAG_PREFIX)) {
        try {
          sb.setAttribute(RETRY_ATTEMPT, Long.parseLong(t.substring(RETRY_TAG_PREFIX.length())));
        } catch (NumberFormatException ignored) {
          // not a retry tag of tracer-core's shape
        }
      }
    }
  }

  /** The request attributes of a model run; returns the run's metric attributes. */
  private Attributes modelStart(SpanBuilder sb, String op, Map<String, Object> md, StreamEvent e) {
    String provider = providerName(md.get(LS_PROVIDER));
    sb.setAttribute(PROVIDER_NAME, provider);
    AttributesBuilder ma = Attributes.builder().put(OPERATION_NAME, op).put(PROVIDER_NAME, provider);
    if (md.get(LS_MODEL_NAME) instanceof String m) {
      sb.setAttribute(REQUEST_MODEL, m);
      ma.put(REQUEST_MODEL, m);
    }
    if (md.get(LS_TEMPERATURE) instanceof Number t) {
      sb.setAttribute(REQUEST_TEMPERATURE, t.doubleValue());
    }
    if (md.get(LS_MAX_TOKENS) instanceof Number n) {
      sb.setAttribute(REQUEST_MAX_TOKENS, n.longValue());
    }
    Object stop = md.get(LS_STOP);
    if (stop instanceof String s) {
      sb.setAttribute(REQUEST_STOP_SEQUENCES, List.of(s));
    } else if (stop instanceof List<?> l && !l.isEmpty()) {
      List<String> ss = new ArrayList<>(l.size());
      for (Object o : l) {
        ss.add(String.valueOf(o));
      }
      sb.setAttribute(REQUEST_STOP_SEQUENCES, ss);
    }
    if (captureContent) {
      String msgs = content.inputMessages(e.dataValue("input"));
      if (msgs != null) {
        sb.setAttribute(INPUT_MESSAGES, msgs);
        if (openInference) {
          sb.setAttribute(OI_INPUT_VALUE, msgs);
          sb.setAttribute(OI_INPUT_MIME_TYPE, OI_MIME_JSON);
          if (e.dataValue("input") instanceof Map<?, ?> in && in.get("messages") instanceof List<?> batches
              && !batches.isEmpty() && batches.get(0) instanceof List<?> first) {
            sb.setAllAttributes(openInferenceMessages(OI_INPUT_MESSAGES, first));
          }
        }
      }
    }
    return ma.build();
  }

  /** The OpenInference start attributes: span kind; model name and provider of model runs; tool name. */
  private static void openInferenceStart(SpanBuilder sb, RunType type, String name, Map<String, Object> md) {
    sb.setAttribute(OI_SPAN_KIND, openInferenceKind(type, name, md));
    if (isModel(type)) {
      // the requested model; the end replaces it with the model that answered, when known
      if (md.get(LS_MODEL_NAME) instanceof String m) {
        sb.setAttribute(OI_LLM_MODEL_NAME, m);
      }
      String provider = openInferenceProvider(md.get(LS_PROVIDER));
      if (provider != null) {
        sb.setAttribute(OI_LLM_PROVIDER, provider);
      }
    } else if (type == RunType.TOOL) {
      sb.setAttribute(OI_TOOL_NAME, name);
    }
  }

  private void metadata(SpanBuilder sb, Map<String, Object> md, boolean mcp) {
    for (Map.Entry<String, Object> en : md.entrySet()) {
      String k = en.getKey();
      if (k.startsWith("ls_") || (mcp && (MCP_KEYS.contains(k) || k.equals(MCP_SIDE)))) {
        continue;
      }
      Object v = en.getValue();
      String key = METADATA_PREFIX + k;
      if (v instanceof Boolean b) {
        sb.setAttribute(AttributeKey.booleanKey(key), b);
      } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
        sb.setAttribute(AttributeKey.longKey(key), ((Number) v).longValue());
      } else if (v instanceof Number n) {
        sb.setAttribute(AttributeKey.doubleKey(key), n.doubleValue());
      } else if (v != null) {
        String s = content.render(key, v);
        if (s != null) {
          sb.setAttribute(AttributeKey.stringKey(key), s);
        }
      }
    }
  }

  // ---------------------------------------------------------------- custom events and stream

  /** A custom event of a run that has not ended: a span event named after it. */
  static void customEvent(RunState st, StreamEvent e) {
    Span span = st.span;
    if (span != null) {
      span.addEvent(CUSTOM_EVENT, Attributes.of(CUSTOM_EVENT_NAME, e.name()), e.timestampNanos(), NANOSECONDS);
    }
  }

  /** A stream chunk of an open model run: chunk timing and, per the fidelity, a span event. */
  void chunk(RunState st, StreamEvent e) {
    long now = e.timestampNanos();
    long index = st.chunks++;
    if (index == 0) {
      double ttfc = seconds(now - st.startNanos);
      st.span.setAttribute(RESPONSE_TIME_TO_FIRST_CHUNK, ttfc);
      timeToFirstChunk.record(ttfc, st.metricAttrs);
    } else {
      timePerOutputChunk.record(seconds(now - st.lastChunkNanos), st.metricAttrs);
    }
    st.lastChunkNanos = now;
    Object chunk = e.dataValue("chunk");
    if (fidelity.recordsOnArrival(index)) {
      chunkEvent(st, index, chunk, now);
      st.lastRecorded = index;
    } else if (fidelity.mode() == ChunkFidelity.Mode.FIRST_AND_LAST) {
      st.lastChunk = captureContent ? chunk : null;
    }
  }

  private void chunkEvent(RunState st, long index, Object chunk, long atNanos) {
    AttributesBuilder a = Attributes.builder().put(CHUNK_INDEX, index);
    if (captureContent && chunk != null) {
      String text = chunk instanceof BaseMessage m ? m.text()
          : chunk instanceof GenerationChunk g ? g.text() : String.valueOf(chunk);
      String s = content.limit(CHUNK_CONTENT.getKey(), text);
      if (s != null) {
        a.put(CHUNK_CONTENT, s);
      }
    }
    st.span.addEvent(CHUNK_EVENT, a.build(), atNanos, NANOSECONDS);
  }

  // ---------------------------------------------------------------- end / error / cancel

  /**
   * The end attributes of a run ({@code outcome} is one of the {@code OUTCOME_*} constants) and
   * its operation metrics; the caller ends the span afterwards, also when this throws.
   */
  void end(RunState st, StreamEvent e, String outcome, long endNanos) {
    Span span = st.span;
    String errorType = null;
    if (outcome != OUTCOME_END) {
      span.setAttribute(RUN_OUTCOME, outcome);
    }
    if (outcome == OUTCOME_ERROR) {
      Object err = e.dataValue("error");
      Throwable t = err instanceof Throwable th ? th : null;
      errorType = t != null ? t.getClass().getName() : ERROR_TYPE_OTHER;
      if (st.mcpDuration != null && MCP_TOOL_ERROR_CLASS.equals(errorType)) {
        // a result with isError: the MCP conventions' value for it
        errorType = MCP_TOOL_ERROR;
      }
      span.setAttribute(ERROR_TYPE, errorType);
      if (t != null) {
        span.recordException(t, Attributes.empty());
      }
      span.setStatus(StatusCode.ERROR, t != null && t.getMessage() != null ? t.getMessage() : errorType);
    } else if (outcome == OUTCOME_CANCEL) {
      span.addEvent(CANCEL_EVENT, endNanos, NANOSECONDS);
    }
    if (st.mcpDuration != null) {
      Attributes ma = errorType == null ? st.metricAttrs : st.metricAttrs.toBuilder().put(ERROR_TYPE, errorType).build();
      st.mcpDuration.record(seconds(endNanos - st.startNanos), ma);
    }
    if (st.model) {
      modelEnd(st, e.dataValue("output"), errorType, endNanos);
    } else if (captureContent) {
      contentEnd(st, e, e.dataValue("output"));
    }
    if (openInference && st.type == RunType.RETRIEVER && e.dataValue("output") instanceof List<?> docs) {
      retrievalDocuments(span, docs);
    }
    if (st.type == RunType.TOOL) {
      Object id = e.dataValue("tool_call_id");
      if (id == null && e.dataValue("output") instanceof ToolMessage tm) {
        id = tm.toolCallId();
      }
      if (id instanceof String s) {
        span.setAttribute(TOOL_CALL_ID, s);
      }
    }
  }

  private void contentEnd(RunState st, StreamEvent e, Object output) {
    boolean tool = st.type == RunType.TOOL;
    if (e.hasData("input")) {
      content(st.span, tool ? TOOL_CALL_ARGUMENTS : RUN_INPUT, e.dataValue("input"), OI_INPUT_VALUE, OI_INPUT_MIME_TYPE);
    }
    if (e.hasData("output")) {
      Object o = output instanceof ToolMessage tm ? tm.content() : output;
      content(st.span, tool ? TOOL_CALL_RESULT : RUN_OUTPUT, o, OI_OUTPUT_VALUE, OI_OUTPUT_MIME_TYPE);
    }
  }

  /**
   * Records a run's input or output under {@code key} (rendered, redacted, limited) and, with
   * OpenInference, the same string as {@code oiValue} with its MIME type in {@code oiMime}.
   */
  private void content(Span span, AttributeKey<String> key, Object value, AttributeKey<String> oiValue,
      AttributeKey<String> oiMime) {
    String s = content.render(key.getKey(), value);
    if (s == null) {
      return;
    }
    span.setAttribute(key, s);
    if (openInference) {
      span.setAttribute(oiValue, s);
      span.setAttribute(oiMime, value instanceof String ? OI_MIME_TEXT : OI_MIME_JSON);
    }
  }

  /**
   * {@code retrieval.documents.<i>.document.*} of a retriever's output: id and metadata (a JSON
   * string, redacted and limited like span metadata) always, content only with content capture.
   */
  private void retrievalDocuments(Span span, List<?> docs) {
    for (int i = 0; i < docs.size(); i++) {
      if (!(docs.get(i) instanceof Document d)) {
        continue;
      }
      String prefix = OI_RETRIEVAL_DOCUMENTS + i;
      if (d.id() != null) {
        span.setAttribute(AttributeKey.stringKey(prefix + OI_DOCUMENT_ID), d.id());
      }
      if (captureContent && d.pageContent() != null) {
        String key = prefix + OI_DOCUMENT_CONTENT;
        String text = content.limit(key, d.pageContent());
        if (text != null) {
          span.setAttribute(AttributeKey.stringKey(key), text);
        }
      }
      if (d.metadata() != null && !d.metadata().isEmpty()) {
        String key = prefix + OI_DOCUMENT_METADATA;
        String json = content.render(key, d.metadata());
        if (json != null) {
          span.setAttribute(AttributeKey.stringKey(key), json);
        }
      }
    }
  }

  private void modelEnd(RunState st, Object output, String errorType, long endNanos) {
    Span span = st.span;
    span.setAttribute(REQUEST_STREAM, st.chunks > 0);
    if (st.chunks > 0) {
      span.setAttribute(STREAM_CHUNKS, st.chunks);
      long last = st.chunks - 1;
      if (fidelity.mode() == ChunkFidelity.Mode.FIRST_AND_LAST && last > 0 && st.lastRecorded != last) {
        chunkEvent(st, last, st.lastChunk, st.lastChunkNanos);
      }
    }
    ModelResponse response = ModelResponse.of(output);
    UsageMetadata usage = response.usage();
    String finishReason = response.finishReason();
    String responseModel = response.model();
    if (responseModel != null) {
      span.setAttribute(RESPONSE_MODEL, responseModel);
      if (openInference) {
        span.setAttribute(OI_LLM_MODEL_NAME, responseModel);
      }
    }
    String responseId = response.id();
    if (responseId != null) {
      span.setAttribute(RESPONSE_ID, responseId);
    }
    if (finishReason != null) {
      span.setAttribute(RESPONSE_FINISH_REASONS, List.of(finishReason));
    }
    AttributesBuilder mb = st.metricAttrs.toBuilder();
    if (responseModel != null) {
      mb.put(RESPONSE_MODEL, responseModel);
    }
    if (usage != null) {
      span.setAttribute(USAGE_INPUT_TOKENS, usage.inputTokens());
      span.setAttribute(USAGE_OUTPUT_TOKENS, usage.outputTokens());
      if (usage.inputTokenDetails() != null) {
        if (usage.inputTokenDetails().cacheCreation() != null) {
          span.setAttribute(USAGE_CACHE_CREATION_INPUT_TOKENS, usage.inputTokenDetails().cacheCreation());
        }
        if (usage.inputTokenDetails().cacheRead() != null) {
          span.setAttribute(USAGE_CACHE_READ_INPUT_TOKENS, usage.inputTokenDetails().cacheRead());
        }
      }
      if (usage.outputTokenDetails() != null && usage.outputTokenDetails().reasoning() != null) {
        span.setAttribute(USAGE_REASONING_OUTPUT_TOKENS, usage.outputTokenDetails().reasoning());
      }
      if (openInference) {
        openInferenceUsage(span, usage);
      }
      Attributes base = mb.build();
      tokenUsage.record(usage.inputTokens(), base.toBuilder().put(TOKEN_TYPE, TOKEN_TYPE_INPUT).build());
      tokenUsage.record(usage.outputTokens(), base.toBuilder().put(TOKEN_TYPE, TOKEN_TYPE_OUTPUT).build());
    }
    if (errorType != null) {
      mb.put(ERROR_TYPE, errorType);
    }
    operationDuration.record(seconds(endNanos - st.startNanos), mb.build());
    if (captureContent && output != null) {
      String out = content.outputMessages(output, finishReason);
      if (out != null) {
        span.setAttribute(OUTPUT_MESSAGES, out);
        if (openInference) {
          span.setAttribute(OI_OUTPUT_VALUE, out);
          span.setAttribute(OI_OUTPUT_MIME_TYPE, OI_MIME_JSON);
          if (output instanceof BaseMessage) {
            span.setAllAttributes(openInferenceMessages(OI_OUTPUT_MESSAGES, List.of(output)));
          }
        }
      }
    }
  }

  /**
   * {@code llm.input_messages.<i>.message.role|content} (or {@code llm.output_messages}) of chat
   * messages, the flattened lists Phoenix shows as a conversation; the text is redacted and limited
   * like all content. Only with OpenInference and content capture.
   */
  private Attributes openInferenceMessages(String list, List<?> messages) {
    AttributesBuilder a = Attributes.builder();
    for (int i = 0; i < messages.size(); i++) {
      Object o = messages.get(i);
      String prefix = list + i;
      a.put(prefix + OI_MESSAGE_ROLE, o instanceof BaseMessage m ? role(m.type()) : "user");
      String key = prefix + OI_MESSAGE_CONTENT;
      String text = content.limit(key, o instanceof BaseMessage m ? m.text() : String.valueOf(o));
      if (text != null) {
        a.put(key, text);
      }
    }
    return a.build();
  }

  /** {@code llm.token_count.*}: prompt, completion and total, and the cache and reasoning details. */
  private static void openInferenceUsage(Span span, UsageMetadata usage) {
    span.setAttribute(OI_TOKEN_COUNT_PROMPT, usage.inputTokens());
    span.setAttribute(OI_TOKEN_COUNT_COMPLETION, usage.outputTokens());
    span.setAttribute(OI_TOKEN_COUNT_TOTAL, usage.totalTokens());
    var in = usage.inputTokenDetails();
    if (in != null && in.cacheRead() != null) {
      span.setAttribute(OI_TOKEN_COUNT_CACHE_READ, in.cacheRead());
    }
    if (in != null && in.cacheCreation() != null) {
      span.setAttribute(OI_TOKEN_COUNT_CACHE_WRITE, in.cacheCreation());
    }
    var out = usage.outputTokenDetails();
    if (out != null && out.reasoning() != null) {
      span.setAttribute(OI_TOKEN_COUNT_REASONING, out.reasoning());
    }
  }

  private static double seconds(long nanos) {
    return Math.max(0, nanos) / 1e9;
  }
}
