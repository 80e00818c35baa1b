package io.tracewire.adapters.langchain4j;

import dev.langchain4j.service.tool.AiServiceTool;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.langchain4j.service.tool.ToolProviderResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A LangChain4j tool provider whose tools are traced: each tool the delegate provides keeps its
 * specification and return behaviour, and its executor becomes a {@link TracedToolExecutor}, so
 * every execution is a {@code tool} run under the AI Service invocation that asked for it. Works
 * for any provider (LangChain4j's {@code McpToolProvider} included); the delegate is asked for
 * its tools exactly as often as without tracing ({@link #isDynamic()} is the delegate's).
 *
 * <p>What LangChain4j sees is unchanged apart from the wrapped executors; a {@code null} result
 * stays {@code null}. Thread-safe when the delegate is; {@link #provideTools} runs on the
 * invocation's thread and throws what the delegate throws.
 */
final class TracedToolProvider implements ToolProvider {
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
    for (AiServiceTool t : tools) {
      traced.add(traced(t));
    }
    return new ToolProviderResult(traced);
  }

  static AiServiceTool traced(AiServiceTool t) {
    return t.toolExecutor() == null || t.toolExecutor() instanceof TracedToolExecutor ? t
        : t.toBuilder().toolExecutor(new TracedToolExecutor(t.name(), t.toolExecutor())).build();
  }

  @Override
  public boolean isDynamic() {
    return delegate.isDynamic();
  }
}
