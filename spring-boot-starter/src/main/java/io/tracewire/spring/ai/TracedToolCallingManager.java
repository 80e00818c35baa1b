package io.tracewire.spring.ai;

import io.tracewire.core.RunConfig;
import io.tracewire.spring.internal.SpringObservedRuns;
import io.tracewire.core.tool.Tool;
import io.tracewire.core.message.ToolCall;
import io.tracewire.propagation.McpConventions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.model.tool.internal.ToolCallReactiveContextHolder;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.metadata.ToolMetadata;

/**
 * Traces tool execution: wraps the application's {@link ToolCallingManager} (the one Spring AI's
 * {@code ToolCallingAdvisor} drives), so that each tool call the model requested becomes one
 * {@code tool} run with the call's {@code tool_call_id}, its parsed arguments as input and a
 * {@code ToolMessage} as output (or {@code on_tool_error} and the exception, unchanged).
 *
 * <p>How: for one {@code executeToolCalls(prompt, response)} the manager replaces the prompt's
 * tool callbacks with decorators that share the batch of requested calls; each decorator takes
 * the next unclaimed call with its tool name (and arguments) to learn the id, since Spring AI
 * does not pass the id to a callback. The parent run is the current Tracewire context, else the
 * run the Reactor context carries ({@link ToolCallReactiveContextHolder}, set by Spring AI for
 * streamed rounds), else the propagated one ({@link BridgeContext}). Tools run on the caller's
 * thread with their run as the current context, so runs inside a {@code @Tool} method nest under
 * it. If the prompt cannot be rewritten, the call goes through untraced. The run of an MCP tool
 * ({@code SyncMcpToolCallback}, {@code AsyncMcpToolCallback}) is an MCP {@code tools/call}: it
 * also carries {@code mcp.method.name} and {@code tracewire.mcp.side = client} as its own
 * metadata, so the OpenTelemetry bridge names its span {@code tools/call NAME} with kind
 * {@code CLIENT}. Thread-safe.
 */
final class TracedToolCallingManager implements ToolCallingManager {
  private static final Logger LOG = Logger.getLogger(TracedToolCallingManager.class.getName());

  private final ToolCallingManager delegate;
  private final BridgeContext context;

  TracedToolCallingManager(ToolCallingManager delegate, BridgeContext context) {
    this.delegate = delegate;
    this.context = context;
  }

  @Override
  public List<ToolDefinition> resolveToolDefinitions(ToolCallingChatOptions chatOptions) {
    return delegate.resolveToolDefinitions(chatOptions);
  }

