package io.tracewire.adapters.langchain4j;

import dev.langchain4j.mcp.client.McpCallContext;
import dev.langchain4j.mcp.client.McpMetaSupplier;
import io.tracewire.propagation.TracewirePropagation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Carries the run context of LangChain4j's own MCP client ({@code langchain4j-mcp}'s
 * {@code DefaultMcpClient}) to the MCP server in each request's {@code params._meta}: W3C
 * {@code traceparent} and {@code tracestate} (when an OpenTelemetry span is current) and
 * {@code baggage} with the caller's run path, as {@link TracewirePropagation} writes them for
 * HTTP, so a server that reads them continues the caller's tree. Give the supplier to the client:
 *
 * <pre>{@code
 * McpClient client = DefaultMcpClient.builder()
 *     .transport(transport)
 *     .metaSupplier(LangChain4jMcpTracing.metaSupplier())
 *     .build();
 * }</pre>
 *
 * <p>With the client's tools in a traced AI Service ({@code toolProvider(McpToolProvider...)}),
 * the run current when a {@code tools/call} is sent is the tool run of that call, so the server's
 * runs nest under it. Other requests ({@code resources/read}, {@code prompts/get}, ...) carry
 * whatever run is current on the calling thread; with no run and no span current nothing is
 * added. Needs {@code dev.langchain4j:langchain4j-mcp} and {@code io.tracewire:tracewire-propagation}
 * on the class path (both optional dependencies of this module).
 *
 * <p>The suppliers run on the thread that sends the request, never block, and never throw
 * (a failure to write the context is counted in the propagation's stats and the request goes
 * without it); a supplier given as {@code base} is called first and may throw as it would
 * without Tracewire. Thread-safe.
 */
public final class LangChain4jMcpTracing {
  private LangChain4jMcpTracing() {}

  /** A supplier that writes the current run context, with its own {@link TracewirePropagation}. */
  public static McpMetaSupplier metaSupplier() {
    return metaSupplier(TracewirePropagation.create());
  }

  /** A supplier that writes the current run context through {@code propagation} (whose stats count the writes). */
  public static McpMetaSupplier metaSupplier(TracewirePropagation propagation) {
    Objects.requireNonNull(propagation, "propagation");
    return context -> {
      Map<String, Object> meta = new LinkedHashMap<>();
      propagation.inject(meta, (m, k, v) -> m.put(k, v));
      return meta;
    };
  }

  /**
   * A supplier that adds the current run context to what {@code base} supplies (its entries
   * first; the context's three keys replace any {@code base} gives, since they describe the call
   * being made).
   */
  public static McpMetaSupplier metaSupplier(TracewirePropagation propagation, McpMetaSupplier base) {
    Objects.requireNonNull(base, "base");
    McpMetaSupplier context = metaSupplier(propagation);
    return (McpCallContext call) -> {
      Map<String, Object> given = base.apply(call);
      Map<String, Object> meta = given == null ? new LinkedHashMap<>() : new LinkedHashMap<>(given);
      meta.putAll(context.apply(call));
      return meta;
    };
  }
}
