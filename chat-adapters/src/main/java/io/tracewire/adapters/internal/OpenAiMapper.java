package io.tracewire.adapters.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracewire.core.model.ChatRequest;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.OutputTokenDetails;
import io.tracewire.core.message.SystemMessage;
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.ToolCallChunk;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OpenAI Chat Completions: request body and the chunk mapping of langchain-openai (spec §1, §6.3). */
public final class OpenAiMapper {
  public static final String PROVIDER = "openai";

  private OpenAiMapper() {}

  /** The streaming request body. */
  public static ObjectNode body(List<BaseMessage> messages, ChatRequest r, boolean includeUsage) {
    ObjectNode b = Json.object();
    b.put("model", r.model());
    ArrayNode msgs = b.putArray("messages");
    for (BaseMessage m : messages) {
      msgs.add(message(m));
    }
    b.put("stream", true);
    if (includeUsage) {
      b.putObject("stream_options").put("include_usage", true);
    }
    if (r.temperature() != null) {
      b.put("temperature", r.temperature());
    }
    if (r.maxTokens() != null) {
      b.put("max_tokens", r.maxTokens());
    }
    if (r.stop() != null && !r.stop().isEmpty()) {
      b.set("stop", Wire.strings(r.stop()));
    }
    if (!r.tools().isEmpty()) {
      ArrayNode tools = b.putArray("tools");
      for (Map<String, Object> t : r.tools()) {
        ObjectNode tn = tools.addObject();
        tn.put("type", "function");
        tn.set("function", Json.MAPPER.valueToTree(Wire.function(t)));
      }
    }
    Wire.putExtra(b, r, List.of("stream_usage"));
    return b;
  }

  static ObjectNode message(BaseMessage m) {
    ObjectNode n = Json.object();
    if (m instanceof SystemMessage) {
      n.put("role", "system");
      n.set("content", Json.MAPPER.valueToTree(m.content()));
    } else if (m instanceof HumanMessage) {
      n.put("role", "user");
      n.set("content", Json.MAPPER.valueToTree(m.content()));
    } else if (m instanceof ToolMessage t) {
      n.put("role", "tool");
      n.put("tool_call_id", t.toolCallId());
      n.put("content", t.text());
    } else {
      AIMessage a = Wire.ai(m);
      n.put("role", "assistant");
      n.put("content", a.text());
      if (!a.toolCalls().isEmpty()) {
        ArrayNode calls = n.putArray("tool_calls");
        for (ToolCall c : a.toolCalls()) {
          ObjectNode cn = calls.addObject();
          cn.put("id", c.id());
          cn.put("type", "function");
          ObjectNode f = cn.putObject("function");
          f.put("name", c.name());
          f.put("arguments", Json.write(c.args()));
        }
      }
    }
    if (m.name() != null) {
      n.put("name", m.name());
    }
    return n;
  }

  /** A decoder for one response. */
  public static HttpChatStream.Decoder decoder(String secret) {
    return (frame, requestId, out) -> {
      String data = frame.data();
      if (data.equals("[DONE]")) {
        return true;
      }
      JsonNode j = Json.parse(data);
      JsonNode err = j.get("error");
      if (err != null && !err.isNull()) {
        throw Errors.inStream(PROVIDER, Json.text(err, "type"), Json.text(err, "message"), requestId, secret);
      }
      AIMessageChunk c = chunk(j, secret);
      if (c != null) {
        out.add(c);
      }
      return false;
    };
  }

  /**
   * The chunk for one {@code chat.completion.chunk}, or {@code null} when it carries nothing; its
   * provider strings (model, fingerprint, service tier, finish reason) pass the {@link Redactor}.
   */
  static AIMessageChunk chunk(JsonNode j, String secret) throws IOException {
    UsageMetadata usage = usage(j.get("usage"));
    JsonNode choices = j.get("choices");
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      return usage == null ? null : AIMessageChunk.builder().content("").usage(usage).build();
    }
    JsonNode choice = choices.get(0);
    JsonNode delta = choice.path("delta");
    AIMessageChunk.Builder b = AIMessageChunk.builder().content(delta.hasNonNull("content") ? delta.get("content").asText() : "");
    JsonNode calls = delta.get("tool_calls");
    if (calls != null && calls.isArray()) {
      List<ToolCallChunk> tcc = new ArrayList<>();
      for (JsonNode tc : calls) {
        JsonNode f = tc.path("function");
        tcc.add(new ToolCallChunk(Json.text(f, "name"), Json.text(f, "arguments"), Json.text(tc, "id"),
            tc.hasNonNull("index") ? tc.get("index").asInt() : null));
      }
      b.toolCallChunks(tcc);
    }
    Map<String, Object> kwargs = new LinkedHashMap<>();
    if (delta.hasNonNull("refusal") && !delta.get("refusal").asText().isEmpty()) {
      kwargs.put("refusal", delta.get("refusal").asText());
    }
    if (delta.hasNonNull("function_call")) {
      kwargs.put("function_call", Json.toJava(delta.get("function_call")));
    }
    b.additionalKwargs(kwargs);
    Map<String, Object> meta = new LinkedHashMap<>();
    if (choice.hasNonNull("finish_reason")) {
      meta.put("finish_reason", choice.get("finish_reason").asText());
      meta.put("model_name", Json.text(j, "model"));
      if (j.hasNonNull("system_fingerprint")) {
        meta.put("system_fingerprint", j.get("system_fingerprint").asText());
      }
      if (j.hasNonNull("service_tier")) {
        meta.put("service_tier", j.get("service_tier").asText());
      }
    }
    Redactor.metadata(meta, secret);
    if (choice.hasNonNull("logprobs")) {
      // the tokens of the content, not provider strings
      meta.put("logprobs", Json.toJava(choice.get("logprobs")));
    }
    meta.put("model_provider", PROVIDER);
    b.responseMetadata(meta);
    b.usage(usage);
    return b.build();
  }

  static UsageMetadata usage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return null;
    }
    long in = u.path("prompt_tokens").asLong();
    long out = u.path("completion_tokens").asLong();
    long total = u.hasNonNull("total_tokens") ? u.get("total_tokens").asLong() : in + out;
    InputTokenDetails id = null;
    JsonNode pd = u.get("prompt_tokens_details");
    if (pd != null && pd.isObject()) {
      Long cacheRead = Json.longOrNull(pd, "cached_tokens");
      Long audio = Json.longOrNull(pd, "audio_tokens");
      if (cacheRead != null || audio != null) {
        id = new InputTokenDetails(null, cacheRead, audio);
      }
    }
    OutputTokenDetails od = null;
    JsonNode cd = u.get("completion_tokens_details");
    if (cd != null && cd.isObject()) {
      Long reasoning = Json.longOrNull(cd, "reasoning_tokens");
      Long audio = Json.longOrNull(cd, "audio_tokens");
      if (reasoning != null || audio != null) {
        od = new OutputTokenDetails(reasoning, audio);
      }
    }
    return new UsageMetadata(in, out, total, id, od);
  }

}
