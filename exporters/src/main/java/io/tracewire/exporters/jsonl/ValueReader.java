package io.tracewire.exporters.jsonl;

import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ChunkPosition;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.OutputTokenDetails;
import io.tracewire.core.message.SystemMessage;
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.ToolCallChunk;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import io.tracewire.core.model.Generation;
import io.tracewire.core.model.GenerationChunk;
import io.tracewire.core.model.LLMResult;
import io.tracewire.core.prompt.PromptValue;
import io.tracewire.core.retriever.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How decoded JSON values become typed values again: an object whose {@code "type"} is one of the
 * format's discriminators becomes that message, document, prompt value, LLM result or generation
 * (with its tool calls, tool call chunks and usage metadata); other objects stay maps. The
 * field checks of the format live here: a field of the wrong JSON type, or a required field
 * missing, is a {@link JsonlFormatException} naming it. Stateless.
 */
final class ValueReader {
  private ValueReader() {}

  /** Turns an object with a known "type" discriminator into its record. */
  static Object typed(Map<String, Object> m) {
    if (!(m.get("type") instanceof String type)) {
      return m;
    }
    switch (type) {
      case JsonlFields.T_SYSTEM:
        return new SystemMessage(content(m), optString(m, "id"), optString(m, "name"));
      case JsonlFields.T_HUMAN:
        return new HumanMessage(content(m), optString(m, "id"), optString(m, "name"));
      case JsonlFields.T_AI:
        return new AIMessage(content(m), optString(m, "id"), optString(m, "name"), optMap(m, "additional_kwargs"),
            optMap(m, "response_metadata"), toolCalls(m.get("tool_calls")), usage(m.get("usage_metadata")));
      case JsonlFields.T_AI_CHUNK: {
        Object pos = m.get("chunk_position");
        ChunkPosition cp;
        if (pos == null) {
          cp = null;
        } else if (ChunkPosition.LAST.wireValue().equals(pos)) {
          cp = ChunkPosition.LAST;
        } else {
          throw new JsonlFormatException("unknown chunk_position " + pos);
        }
        return new AIMessageChunk(content(m), optString(m, "id"), optString(m, "name"), optMap(m, "additional_kwargs"),
            optMap(m, "response_metadata"), toolCallChunks(m.get("tool_call_chunks")), usage(m.get("usage_metadata")), cp);
      }
      case JsonlFields.T_TOOL:
        return new ToolMessage(content(m), reqString(m, "tool_call_id"), optString(m, "name"),
            optString(m, "status"), optString(m, "id"));
      case JsonlFields.T_DOCUMENT:
        return new Document(reqString(m, "page_content"), optMap(m, "metadata"), optString(m, "id"));
      case JsonlFields.T_CHAT_PROMPT: {
        List<BaseMessage> msgs = new ArrayList<>();
        for (Object o : list(m.get("messages"), "messages")) {
          if (!(o instanceof BaseMessage bm)) {
            throw new JsonlFormatException("ChatPromptValue.messages must hold messages");
          }
          msgs.add(bm);
        }
        return new PromptValue.Chat(msgs);
      }
      case JsonlFields.T_STRING_PROMPT:
        return new PromptValue.Text(reqString(m, "text"));
      case JsonlFields.T_LLM_RESULT: {
        List<List<Generation>> gens = new ArrayList<>();
        for (Object row : list(m.get("generations"), "generations")) {
          List<Generation> r = new ArrayList<>();
          for (Object o : list(row, "generations[]")) {
            if (!(o instanceof Generation gen)) {
              throw new JsonlFormatException("LLMResult.generations must hold Generation objects");
            }
            r.add(gen);
          }
          gens.add(r);
        }
        return new LLMResult(gens, nullableMap(m, "llm_output"));
      }
      case JsonlFields.T_GENERATION:
        return new Generation(reqString(m, "text"), nullableMap(m, "generation_info"));
      case JsonlFields.T_GENERATION_CHUNK:
        return new GenerationChunk(reqString(m, "text"), nullableMap(m, "generation_info"));
      default:
        return m;
    }
  }

