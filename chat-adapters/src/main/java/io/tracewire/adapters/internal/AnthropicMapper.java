package io.tracewire.adapters.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracewire.core.model.ChatRequest;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.ChunkPosition;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.SystemMessage;
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.ToolCallChunk;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Anthropic Messages: request body and the chunk mapping of langchain-anthropic (spec §3, §6.5). */
public final class AnthropicMapper {
  public static final String PROVIDER = "anthropic";
  private static final List<String> BLOCK_START_CHUNKS = List.of("tool_use", "server_tool_use", "document",
      "redacted_thinking");

  private AnthropicMapper() {}

  /** Whether chunk content is a list of blocks: tools bound, thinking enabled or MCP servers given. */
  @SuppressWarnings("unchecked")
  public static boolean listMode(ChatRequest r) {
    if (!r.tools().isEmpty() || r.extra().containsKey("mcp_servers")) {
      return true;
    }
    Object t = r.extra().get("thinking");
    return t instanceof Map<?, ?> m && "enabled".equals(((Map<String, Object>) m).get("type"));
  }

  /** The streaming request body. */
  public static ObjectNode body(List<BaseMessage> messages, ChatRequest r, int defaultMaxTokens) {
    ObjectNode b = Json.object();
    b.put("model", r.model());
    b.put("max_tokens", r.maxTokens() != null ? r.maxTokens() : defaultMaxTokens);
    StringBuilder system = new StringBuilder();
    ArrayNode msgs = Json.MAPPER.createArrayNode();
    for (BaseMessage m : messages) {
      if (m instanceof SystemMessage) {
        if (system.length() > 0) {
          system.append("\n\n");
        }
        system.append(m.text());
        continue;
      }
      ObjectNode n = message(m);
      ObjectNode prev = msgs.isEmpty() ? null : (ObjectNode) msgs.get(msgs.size() - 1);
      if (prev != null && prev.get("role").asText().equals(n.get("role").asText())) {
        ArrayNode merged = blocks(prev.get("content"));
        merged.addAll(blocks(n.get("content")));
        prev.set("content", merged);
      } else {
        msgs.add(n);
      }
    }
    if (system.length() > 0) {
      b.put("system", system.toString());
    }
    b.set("messages", msgs);
    b.put("stream", true);
    if (r.temperature() != null) {
      b.put("temperature", r.temperature());
    }
    if (r.stop() != null && !r.stop().isEmpty()) {
      b.set("stop_sequences", Wire.strings(r.stop()));
    }
    if (!r.tools().isEmpty()) {
      ArrayNode tools = b.putArray("tools");
      for (Map<String, Object> t : r.tools()) {
        if (t.containsKey("input_schema") || (t.containsKey("type") && !"function".equals(t.get("type")))) {
          tools.add(Json.MAPPER.valueToTree(t));
          continue;
        }
        Map<String, Object> f = Wire.function(t);
        ObjectNode tn = tools.addObject();
        tn.put("name", String.valueOf(f.get("name")));
        if (f.get("description") != null) {
          tn.put("description", String.valueOf(f.get("description")));
        }
        Object params = f.getOrDefault("parameters", Map.of("type", "object", "properties", Map.of()));
        tn.set("input_schema", Json.MAPPER.valueToTree(params));
      }
    }
    Wire.putExtra(b, r, List.of());
    return b;
  }

  private static ArrayNode blocks(JsonNode content) {
    if (content.isArray()) {
      return ((ArrayNode) content).deepCopy();
    }
    ArrayNode a = Json.MAPPER.createArrayNode();
    a.addObject().put("type", "text").put("text", content.asText());
    return a;
  }

