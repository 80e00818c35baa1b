package io.tracewire.core.model;

import io.tracewire.core.util.Frozen;

import java.util.List;
import java.util.Map;

/**
 * The result of an LLM run (LangChain's {@code LLMResult}): one list of generations per prompt,
 * and provider output ({@code llmOutput}, may be {@code null}). Immutable.
 */
public record LLMResult(List<List<Generation>> generations, Map<String, Object> llmOutput) {
  public LLMResult {
    generations = generations.stream().map(List::copyOf).toList();
    llmOutput = llmOutput == null ? null : Frozen.map(llmOutput);
  }
}
