package io.tracewire.mcp;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.context.Scope;
import io.tracewire.core.RunConfig;
import io.tracewire.core.retriever.BaseRetriever;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.tool.Tool;
import io.tracewire.propagation.Incoming;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The server half: runs the SDK's handlers inside a run that continues the caller's tree. The
 * MCP keys are the run's local metadata, so runs the handler starts do not inherit them (they
 * are not MCP requests themselves). Threading: called on the SDK's handler thread, concurrently
 * for different requests.
 */
final class ServerRuns {
  private final McpTracing tracing;

  ServerRuns(McpTracing tracing) {
    this.tracing = tracing;
  }

  McpSchema.CallToolResult callTool(String name, McpSyncServerExchange exchange, McpSchema.CallToolRequest request,
      BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, McpSchema.CallToolResult> handler) {
    Outcome<McpSchema.CallToolResult> out = new Outcome<>();
    Tool tool;
    Incoming in;
    try {
      in = tracing.extract(request.meta());
      tool = Tool.builder(name).metadata(metadata(McpSchema.METHOD_TOOLS_CALL, exchange, null, null))
          .function((Map<String, Object> args) -> {
            McpSchema.CallToolResult r = out.run(() -> handler.apply(exchange, request));
            if (r != null && Boolean.TRUE.equals(r.isError())) {
              throw new McpToolException(name, McpTracing.text(r));
            }
            return McpTracing.output(r);
          })
          .build();
    } catch (RuntimeException | LinkageError e) {
      tracing.failed("starting the tools/call run", e);
      return handler.apply(exchange, request);
    }
    tracing.serverRuns.increment();
    try (Scope ignored = in.attach()) {
      tool.invoke(request.arguments() == null ? Map.of() : request.arguments());
    } catch (RuntimeException e) {
      return out.after(e, () -> handler.apply(exchange, request));
    }
    return out.result;
  }

  McpSchema.ReadResourceResult readResource(McpSyncServerExchange exchange, McpSchema.ReadResourceRequest request,
      BiFunction<McpSyncServerExchange, McpSchema.ReadResourceRequest, McpSchema.ReadResourceResult> handler) {
    Outcome<McpSchema.ReadResourceResult> out = new Outcome<>();
    BaseRetriever retriever;
    Incoming in;
    String uri = request.uri();
    try {
      in = tracing.extract(request.meta());
      retriever = new BaseRetriever(uri, List.of(), metadata(McpSchema.METHOD_RESOURCES_READ, exchange, uri, null)) {
        @Override
        protected List<Document> getRelevantDocuments(String query, RunConfig childConfig) {
          return documents(out.run(() -> handler.apply(exchange, request)));
        }
      };
    } catch (RuntimeException | LinkageError e) {
      tracing.failed("starting the resources/read run", e);
      return handler.apply(exchange, request);
    }
    tracing.serverRuns.increment();
    try (Scope ignored = in.attach()) {
      retriever.invoke(uri);
    } catch (RuntimeException e) {
      return out.after(e, () -> handler.apply(exchange, request));
    }
    return out.result;
  }

  private static Map<String, Object> metadata(String method, McpSyncServerExchange exchange, String uri, String prompt) {
    Map<String, Object> md = new LinkedHashMap<>();
    md.put(McpTracing.METHOD_NAME, method);
    md.put(McpTracing.SIDE, McpTracing.SERVER);
    String session = null;
    try {
      session = exchange == null ? null : exchange.sessionId();
    } catch (RuntimeException noSession) {
      // stateless exchanges have no session
    }
    if (session != null) {
      md.put(McpTracing.SESSION_ID, session);
    }
    if (uri != null) {
      md.put(McpTracing.RESOURCE_URI, uri);
    }
    if (prompt != null) {
      md.put(McpTracing.PROMPT_NAME, prompt);
    }
    return md;
  }

  /** A resource's contents as documents: text (empty for a blob) with uri and mime type. */
  static List<Document> documents(McpSchema.ReadResourceResult r) {
    if (r == null || r.contents() == null) {
      return List.of();
    }
    List<Document> docs = new ArrayList<>(r.contents().size());
    for (McpSchema.ResourceContents c : r.contents()) {
      Map<String, Object> md = new LinkedHashMap<>();
      if (c.uri() != null) {
        md.put("uri", c.uri());
      }
      if (c.mimeType() != null) {
        md.put("mimeType", c.mimeType());
      }
      String text = "";
      if (c instanceof McpSchema.TextResourceContents t && t.text() != null) {
        text = t.text();
      } else if (c instanceof McpSchema.BlobResourceContents b && b.blob() != null) {
        md.put("blob_length", b.blob().length());
      }
      docs.add(new Document(text, md));
    }
    return docs;
  }

  /**
   * What the user's handler did inside the run: its result, or what it threw. The handler runs at
   * most once; if the run failed before calling it (a tracing failure), it is called untraced.
   */
  private static final class Outcome<T> {
    boolean ran;
    T result;
    RuntimeException thrown;

    T run(java.util.function.Supplier<T> handler) {
      ran = true;
      try {
        result = handler.get();
        return result;
      } catch (RuntimeException e) {
        thrown = e;
        throw e;
      }
    }

    /** After the run ended with {@code e}: the handler's own result or exception, as without tracing. */
    T after(RuntimeException e, java.util.function.Supplier<T> untraced) {
      if (!ran) {
        return untraced.get();
      }
      if (thrown != null) {
        throw thrown;
      }
      return result;
    }
  }
}