  private static Object content(Map<String, Object> m) {
    Object c = m.get("content");
    if (c instanceof String || c instanceof List<?>) {
      return c;
    }
    throw new JsonlFormatException(m.get("type") + ".content must be a string or a list");
  }

  private static String optString(Map<String, Object> m, String k) {
    Object v = m.get(k);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new JsonlFormatException(k + " must be a string");
  }

  private static String reqString(Map<String, Object> m, String k) {
    String s = optString(m, k);
    if (s == null) {
      throw new JsonlFormatException(m.get("type") + "." + k + " is required");
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> optMap(Map<String, Object> m, String k) {
    Object v = m.get(k);
    if (v == null) {
      return Map.of();
    }
    if (v instanceof Map<?, ?> mm) {
      return (Map<String, Object>) mm;
    }
    throw new JsonlFormatException(k + " must be an object");
  }

  private static Map<String, Object> nullableMap(Map<String, Object> m, String k) {
    return m.get(k) == null ? null : optMap(m, k);
  }

  private static List<?> list(Object v, String what) {
    if (v instanceof List<?> l) {
      return l;
    }
    throw new JsonlFormatException(what + " must be an array");
  }

  private static List<ToolCall> toolCalls(Object v) {
    List<ToolCall> out = new ArrayList<>();
    for (Map<String, Object> m : objects(v, "tool_calls")) {
      out.add(new ToolCall(reqString(m, "name"), optMap(m, "args"), optString(m, "id")));
    }
    return out;
  }

  private static List<ToolCallChunk> toolCallChunks(Object v) {
    List<ToolCallChunk> out = new ArrayList<>();
    for (Map<String, Object> m : objects(v, "tool_call_chunks")) {
      Object idx = m.get("index");
      if (idx != null && !(idx instanceof Integer)) {
        throw new JsonlFormatException("tool_call_chunks[].index must be an integer");
      }
      out.add(new ToolCallChunk(optString(m, "name"), optString(m, "args"), optString(m, "id"), (Integer) idx));
    }
    return out;
  }

  /** The objects of an optional array field ({@code null} is empty). */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> objects(Object v, String what) {
    if (v == null) {
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : list(v, what)) {
      if (!(o instanceof Map<?, ?> raw)) {
        throw new JsonlFormatException(what + " must hold objects");
      }
      out.add((Map<String, Object>) raw);
    }
    return out;
  }

  private static UsageMetadata usage(Object v) {
    if (v == null) {
      return null;
    }
    if (!(v instanceof Map<?, ?> raw)) {
      throw new JsonlFormatException("usage_metadata must be an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) raw;
    InputTokenDetails in = null;
    if (m.get("input_token_details") != null) {
      Map<String, Object> d = optMap(m, "input_token_details");
      in = new InputTokenDetails(optLong(d, "cache_creation"), optLong(d, "cache_read"), optLong(d, "audio"));
    }
    OutputTokenDetails out = null;
    if (m.get("output_token_details") != null) {
      Map<String, Object> d = optMap(m, "output_token_details");
      out = new OutputTokenDetails(optLong(d, "reasoning"), optLong(d, "audio"));
    }
    return new UsageMetadata(reqLong(m, "input_tokens"), reqLong(m, "output_tokens"), reqLong(m, "total_tokens"), in, out);
  }

  static Long optLong(Map<String, Object> m, String k) {
    Object v = m.get(k);
    if (v == null) {
      return null;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    throw new JsonlFormatException(k + " must be an integer");
  }

  static long reqLong(Map<String, Object> m, String k) {
    Long v = optLong(m, k);
    if (v == null) {
      throw new JsonlFormatException(k + " is required");
    }
    return v;
  }

  static List<String> stringList(Object v, String k) {
    List<String> out = new ArrayList<>();
    for (Object o : list(v, k)) {
      if (!(o instanceof String s)) {
        throw new JsonlFormatException(k + " must hold strings");
      }
      out.add(s);
    }
    return out;
  }
}
