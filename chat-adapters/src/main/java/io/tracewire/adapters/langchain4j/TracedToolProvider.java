package io.tracewire.adapters.langchain4j;

import dev.langchain4j.service.tool.AiServiceTool;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.langchain4j.service.tool.ToolProviderResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A LangChain4j tool provider whose tools are traced: each tool the delegate provides keeps its
 * specification and return behaviour, and its executor becomes a {@link TracedToolExecutor}, so
 * every execution is a {@code tool} run under the AI Service invocation that asked for it. Works
 * for any provider (LangChain4j's {@code McpToolProvider} included); the delegate is asked for
 * its tools exactly as often as without tracing ({@link #isDynamic()} is the delegate's). The
 * tools of an {@code McpToolProvider} are MCP tool calls (see {@link TracedToolExecutor}).
 *
 * <p>What LangChain4j sees is unchanged apart from the wrapped executors; a {@code null} result
 * stays {@code null}. Thread-safe when the delegate is; {@link #provideTools} runs on the
 * invocation's thread and throws what the delegate throws.
 */
final class TracedToolProvider implements ToolProvider {
  static final String MCP_TOOL_PROVIDER = "dev.langchain4j.mcp.McpToolProvider";

  private final ToolProvider delegate;

  TracedToolProvider(ToolProvider delegate) {
    this.delegate = delegate;
  }

  static ToolProvider of(ToolProvider provider) {
    return provider == null || provider instanceof TracedToolProvider ? provider : new TracedToolProvider(provider);
  }

  ToolProvider delegate() {
    return delegate;
  }

  @Override
  public ToolProviderResult provideTools(ToolProviderRequest request) {
    ToolProviderResult result = delegate.provideTools(request);
    if (result == null) {
      return null;
    }
    List<AiServiceTool> tools = result.aiServiceTools();
    List<AiServiceTool> traced = new ArrayList<>(tools.size());
    Map<String, Object> md = isMcp(delegate) ? TracedToolExecutor.MCP_TOOL : Map.of();
    for (AiServiceTool t : tools) {
      traced.add(traced(t, md));
    }
    return new ToolProviderResult(traced);
  }

  static AiServiceTool traced(AiServiceTool t) {
    return traced(t, Map.of());
  }

  private static AiServiceTool traced(AiServiceTool t, Map<String, Object> metadata) {
    return t.toolExecutor() == null || t.toolExecutor() instanceof TracedToolExecutor ? t
        : t.toBuilder().toolExecutor(new TracedToolExecutor(t.name(), t.toolExecutor(), metadata)).build();
  }

  /**
   * Whether {@code provider} is (a subclass of) LangChain4j's {@code McpToolProvider}, by class
   * name: {@code langchain4j-mcp} is optional, so its class may be missing.
   */
  static boolean isMcp(ToolProvider provider) {
    for (Class<?> c = provider.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals(MCP_TOOL_PROVIDER)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean isDynamic() {
    return delegate.isDynamic();
  }
}
