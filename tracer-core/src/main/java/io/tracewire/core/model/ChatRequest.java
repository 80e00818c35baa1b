package io.tracewire.core.model;

import io.tracewire.core.util.Frozen;

import java.util.List;
import java.util.Map;

/**
 * The resolved parameters of one chat-model call: the model's own settings overridden by what
 * was bound with {@code bind(...)}. {@code null} means "not set" (the provider's default).
 * {@code configurable} holds the call's runtime configurable values. Immutable.
 *
 * @param stop stop sequences, or {@code null}
 * @param tools tool definitions bound to the call (OpenAI-style function maps), never {@code null}
 * @param extra other bound arguments, by name
 */
public record ChatRequest(String model, Double temperature, Integer maxTokens, List<String> stop,
    List<Map<String, Object>> tools, Map<String, Object> extra, Map<String, Object> configurable) {
  public ChatRequest {
    stop = stop == null ? null : List.copyOf(stop);
    tools = tools == null ? List.of() : List.copyOf(tools);
    extra = Frozen.map(extra);
    configurable = Frozen.map(configurable);
  }
}
