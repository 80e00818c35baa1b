package io.tracewire.adapters.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracewire.core.model.ChatRequest;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.core.message.SystemMessage;
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.ToolCallChunk;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Ollama {@code /api/chat}: request body and the chunk mapping of langchain-ollama (spec §4, §6.6). */
public final class OllamaMapper {
  public static final String PROVIDER = "ollama";

  private OllamaMapper() {}

  /** The streaming request body; {@code numPredict} may be {@code null}. */
  public static ObjectNode body(List<BaseMessage> messages, ChatRequest r, Integer numPredict) {
    ObjectNode b = Json.object();
    b.put("model", r.model());
    ArrayNode msgs = b.putArray("messages");
    for (BaseMessage m : messages) {
      msgs.add(message(m));
    }
    b.put("stream", true);
    ObjectNode options = Json.object();
    if (r.temperature() != null) {
      options.put("temperature", r.temperature());
    }
    Integer np = r.maxTokens() != null ? r.maxTokens() : numPredict;
    if (np != null) {
      options.put("num_predict", np);
    }
    if (r.stop() != null && !r.stop().isEmpty()) {
      options.set("stop", Wire.strings(r.stop()));
    }
    if (!options.isEmpty()) {
      b.set("options", options);
    }
    if (!r.tools().isEmpty()) {
      ArrayNode tools = b.putArray("tools");
      for (Map<String, Object> t : r.tools()) {
        ObjectNode tn = tools.addObject();
        tn.put("type", "function");
        tn.set("function", Json.MAPPER.valueToTree(Wire.function(t)));
      }
    }
    Wire.putExtra(b, r, List.of());
    return b;
  }

  static ObjectNode message(BaseMessage m) {
    ObjectNode n = Json.object();
    if (m instanceof SystemMessage) {
      n.put("role", "system");
      n.put("content", m.text());
    } else if (m instanceof HumanMessage) {
      n.put("role", "user");
      n.put("content", m.text());
    } else if (m instanceof ToolMessage t) {
      n.put("role", "tool");
      n.put("content", t.text());
      n.put("tool_call_id", t.toolCallId());
      if (t.name() != null) {
        n.put("tool_name", t.name());
      }
    } else {
      AIMessage a = Wire.ai(m);
      n.put("role", "assistant");
      n.put("content", a.text());
      if (!a.toolCalls().isEmpty()) {
        ArrayNode calls = n.putArray("tool_calls");
        for (ToolCall c : a.toolCalls()) {
          ObjectNode f = calls.addObject().putObject("function");
          f.put("name", c.name());
          f.set("arguments", Json.MAPPER.valueToTree(c.args()));
        }
      }
    }
    return n;
  }

  /** A decoder for one response. */
  public static HttpChatStream.Decoder decoder(String secret) {
    return (frame, requestId, out) -> {
      JsonNode j = Json.parse(frame.data());
      if (j.hasNonNull("error")) {
        JsonNode e = j.get("error");
        String msg = e.isTextual() ? e.asText() : Json.text(e, "message");
        throw Errors.inStream(PROVIDER, e.isObject() ? Json.text(e, "type") : null, msg, requestId, secret);
      }
      boolean done = j.path("done").asBoolean(false);
      JsonNode msg = j.path("message");
      String content = msg.hasNonNull("content") ? msg.get("content").asText() : "";
      if (done && "load".equals(Json.text(j, "done_reason")) && content.isEmpty()) {
        return true;
      }
      AIMessageChunk.Builder b = AIMessageChunk.builder().content(content);
      if (msg.hasNonNull("thinking")) {
        b.additionalKwargs(Map.of("reasoning_content", msg.get("thinking").asText()));
      }
      JsonNode calls = msg.get("tool_calls");
      if (calls != null && calls.isArray() && !calls.isEmpty()) {
        List<ToolCallChunk> tcc = new ArrayList<>();
        for (JsonNode c : calls) {
          JsonNode f = c.path("function");
          tcc.add(new ToolCallChunk(Json.text(f, "name"), Json.write(arguments(f.get("arguments"))),
              UUID.randomUUID().toString(), null));
        }
        b.toolCallChunks(tcc);
      }
      if (done) {
        Map<String, Object> meta = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = j.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!e.getKey().equals("message")) {
            meta.put(e.getKey(), Json.toJava(e.getValue()));
          }
        }
        meta.put("model_name", Json.text(j, "model"));
        Redactor.metadata(meta, secret);
        meta.put("model_provider", PROVIDER);
        b.responseMetadata(meta);
        Long in = Json.longOrNull(j, "prompt_eval_count");
        Long outTokens = Json.longOrNull(j, "eval_count");
        if (in != null && outTokens != null) {
          b.usage(new UsageMetadata(in, outTokens, in + outTokens));
        }
      }
      out.add(b.build());
      return done;
    };
  }

  /** Tool arguments as an object; string values that hold JSON are parsed, as langchain-ollama does. */
  private static Object arguments(JsonNode args) {
    if (args == null || args.isNull()) {
      return Map.of();
    }
    if (args.isTextual()) {
      try {
        return Json.toJava(Json.parse(args.asText()));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        return Map.of();
      }
    }
    Map<String, Object> m = Json.toMap(args);
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (e.getValue() instanceof String s && (s.startsWith("{") || s.startsWith("["))) {
        try {
          e.setValue(Json.toJava(Json.parse(s)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ignored) {
          // keep the string
        }
      }
    }
    return m;
  }
}