  static ObjectNode message(BaseMessage m) {
    ObjectNode n = Json.object();
    if (m instanceof ToolMessage t) {
      n.put("role", "user");
      ObjectNode block = n.putArray("content").addObject();
      block.put("type", "tool_result");
      block.put("tool_use_id", t.toolCallId());
      block.put("content", t.text());
      if ("error".equals(t.status())) {
        block.put("is_error", true);
      }
    } else if (m instanceof AIMessage || m instanceof AIMessageChunk) {
      AIMessage a = Wire.ai(m);
      n.put("role", "assistant");
      if (a.toolCalls().isEmpty()) {
        n.set("content", Json.MAPPER.valueToTree(a.content() instanceof String ? a.content() : a.text()));
      } else {
        ArrayNode content = n.putArray("content");
        if (!a.text().isEmpty()) {
          content.addObject().put("type", "text").put("text", a.text());
        }
        for (ToolCall c : a.toolCalls()) {
          ObjectNode tu = content.addObject();
          tu.put("type", "tool_use");
          tu.put("id", c.id());
          tu.put("name", c.name());
          tu.set("input", Json.MAPPER.valueToTree(c.args()));
        }
      }
    } else {
      n.put("role", "user");
      n.set("content", Json.MAPPER.valueToTree(m.content()));
    }
    return n;
  }

  /** A decoder for one response. */
  public static HttpChatStream.Decoder decoder(boolean listMode, String secret) {
    return new Decoder(listMode, secret);
  }

  private static final class Decoder implements HttpChatStream.Decoder {
    private final boolean listMode;
    private final String secret;
    private final Map<Integer, String> openBlocks = new HashMap<>();
    private JsonNode startUsage;

    Decoder(boolean listMode, String secret) {
      this.listMode = listMode;
      this.secret = secret;
    }

    @Override
    public boolean onFrame(FrameReader.Frame frame, String requestId, List<AIMessageChunk> out)
        throws com.fasterxml.jackson.core.JsonProcessingException {
      if (frame.data().equals("[DONE]")) {
        return true;
      }
      JsonNode j = Json.parse(frame.data());
      String type = frame.event() != null ? frame.event() : Json.text(j, "type");
      if (type == null) {
        return false;
      }
      switch (type) {
        case "message_start" -> {
          JsonNode msg = j.path("message");
          startUsage = msg.get("usage");
          Map<String, Object> meta = new LinkedHashMap<>();
          meta.put("model_name", Json.text(msg, "model"));
          out.add(chunk(empty()).responseMetadata(provider(Redactor.metadata(meta, secret))).build());
        }
        case "content_block_start" -> {
          int index = j.path("index").asInt();
          JsonNode block = j.path("content_block");
          String bt = Json.text(block, "type");
          openBlocks.put(index, bt);
          if (bt != null && (BLOCK_START_CHUNKS.contains(bt) || bt.endsWith("tool_result"))) {
            Map<String, Object> dump = Json.toMap(block);
            dump.remove("caller");
            dump.put("index", index);
            AIMessageChunk.Builder c = chunk(List.of(dump)).responseMetadata(provider(new LinkedHashMap<>()));
            if (bt.equals("tool_use")) {
              JsonNode input = block.get("input");
              String args = input == null || input.isEmpty() ? "" : Json.write(input);
              c.toolCallChunks(List.of(new ToolCallChunk(Json.text(block, "name"), args, Json.text(block, "id"), index)));
            }
            out.add(c.build());
          }
        }
        case "content_block_delta" -> delta(j, out);
        case "message_delta" -> {
          JsonNode d = j.path("delta");
          Map<String, Object> meta = new LinkedHashMap<>();
          meta.put("stop_reason", Json.text(d, "stop_reason"));
          meta.put("stop_sequence", Json.text(d, "stop_sequence"));
          if (j.hasNonNull("context_management")) {
            meta.put("context_management", Json.toJava(j.get("context_management")));
          }
          if (d.hasNonNull("container")) {
            meta.put("container", Json.toJava(d.get("container")));
          }
          Redactor.metadata(meta, secret);
          if (d.hasNonNull("stop_reason")) {
            out.add(chunk(empty()).responseMetadata(provider(meta)).usage(usage(startUsage, j.get("usage")))
                .chunkPosition(ChunkPosition.LAST).build());
          } else if (j.hasNonNull("usage")) {
            startUsage = overlay(startUsage, j.get("usage"));
          }
        }
        case "error" -> {
          JsonNode e = j.path("error");
          throw Errors.inStream(PROVIDER, Json.text(e, "type"), Json.text(e, "message"), requestId, secret);
        }
        case "message_stop" -> {
          return true;
        }
        default -> {
          // ping, content_block_stop and unknown events carry no chunk
        }
      }
      return false;
    }

