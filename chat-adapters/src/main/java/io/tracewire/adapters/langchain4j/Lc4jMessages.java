package io.tracewire.adapters.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.tracewire.adapters.internal.Json;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.ToolCallChunk;
import io.tracewire.core.message.ToolMessage;
import io.tracewire.core.message.UsageMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Conversions between LangChain4j and Tracewire values for the bridge. */
final class Lc4jMessages {
  private Lc4jMessages() {}

  static List<BaseMessage> messages(List<ChatMessage> in) {
    List<BaseMessage> out = new ArrayList<>(in.size());
    for (ChatMessage m : in) {
      out.add(message(m));
    }
    return out;
  }

  static BaseMessage message(ChatMessage m) {
    if (m instanceof SystemMessage s) {
      return new io.tracewire.core.message.SystemMessage(s.text());
    }
    if (m instanceof UserMessage u) {
      String text = u.hasSingleText() ? u.singleText() : String.valueOf(u.contents());
      return new HumanMessage(text, null, u.name());
    }
    if (m instanceof AiMessage a) {
      return ai(a, null, null, null);
    }
    if (m instanceof ToolExecutionResultMessage t) {
      return new ToolMessage(t.text(), t.id() == null ? "" : t.id(), t.toolName(), "success", null);
    }
    return new HumanMessage(String.valueOf(m));
  }

  static AIMessage ai(AiMessage a, String id, Map<String, Object> responseMetadata, UsageMetadata usage) {
    List<ToolCall> calls = new ArrayList<>();
    if (a.toolExecutionRequests() != null) {
      for (ToolExecutionRequest r : a.toolExecutionRequests()) {
        calls.add(new ToolCall(r.name(), arguments(r.arguments()), r.id()));
      }
    }
    Map<String, Object> kwargs = a.thinking() == null ? Map.of() : Map.of("reasoning_content", a.thinking());
    return new AIMessage(a.text() == null ? "" : a.text(), id, null, kwargs, responseMetadata, calls, usage);
  }

  /** A blocking call's output: an {@link AIMessage} with the provider's id, else {@code fallbackId}. */
  static AIMessage output(ChatResponse r, String fallbackId) {
    String id = r.id() != null ? r.id() : fallbackId;
    AiMessage a = r.aiMessage() == null ? AiMessage.from("") : r.aiMessage();
    return ai(a, id, metadata(r, false), usage(r.tokenUsage()));
  }

  /**
   * A streamed call's output, as LangChain's {@code on_chat_model_end} after {@code astream}:
   * the {@link AIMessageChunk} the streamed chunks add up to, under the chunks' one id
   * ({@code messageId}); tool calls as {@code tool_call_chunks} at the indices they streamed
   * with ({@code toolCallIndex} maps a call's position to that index). The provider's own
   * response id, which LangChain4j reports only at the end, is kept as {@code response_metadata.id}.
   */
  static AIMessageChunk streamedOutput(ChatResponse r, String messageId, java.util.function.IntUnaryOperator toolCallIndex) {
    AiMessage a = r.aiMessage() == null ? AiMessage.from("") : r.aiMessage();
    List<ToolCallChunk> calls = new ArrayList<>();
    if (a.toolExecutionRequests() != null) {
      List<ToolExecutionRequest> reqs = a.toolExecutionRequests();
      for (int i = 0; i < reqs.size(); i++) {
        ToolExecutionRequest t = reqs.get(i);
        calls.add(new ToolCallChunk(t.name(), t.arguments() == null ? "" : t.arguments(), t.id(), toolCallIndex.applyAsInt(i)));
      }
    }
    Map<String, Object> kwargs = a.thinking() == null ? Map.of() : Map.of("reasoning_content", a.thinking());
    return AIMessageChunk.builder().content(a.text() == null ? "" : a.text()).id(messageId).additionalKwargs(kwargs)
        .responseMetadata(metadata(r, true)).toolCallChunks(calls).usage(usage(r.tokenUsage())).build();
  }

