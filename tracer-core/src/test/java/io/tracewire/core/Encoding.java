package io.tracewire.core;

import io.tracewire.core.model.Generation;
import io.tracewire.core.model.GenerationChunk;
import io.tracewire.core.model.LLMResult;
import io.tracewire.core.prompt.PromptValue;
import io.tracewire.core.retriever.Document;

import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ToolMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Encodes event values the way the conformance files write them (plain JSON values, typed objects). */
final class Encoding {
  private Encoding() {}

  static Object plain(Object o) {
    if (o == null || o instanceof String || o instanceof Boolean) {
      return o;
    }
    if (o instanceof Number n) {
      return n instanceof Double || n instanceof Float ? (Object) n.doubleValue() : (Object) n.longValue();
    }
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
      return out;
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(plain(v)));
      return out;
    }
    if (o instanceof BaseMessage m) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("type", m.type());
      out.put("content", plain(m.content()));
      if (m.id() != null) out.put("id", m.id());
      if (m.name() != null) out.put("name", m.name());
      if (m instanceof AIMessage a) {
        if (!a.additionalKwargs().isEmpty()) out.put("additional_kwargs", plain(a.additionalKwargs()));
        if (!a.responseMetadata().isEmpty()) out.put("response_metadata", plain(a.responseMetadata()));
        if (!a.toolCalls().isEmpty()) out.put("tool_calls", plain(a.toolCalls().stream().map(t -> Map.of("name", t.name(), "args", t.args(), "id", String.valueOf(t.id()))).toList()));
        if (a.usageMetadata() != null) out.put("usage_metadata", plain(usage(a.usageMetadata())));
      }
      if (m instanceof AIMessageChunk a) {
        if (!a.additionalKwargs().isEmpty()) out.put("additional_kwargs", plain(a.additionalKwargs()));
        if (!a.responseMetadata().isEmpty()) out.put("response_metadata", plain(a.responseMetadata()));
        if (a.usageMetadata() != null) out.put("usage_metadata", plain(usage(a.usageMetadata())));
        if (a.chunkPosition() != null) out.put("chunk_position", "last");
      }
      if (m instanceof ToolMessage t) {
        out.put("tool_call_id", t.toolCallId());
      }
      return out;
    }
    if (o instanceof Document d) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("type", "Document");
      out.put("page_content", d.pageContent());
      out.put("metadata", plain(d.metadata()));
      if (d.id() != null) out.put("id", d.id());
      return out;
    }
    if (o instanceof PromptValue.Chat c) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("type", "ChatPromptValue");
      out.put("messages", plain(c.messages()));
      return out;
    }
    if (o instanceof LLMResult r) {
      Map<String, Object> out = new LinkedHashMap<>();
      List<Object> gens = new ArrayList<>();
      for (List<Generation> l : r.generations()) {
        List<Object> inner = new ArrayList<>();
        for (Generation g : l) {
          Map<String, Object> gm = new LinkedHashMap<>();
          gm.put("text", g.text());
          gm.put("generation_info", plain(g.generationInfo()));
          gm.put("type", "Generation");
          inner.add(gm);
        }
        gens.add(inner);
      }
      out.put("generations", gens);
      out.put("llm_output", plain(r.llmOutput()));
      return out;
    }
    if (o instanceof GenerationChunk g) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("type", "GenerationChunk");
      out.put("text", g.text());
      out.put("generation_info", plain(g.generationInfo()));
      return out;
    }
    if (o instanceof Throwable t) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("type", pythonName(t));
      out.put("message", t.getMessage());
      return out;
    }
    return o.toString();
  }

  static Map<String, Object> usage(io.tracewire.core.message.UsageMetadata u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input_tokens", u.inputTokens());
    m.put("output_tokens", u.outputTokens());
    m.put("total_tokens", u.totalTokens());
    return m;
  }

  /** The Python exception a Java exception stands for in the conformance files. */
  static String pythonName(Throwable t) {
    if (t instanceof IllegalArgumentException) return "ValueError";
    if (t instanceof UnsupportedOperationException) return "NotImplementedError";
    if (t instanceof IllegalStateException) return "RuntimeError";
    return t.getClass().getSimpleName();
  }
}
