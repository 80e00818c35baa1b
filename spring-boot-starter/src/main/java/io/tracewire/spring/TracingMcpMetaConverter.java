package io.tracewire.spring;

import io.opentelemetry.context.Scope;
import io.tracewire.exporters.otel.OtelBridge;
import io.tracewire.propagation.TracewirePropagation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.mcp.ToolContextToMcpMetaConverter;

/**
 * The {@code _meta} of each MCP {@code tools/call} Spring AI's MCP tool callbacks send: what the
 * wrapped converter makes of the {@link ToolContext} (Spring AI's default copies its entries),
 * plus W3C {@code traceparent}/{@code tracestate} and {@code baggage} with the calling run's path,
 * written by {@link TracewirePropagation} as for HTTP. Spring AI calls it inside the tool
 * callback, which the starter's tool-calling manager runs as the tool run, so the server's runs
 * nest under that tool run. When no span is current, the span the {@link OtelBridge} made for the
 * run is sent, as the HTTP client integrations do.
 *
 * <p>Called on the tool's thread; never blocks; throws only what the wrapped converter throws
 * (a failure to write the context is counted in the propagation's stats). Thread-safe.
 */
final class TracingMcpMetaConverter implements ToolContextToMcpMetaConverter {
  private final ToolContextToMcpMetaConverter delegate;
  private final TracewirePropagation propagation;
  private final OtelBridge bridge;

  TracingMcpMetaConverter(ToolContextToMcpMetaConverter delegate, TracewirePropagation propagation, OtelBridge bridge) {
    this.delegate = delegate;
    this.propagation = propagation;
    this.bridge = bridge;
  }

  @Override
  public Map<String, Object> convert(ToolContext toolContext) {
    Map<String, Object> given = delegate.convert(toolContext);
    Map<String, Object> meta = given == null ? new LinkedHashMap<>() : new LinkedHashMap<>(given);
    try (Scope ignored = TracewirePropagationAutoConfiguration.runSpan(bridge)) {
      propagation.inject(meta, (m, k, v) -> m.put(k, v));
    }
    return meta;
  }

  ToolContextToMcpMetaConverter delegate() {
    return delegate;
  }
}