  @Override
  public ToolExecutionResult executeToolCalls(Prompt prompt, ChatResponse chatResponse) {
    Prompt traced;
    try {
      traced = rewrite(prompt, chatResponse);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "tracewire: could not trace tool calls; they run untraced", e);
      traced = prompt;
    }
    return delegate.executeToolCalls(traced, chatResponse);
  }

  private Prompt rewrite(Prompt prompt, ChatResponse chatResponse) {
    if (!(prompt.getOptions() instanceof ToolCallingChatOptions options) || options.getToolCallbacks() == null
        || options.getToolCallbacks().isEmpty()) {
      return prompt;
    }
    AssistantMessage requested = null;
    for (Generation g : chatResponse.getResults()) {
      if (g.getOutput() != null && !g.getOutput().getToolCalls().isEmpty()) {
        requested = g.getOutput();
        break;
      }
    }
    Batch batch = new Batch(requested == null ? List.of() : requested.getToolCalls(), parent());
    List<ToolCallback> wrapped = new ArrayList<>();
    for (ToolCallback cb : options.getToolCallbacks()) {
      wrapped.add(cb instanceof TracedToolCallback ? cb : new TracedToolCallback(cb, batch));
    }
    ToolCallingChatOptions copy = options.mutate().toolCallbacks(wrapped).build();
    return new Prompt(prompt.getInstructions(), copy);
  }

  private RunConfig parent() {
    RunConfig p = context.parent();
    if (p.callbacks() != null) {
      return p;
    }
    Object fromReactor = ToolCallReactiveContextHolder.getContext().getOrDefault(BridgeContext.KEY, null);
    return fromReactor instanceof RunConfig rc ? rc : context.config(p, Map.of());
  }

  /** The tool calls of one model response, claimed one by one by the callbacks. */
  static final class Batch {
    private final List<AssistantMessage.ToolCall> calls;
    private final boolean[] claimed;
    final RunConfig parent;

    Batch(List<AssistantMessage.ToolCall> calls, RunConfig parent) {
      this.calls = List.copyOf(calls);
      this.claimed = new boolean[this.calls.size()];
      this.parent = parent;
    }

    /** The id of the first unclaimed call of {@code tool} with these arguments (then any of {@code tool}). */
    synchronized String claim(String tool, String arguments) {
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < calls.size(); i++) {
          AssistantMessage.ToolCall c = calls.get(i);
          if (!claimed[i] && tool.equals(c.name())
              && (pass == 1 || normalize(arguments).equals(normalize(c.arguments())))) {
            claimed[i] = true;
            return c.id();
          }
        }
      }
      return null;
    }

    private static String normalize(String args) {
      return args == null || args.isBlank() ? "{}" : args;
    }
  }

  /** The run metadata of an MCP tool callback's run: an MCP {@code tools/call} client run. */
  static final Map<String, Object> MCP_TOOL = Map.of(McpConventions.METHOD_NAME, McpConventions.TOOLS_CALL,
      McpConventions.SIDE, McpConventions.CLIENT);
  private static final Set<String> MCP_CALLBACKS = Set.of("org.springframework.ai.mcp.SyncMcpToolCallback",
      "org.springframework.ai.mcp.AsyncMcpToolCallback");

  /**
   * Whether {@code callback} is (a subclass of) one of Spring AI's MCP tool callbacks, by class
   * name: {@code spring-ai-mcp} is optional, so its classes may be missing.
   */
  static boolean isMcp(ToolCallback callback) {
    for (Class<?> c = callback.getClass(); c != null; c = c.getSuperclass()) {
      if (MCP_CALLBACKS.contains(c.getName())) {
        return true;
      }
    }
    return false;
  }

  /** One tool callback as a {@code tool} run. */
  static final class TracedToolCallback implements ToolCallback {
    private final ToolCallback delegate;
    private final Batch batch;

    TracedToolCallback(ToolCallback delegate, Batch batch) {
      this.delegate = delegate;
      this.batch = batch;
    }

    @Override
    public ToolDefinition getToolDefinition() {
      return delegate.getToolDefinition();
    }

    @Override
    public ToolMetadata getToolMetadata() {
      return delegate.getToolMetadata();
    }

    @Override
    public String call(String toolInput) {
      return call(toolInput, null);
    }

    @Override
    public String call(String toolInput, ToolContext toolContext) {
      Tool tool;
      Object input;
      try {
        ToolDefinition def = delegate.getToolDefinition();
        String id = batch.claim(def.name(), toolInput);
        Map<String, Object> args = SpringAiMessages.argumentsOrNull(toolInput);
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        Map<String, Object> parsed = SpringAiMessages.argumentsOrNull(def.inputSchema());
        if (parsed != null && parsed.get("properties") instanceof Map<?, ?> props) {
          schema.put("properties", props);
        }
        tool = Tool.builder(def.name())
            .description(def.description() == null ? "" : def.description())
            .argsSchema(schema)
            .metadata(isMcp(delegate) ? MCP_TOOL : Map.of())
            .function((a, cfg) -> {
              SpringObservedRuns.clearMark();
              return toolContext == null ? delegate.call(toolInput) : delegate.call(toolInput, toolContext);
            })
            .build();
        Object raw = args != null ? args : toolInput;
        input = id == null ? raw : args != null ? new ToolCall(def.name(), args, id)
            : Map.of("type", "tool_call", "name", def.name(), "args", raw, "id", id);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "tracewire: could not start a tool run; the tool runs untraced", e);
        return toolContext == null ? delegate.call(toolInput) : delegate.call(toolInput, toolContext);
      }
      Object out;
      SpringObservedRuns.markNextStart();
      try {
        out = tool.invoke(input, batch.parent);
      } finally {
        SpringObservedRuns.clearMark();
      }
      if (out instanceof io.tracewire.core.message.ToolMessage tm) {
        return tm.content() instanceof String s ? s : String.valueOf(tm.content());
      }
      return out instanceof String s ? s : String.valueOf(out);
    }

    @Override
    public String toString() {
      return "Traced(" + delegate + ")";
    }
  }
}
