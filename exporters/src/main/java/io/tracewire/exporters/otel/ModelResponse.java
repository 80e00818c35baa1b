package io.tracewire.exporters.otel;

import static io.tracewire.exporters.otel.GenAiMapping.FINISH_REASON_KEYS;
import static io.tracewire.exporters.otel.GenAiMapping.RESPONSE_MODEL_KEYS;

import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.UsageMetadata;
import io.tracewire.core.model.LLMResult;
import java.util.List;
import java.util.Map;

/**
 * What a model run's end output ({@code AIMessage}, {@code AIMessageChunk} or {@code LLMResult})
 * says about the response, read the same way for spans ({@link SpanMapper}) and log records
 * ({@link LogRecords}). Immutable value; {@code null} components are unknown.
 *
 * @param id the response id as given by the provider, or {@code null} when it is one tracer-core
 *     made up ({@code run-} / {@code lc_run-} prefixes)
 * @param usage the token usage
 * @param finishReason the first finish reason of the response or its first generation
 * @param model the model that answered, from the response metadata
 */
record ModelResponse(String id, UsageMetadata usage, String finishReason, String model) {

  static ModelResponse of(Object output) {
    Map<String, Object> metadata = Map.of();
    String id = null;
    UsageMetadata usage = null;
    String finishReason = null;
    if (output instanceof AIMessage m) {
      metadata = m.responseMetadata();
      id = m.id();
      usage = m.usageMetadata();
    } else if (output instanceof AIMessageChunk c) {
      metadata = c.responseMetadata();
      id = c.id();
      usage = c.usageMetadata();
    } else if (output instanceof LLMResult r) {
      if (r.llmOutput() != null) {
        metadata = r.llmOutput();
      }
      if (!r.generations().isEmpty() && !r.generations().get(0).isEmpty()
          && r.generations().get(0).get(0).generationInfo() != null) {
        finishReason = firstString(r.generations().get(0).get(0).generationInfo(), FINISH_REASON_KEYS);
      }
    }
    if (finishReason == null) {
      finishReason = firstString(metadata, FINISH_REASON_KEYS);
    }
    if (id != null && (id.startsWith("lc_run-") || id.startsWith("run-"))) {
      id = null;
    }
    return new ModelResponse(id, usage, finishReason, firstString(metadata, RESPONSE_MODEL_KEYS));
  }

  private static String firstString(Map<String, Object> m, List<String> keys) {
    for (String k : keys) {
      if (m.get(k) instanceof String s && !s.isEmpty()) {
        return s;
      }
    }
    return null;
  }
}
