package io.tracewire.adapters.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import io.tracewire.core.RunConfig;
import io.tracewire.core.tool.Tool;
import io.tracewire.core.message.ToolCall;
import io.tracewire.propagation.McpConventions;
import java.util.Map;
import java.util.function.Supplier;
import dev.langchain4j.exception.ToolExecutionException;

/**
 * A LangChain4j tool executor whose executions are {@code tool} runs: {@code on_tool_start} with
 * the parsed arguments, then {@code on_tool_end} with a {@code ToolMessage} (the result text, the
 * call's {@code tool_call_id}) or {@code on_tool_error} with the exception the tool threw, its
 * arguments and {@code tool_call_id}. The run is a child of the AI Service invocation that asked
 * for the tool (found by invocation id, so tools executed concurrently on other threads nest
 * correctly), else of the thread's current run. While the tool runs, its run is the thread's
 * context, so Tracewire runnables the tool calls nest under it. A tool from LangChain4j's
 * {@code McpToolProvider} is an MCP {@code tools/call}: its run also carries
 * {@code mcp.method.name} and {@code tracewire.mcp.side = client} as its own metadata, so the
 * OpenTelemetry bridge names its span {@code tools/call NAME} with kind {@code CLIENT}.
 *
 * <p>What LangChain4j sees is unchanged: the delegate's result, or the very exception the
 * delegate threw (LangChain4j's error handlers then decide). A result the delegate marks as an
 * error without throwing ends the run with {@code on_tool_error} too. Thread-safe when the
 * delegate is.
 */
final class TracedToolExecutor implements ToolExecutor {
  /** The run metadata of a tool that {@code McpToolProvider} provides: an MCP {@code tools/call} client run. */
  static final Map<String, Object> MCP_TOOL = Map.of(McpConventions.METHOD_NAME, McpConventions.TOOLS_CALL,
      McpConventions.SIDE, McpConventions.CLIENT);

  private final String name;
  private final ToolExecutor delegate;
  private final Map<String, Object> metadata;

  TracedToolExecutor(String name, ToolExecutor delegate) {
    this(name, delegate, Map.of());
  }

  /** With {@code metadata} on each tool run only (not inherited by the runs the tool starts). */
  TracedToolExecutor(String name, ToolExecutor delegate, Map<String, Object> metadata) {
    this.name = name;
    this.delegate = delegate;
    this.metadata = metadata;
  }

  /** A result LangChain4j marks as an error, reported as the tool run's error. */
  static final class ToolResultError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ToolResultError(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public ToolExecutionResult executeWithContext(ToolExecutionRequest request, InvocationContext context) {
    return traced(request, AiServiceRuns.parentConfig(context), () -> delegate.executeWithContext(request, context));
  }

  @Override
  public String execute(ToolExecutionRequest request, Object memoryId) {
    ToolExecutionResult r = traced(request, null,
        () -> ToolExecutionResult.builder().resultText(delegate.execute(request, memoryId)).build());
    return r.resultText();
  }

  private ToolExecutionResult traced(ToolExecutionRequest request, RunConfig parent,
      Supplier<ToolExecutionResult> body) {
    ToolExecutionResult[] result = new ToolExecutionResult[1];
    RuntimeException[] thrown = new RuntimeException[1];
    Tool tool = Tool.builder(request.name() == null ? name : request.name())
        .argsSchema(Map.of("type", "object"))
        .metadata(metadata)
        .function((Map<String, Object> args) -> {
          ToolExecutionResult r;
          try {
            r = body.get();
          } catch (RuntimeException e) {
            thrown[0] = e;
            // the run reports the tool's own exception, not LangChain4j's wrapper around it
            throw e instanceof ToolExecutionException && e.getCause() instanceof RuntimeException c ? c : e;
          }
          result[0] = r;
          if (r != null && r.isError()) {
            throw new ToolResultError(r.resultText());
          }
          return r == null ? "" : r.resultText();
        })
        .build();
    try {
      tool.invoke(new ToolCall(tool.name(), Lc4jMessages.arguments(request.arguments()), id(request)), parent);
    } catch (ToolResultError e) {
      return result[0];
    } catch (RuntimeException e) {
      // the caller gets exactly what the delegate threw
      throw thrown[0] != null ? thrown[0] : e;
    }
    return result[0];
  }

  private static String id(ToolExecutionRequest r) {
    return r.id() == null ? "" : r.id();
  }
}
