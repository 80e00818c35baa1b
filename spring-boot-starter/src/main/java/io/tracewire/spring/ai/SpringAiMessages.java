package io.tracewire.spring.ai;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/** Conversions between Spring AI and Tracewire values. Stateless; thread-safe. */
final class SpringAiMessages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SpringAiMessages() {}

  /** The start input of a chat model run: {@code {"messages": [[...]]}}. */
  static Map<String, Object> modelInput(Prompt prompt) {
    return Map.of("messages", List.of(messages(prompt.getInstructions())));
  }

  static List<BaseMessage> messages(List<Message> in) {
    List<BaseMessage> out = new ArrayList<>(in.size());
    for (Message m : in) {
      if (m instanceof ToolResponseMessage t) {
        for (ToolResponseMessage.ToolResponse r : t.getResponses()) {
          out.add(new ToolMessage(r.responseData() == null ? "" : r.responseData(), r.id() == null ? "" : r.id(),
              r.name(), "success", null));
        }
      } else {
        out.add(message(m));
      }
    }
    return out;
  }

  static BaseMessage message(Message m) {
    String text = m.getText() == null ? "" : m.getText();
    if (m instanceof SystemMessage) {
      return new io.tracewire.core.message.SystemMessage(text);
    }
    if (m instanceof UserMessage) {
      return new HumanMessage(text);
    }
    if (m instanceof AssistantMessage a) {
      return new AIMessage(text, null, null, null, null, toolCalls(a), null);
    }
    return new HumanMessage(text);
  }

  static List<ToolCall> toolCalls(AssistantMessage a) {
    List<ToolCall> calls = new ArrayList<>();
    for (AssistantMessage.ToolCall tc : a.getToolCalls()) {
      calls.add(new ToolCall(tc.name(), arguments(tc.arguments()), tc.id()));
    }
    return calls;
  }

  /** A tool call's JSON arguments as a map, or {@code null} when they are not a JSON object. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> argumentsOrNull(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      Object v = JSON.readValue(json, Object.class);
      return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    } catch (Exception e) {
      return null;
    }
  }

  static Map<String, Object> arguments(String json) {
    Map<String, Object> m = argumentsOrNull(json);
    return m == null ? Map.of() : m;
  }

  /**
   * Usage when the provider reported it; never invented zeros. Spring AI reports "none" as
   * {@code EmptyUsage}, as a usage without a native object, or (OpenAI streams whose tool-call
   * chunks are merged) as all-zero counts: a real call always has input tokens, so all-zero
   * counts are taken as absent.
   */
  static UsageMetadata usage(ChatResponse r) {
    if (r == null) {
      return null;
    }
    ChatResponseMetadata md = r.getMetadata();
    Usage u = md == null ? null : md.getUsage();
    if (u == null || u instanceof EmptyUsage || u.getNativeUsage() == null) {
      return null;
    }
    long in = u.getPromptTokens() == null ? 0 : u.getPromptTokens();
    long out = u.getCompletionTokens() == null ? 0 : u.getCompletionTokens();
    long total = u.getTotalTokens() == null ? in + out : u.getTotalTokens();
    if (in == 0 && out == 0 && total == 0) {
      return null;
    }
    return new UsageMetadata(in, out, total);
  }

  static String providerId(ChatResponse r) {
    ChatResponseMetadata md = r == null ? null : r.getMetadata();
    String id = md == null ? null : md.getId();
    return id == null || id.isEmpty() ? null : id;
  }

  static Map<String, Object> responseMetadata(ChatResponse r) {
    Map<String, Object> meta = new LinkedHashMap<>();
    ChatResponseMetadata md = r == null ? null : r.getMetadata();
    if (md != null && md.getModel() != null && !md.getModel().isEmpty()) {
      meta.put("model_name", md.getModel());
    }
    String finish = finishReason(r);
    if (finish != null) {
      meta.put("finish_reason", finish);
    }
    return meta;
  }

  static String finishReason(ChatResponse r) {
    if (r == null) {
      return null;
    }
    // by index: called for every streamed response, and the list's iterator was not optimized away
    List<Generation> results = r.getResults();
    for (int i = 0, n = results.size(); i < n; i++) {
      Generation g = results.get(i);
      String reason = g.getMetadata() != null ? g.getMetadata().getFinishReason() : null;
      if (reason != null && !reason.isEmpty()) {
        return reason.toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  /** The end output of a blocking call. */
  static AIMessage output(ChatResponse r, String fallbackId) {
    Generation g = r == null ? null : r.getResult();
    AssistantMessage a = g == null ? null : g.getOutput();
    String text = a == null || a.getText() == null ? "" : a.getText();
    String id = providerId(r);
    return new AIMessage(text, id != null ? id : fallbackId, null, null, responseMetadata(r),
        a == null ? List.of() : toolCalls(a), usage(r));
  }

  /** One streamed response as a chunk: its text, complete tool calls and {@code usage} (may be {@code null}). */
  static AIMessageChunk chunk(ChatResponse r, String fallbackId, UsageMetadata usage) {
    Generation g = r.getResult();
    AssistantMessage a = g == null ? null : g.getOutput();
    String text = a == null || a.getText() == null ? "" : a.getText();
    List<ToolCallChunk> calls = new ArrayList<>();
    if (a != null) {
      int i = 0;
      for (AssistantMessage.ToolCall tc : a.getToolCalls()) {
        calls.add(new ToolCallChunk(tc.name(), tc.arguments(), tc.id(), i++));
      }
    }
    String id = providerId(r);
    String finish = finishReason(r);
    Map<String, Object> meta = finish == null ? null : Map.of("finish_reason", finish);
    return new AIMessageChunk(text, id != null ? id : fallbackId, null, null, meta, calls, usage, null);
  }

  /** The {@code ls_*} metadata of a call: the prompt's options over the model's defaults. */
  static Map<String, Object> lsParams(Class<?> modelClass, Prompt prompt, ChatOptions defaults) {
    ChatOptions o = prompt.getOptions();
    Map<String, Object> ls = new LinkedHashMap<>();
    ls.put("ls_provider", provider(modelClass));
    ls.put("ls_model_type", "chat");
    String model = o != null && o.getModel() != null ? o.getModel() : defaults == null ? null : defaults.getModel();
    if (model != null) {
      ls.put("ls_model_name", model);
    }
    Double temp = o != null && o.getTemperature() != null ? o.getTemperature()
        : defaults == null ? null : defaults.getTemperature();
    if (temp != null) {
      ls.put("ls_temperature", temp);
    }
    Integer max = o != null && o.getMaxTokens() != null ? o.getMaxTokens()
        : defaults == null ? null : defaults.getMaxTokens();
    if (max != null) {
      ls.put("ls_max_tokens", max);
    }
    List<String> stop = o != null && o.getStopSequences() != null && !o.getStopSequences().isEmpty()
        ? o.getStopSequences() : defaults == null ? null : defaults.getStopSequences();
    if (stop != null && !stop.isEmpty()) {
      ls.put("ls_stop", List.copyOf(stop));
    }
    return ls;
  }

  /** {@code OpenAiChatModel} to {@code openai}, {@code AnthropicChatModel} to {@code anthropic}. */
  static String provider(Class<?> modelClass) {
    String n = modelClass.getSimpleName();
    for (String suffix : List.of("StreamingChatModel", "ChatModel")) {
      if (n.endsWith(suffix) && n.length() > suffix.length()) {
        n = n.substring(0, n.length() - suffix.length());
        break;
      }
    }
    return n.toLowerCase(Locale.ROOT);
  }

  /** The text of a response's first generation, or "". */
  static String text(ChatResponse r) {
    Generation g = r == null ? null : r.getResult();
    return g == null || g.getOutput() == null || g.getOutput().getText() == null ? "" : g.getOutput().getText();
  }
}
