package io.tracewire.adapters.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracewire.core.model.ChatRequest;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import java.util.List;
import java.util.Map;

/** Request-building helpers shared by the provider mappers. */
public final class Wire {
  private Wire() {}

  /** An AI message from history (chunks are converted to complete messages). */
  public static AIMessage ai(BaseMessage m) {
    return m instanceof AIMessageChunk c ? c.toMessage() : (AIMessage) m;
  }

  /** The function part of an OpenAI-style tool map ({@code {"type":"function","function":{...}}} or the function itself). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> function(Map<String, Object> tool) {
    Object f = tool.get("function");
    return f instanceof Map<?, ?> m ? (Map<String, Object>) m : tool;
  }

  /** Puts every {@code extra} argument into the body, except the keys the core interprets. */
  public static void putExtra(ObjectNode body, ChatRequest r, List<String> skip) {
    for (Map.Entry<String, Object> e : r.extra().entrySet()) {
      if (!e.getKey().equals("stream") && !skip.contains(e.getKey())) {
        body.set(e.getKey(), Json.MAPPER.valueToTree(e.getValue()));
      }
    }
  }

  public static ArrayNode strings(List<String> values) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    values.forEach(a::add);
    return a;
  }

  /** Drains a chunk stream into one message (the non-streaming path). Closes the stream. */
  public static AIMessage collect(io.tracewire.core.CloseableIterator<AIMessageChunk> chunks) {
    try (chunks) {
      AIMessageChunk merged = null;
      while (chunks.hasNext()) {
        AIMessageChunk c = chunks.next();
        merged = merged == null ? c : merged.add(c);
      }
      if (merged == null) {
        throw new IllegalStateException("the provider returned no chunks");
      }
      return merged.toMessage();
    }
  }

  /** The API key from the builder, else from the environment variable; {@code null} when neither is set. */
  public static String apiKey(String explicit, String envVar) {
    if (explicit != null && !explicit.isBlank()) {
      return explicit;
    }
    String env = System.getenv(envVar);
    return env == null || env.isBlank() ? null : env;
  }
}