  private static Map<String, Object> metadata(ChatResponse r, boolean withResponseId) {
    Map<String, Object> meta = new LinkedHashMap<>();
    if (r.modelName() != null) {
      meta.put("model_name", r.modelName());
    }
    if (r.finishReason() != null) {
      meta.put("finish_reason", finishReason(r.finishReason()));
    }
    if (withResponseId && r.id() != null) {
      meta.put("id", r.id());
    }
    return meta;
  }

  /** LangChain's (OpenAI's) finish reasons: LangChain4j's {@code TOOL_EXECUTION} is {@code tool_calls}. */
  static String finishReason(FinishReason f) {
    return f == FinishReason.TOOL_EXECUTION ? "tool_calls" : f.name().toLowerCase(Locale.ROOT);
  }

  /** Usage when the model reported both counts; never invented zeros. */
  static UsageMetadata usage(TokenUsage u) {
    if (u == null || u.inputTokenCount() == null || u.outputTokenCount() == null) {
      return null;
    }
    long in = u.inputTokenCount();
    long out = u.outputTokenCount();
    long total = u.totalTokenCount() != null ? u.totalTokenCount() : in + out;
    return new UsageMetadata(in, out, total);
  }

  static Map<String, Object> arguments(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return Json.toMap(Json.parse(json));
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }

  /** The {@code ls_*} metadata of a call, as LangChain's chat integrations report it. */
  static Map<String, Object> lsParams(ModelProvider provider, Class<?> modelClass, ChatRequest request,
      ChatRequestParameters defaults) {
    Map<String, Object> ls = new LinkedHashMap<>();
    ls.put("ls_provider", provider(provider, modelClass));
    ls.put("ls_model_type", "chat");
    String model = request.modelName() != null ? request.modelName() : defaults == null ? null : defaults.modelName();
    if (model != null) {
      ls.put("ls_model_name", model);
    }
    Double temp = request.temperature() != null ? request.temperature() : defaults == null ? null : defaults.temperature();
    if (temp != null) {
      ls.put("ls_temperature", temp);
    }
    Integer max = request.maxOutputTokens() != null ? request.maxOutputTokens()
        : defaults == null ? null : defaults.maxOutputTokens();
    if (max != null) {
      ls.put("ls_max_tokens", max);
    }
    List<String> stop = request.stopSequences() != null && !request.stopSequences().isEmpty()
        ? request.stopSequences() : defaults == null ? null : defaults.stopSequences();
    if (stop != null && !stop.isEmpty()) {
      ls.put("ls_stop", List.copyOf(stop));
    }
    return ls;
  }

  static String provider(ModelProvider p, Class<?> modelClass) {
    if (p != null) {
      switch (p) {
        case OPEN_AI:
          return "openai";
        case AZURE_OPEN_AI:
          return "azure";
        case ANTHROPIC:
          return "anthropic";
        case OLLAMA:
          return "ollama";
        case GOOGLE_AI_GEMINI:
        case GOOGLE_GENAI:
          return "google_genai";
        case GOOGLE_VERTEX_AI_GEMINI:
        case GOOGLE_VERTEX_AI_ANTHROPIC:
          return "google_vertexai";
        case AMAZON_BEDROCK:
          return "amazon_bedrock";
        case MISTRAL_AI:
          return "mistralai";
        default:
          if (p != ModelProvider.OTHER) {
            return p.name().toLowerCase(Locale.ROOT);
          }
      }
    }
    String n = modelClass.getSimpleName();
    for (String suffix : List.of("StreamingChatModel", "ChatModel")) {
      if (n.endsWith(suffix) && n.length() > suffix.length()) {
        return n.substring(0, n.length() - suffix.length()).toLowerCase(Locale.ROOT);
      }
    }
    return n.toLowerCase(Locale.ROOT);
  }
}