    private void delta(JsonNode j, List<AIMessageChunk> out) {
      int index = j.path("index").asInt();
      JsonNode d = j.path("delta");
      String dt = Json.text(d, "type");
      if (dt == null) {
        return;
      }
      Map<String, Object> block = new LinkedHashMap<>();
      AIMessageChunk.Builder c;
      switch (dt) {
        case "text_delta" -> {
          if (!listMode) {
            out.add(chunk(Json.text(d, "text")).responseMetadata(provider(new LinkedHashMap<>())).build());
            return;
          }
          block.put("type", "text");
          block.put("text", Json.text(d, "text"));
          c = chunk(null);
        }
        case "citations_delta" -> {
          if (!listMode) {
            return;
          }
          block.put("type", "text");
          block.put("citations", List.of(Json.toJava(d.get("citation"))));
          c = chunk(null);
        }
        case "thinking_delta" -> {
          block.put("type", "thinking");
          block.put("thinking", Json.text(d, "thinking"));
          c = chunk(null);
        }
        case "signature_delta" -> {
          block.put("type", "thinking");
          block.put("signature", Json.text(d, "signature"));
          c = chunk(null);
        }
        case "input_json_delta" -> {
          block.put("type", "input_json_delta");
          block.put("partial_json", Json.text(d, "partial_json"));
          c = chunk(null);
          if ("tool_use".equals(openBlocks.get(index))) {
            c.toolCallChunks(List.of(new ToolCallChunk(null, Json.text(d, "partial_json"), null, index)));
          }
        }
        default -> {
          return;
        }
      }
      block.put("index", index);
      out.add(c.content(List.of(block)).responseMetadata(provider(new LinkedHashMap<>())).build());
    }

    private Object empty() {
      return listMode ? List.of() : "";
    }

    private static AIMessageChunk.Builder chunk(Object content) {
      return AIMessageChunk.builder().content(content);
    }
  }

  private static Map<String, Object> provider(Map<String, Object> meta) {
    meta.put("model_provider", PROVIDER);
    return meta;
  }

  private static JsonNode overlay(JsonNode base, JsonNode update) {
    ObjectNode o = base != null && base.isObject() ? ((ObjectNode) base).deepCopy() : Json.object();
    update.fields().forEachRemaining(e -> {
      if (!e.getValue().isNull()) {
        o.set(e.getKey(), e.getValue());
      }
    });
    return o;
  }

  /** The usage of the final chunk: each field from {@code message_delta} when sent, else from {@code message_start}. */
  static UsageMetadata usage(JsonNode start, JsonNode delta) {
    if ((start == null || start.isNull()) && (delta == null || delta.isNull())) {
      return null;
    }
    JsonNode u = delta == null || delta.isNull() ? start : overlay(start, delta);
    Long input = Json.longOrNull(u, "input_tokens");
    Long output = Json.longOrNull(u, "output_tokens");
    Long cacheRead = Json.longOrNull(u, "cache_read_input_tokens");
    Long cacheCreation = Json.longOrNull(u, "cache_creation_input_tokens");
    if (input == null && output == null && cacheRead == null && cacheCreation == null) {
      return null;
    }
    long in = nz(input) + nz(cacheRead) + nz(cacheCreation);
    long out = nz(output);
    InputTokenDetails details = cacheRead == null && cacheCreation == null
        ? null
        : new InputTokenDetails(cacheCreation, cacheRead, null);
    return new UsageMetadata(in, out, in + out, details, null);
  }

  private static long nz(Long v) {
    return v == null ? 0 : v;
  }
}
