package io.tracewire.mcp;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.tracewire.core.RemoteParent;
import io.tracewire.core.RunConfig;
import io.tracewire.core.RunContext;
import io.tracewire.core.event.RunType;
import io.tracewire.core.runnable.RunHandle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The client half: a transport decorator. {@link #sendMessage} starts the run of a traced
 * request on the sending thread and writes the trace context into its {@code _meta}; the
 * response, seen on the transport's thread before the client session handles it, ends the run.
 * Every method of {@link McpClientTransport} is forwarded (a test reflects over them).
 */
final class TracedClientTransport implements McpClientTransport {
  private static final TypeRef<McpSchema.CallToolResult> TOOL_RESULT = new TypeRef<>() {};
  private static final TypeRef<McpSchema.ReadResourceResult> RESOURCE_RESULT = new TypeRef<>() {};
  private static final TypeRef<McpSchema.GetPromptResult> PROMPT_RESULT = new TypeRef<>() {};

  private final McpClientTransport delegate;
  private final McpTracing tracing;
  /** Open runs by JSON-RPC request id (as a string: the id's JSON type may change on the way back). */
  private final Map<String, Call> pending = new ConcurrentHashMap<>();
  private volatile String initializeId;
  private volatile String protocolVersion;

  TracedClientTransport(McpClientTransport delegate, McpTracing tracing) {
    this.delegate = delegate;
    this.tracing = tracing;
  }

  /** A traced request on its way: what kind, its run, and the request as sent. */
  private record Call(String method, String target, RunHandle run) {}

  @Override
  public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
    return delegate.connect(in -> handler.apply(in.doOnNext(this::received)));
  }

  @Override
  public void setExceptionHandler(Consumer<Throwable> handler) {
    delegate.setExceptionHandler(handler);
  }

  @Override
  public Mono<Void> closeGracefully() {
    return delegate.closeGracefully().doFinally(signal -> abandonAll());
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      abandonAll();
    }
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return delegate.unmarshalFrom(data, typeRef);
  }

  @Override
  public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }

  @Override
  public Mono<Void> sendMessage(JSONRPCMessage message) {
    if (!(message instanceof McpSchema.JSONRPCRequest request)) {
      return delegate.sendMessage(message);
    }
    String method = request.method();
    if (McpSchema.METHOD_INITIALIZE.equals(method)) {
      initializeId = String.valueOf(request.id());
      return delegate.sendMessage(message);
    }
    if (!McpSchema.METHOD_TOOLS_CALL.equals(method) && !McpSchema.METHOD_RESOURCES_READ.equals(method)
        && !McpSchema.METHOD_PROMPT_GET.equals(method)) {
      return delegate.sendMessage(message);
    }
    String id = String.valueOf(request.id());
    McpSchema.JSONRPCRequest out;
    try {
      out = start(request, id);
    } catch (RuntimeException | LinkageError e) {
      tracing.failed("starting the " + method + " run", e);
      return delegate.sendMessage(message);
    }
    return delegate.sendMessage(out).doOnError(e -> {
      Call call = pending.remove(id);
      if (call != null) {
        call.run.error(e);
      }
    });
  }

  /** Starts the run of a traced request and returns the request to send, with the trace context in {@code _meta}. */
  private McpSchema.JSONRPCRequest start(McpSchema.JSONRPCRequest request, String id) {
    String method = request.method();
    Object params = request.params();
    Map<String, Object> md = new LinkedHashMap<>();
    md.put(McpTracing.METHOD_NAME, method);
    md.put(McpTracing.SIDE, McpTracing.CLIENT);
    md.put(McpTracing.REQUEST_ID, id);
    String version = protocolVersion;
    if (version != null) {
      md.put(McpTracing.PROTOCOL_VERSION, version);
    }
    RunType type;
    String target;
    Object input;
    Map<String, Object> meta;
    if (params instanceof McpSchema.CallToolRequest r) {
      type = RunType.TOOL;
      target = r.name();
      input = r.arguments() == null ? Map.of() : r.arguments();
      meta = r.meta();
    } else if (params instanceof McpSchema.ReadResourceRequest r) {
      type = RunType.RETRIEVER;
      target = r.uri();
      input = r.uri();
      meta = r.meta();
      md.put(McpTracing.RESOURCE_URI, r.uri());
    } else if (params instanceof McpSchema.GetPromptRequest r) {
      type = RunType.PROMPT;
      target = r.name();
      input = r.arguments() == null ? Map.of() : r.arguments();
      meta = r.meta();
      md.put(McpTracing.PROMPT_NAME, r.name());
    } else {
      // a request built by hand with untyped params: traced by the keys the schema defines
      Map<?, ?> p = params instanceof Map<?, ?> m ? m : Map.of();
      boolean tool = McpSchema.METHOD_TOOLS_CALL.equals(method);
      boolean resource = McpSchema.METHOD_RESOURCES_READ.equals(method);
      type = tool ? RunType.TOOL : resource ? RunType.RETRIEVER : RunType.PROMPT;
      target = String.valueOf(p.get(resource ? "uri" : "name"));
      input = resource ? target : p.get("arguments") instanceof Map<?, ?> a ? a : Map.of();
      meta = p.get("_meta") instanceof Map<?, ?> m2 ? cast(m2) : null;
      if (resource) {
        md.put(McpTracing.RESOURCE_URI, target);
      } else if (!tool) {
        md.put(McpTracing.PROMPT_NAME, target);
      }
    }
    List<UUID> parentPath = RemoteParent.current().map(RemoteParent::path).orElse(List.of());
    RunHandle run = new McpRun(target).start(RunConfig.builder().metadata(md).build(), type, input);
    pending.put(id, new Call(method, target, run));
    tracing.clientRuns.increment();
    Map<String, String> headers = null;
    if (tracing.inject && parentPath.size() <= RemoteParent.MAX_DEPTH) {
      try (RunContext.Scope ignored = RunContext.attachRemoteParent(RemoteParent.of(run.runId(), parentPath))) {
        headers = tracing.propagation.headers();
      }
    }
    if (headers == null) {
      return request;
    }
    Map<String, Object> merged = new LinkedHashMap<>();
    if (meta != null) {
      merged.putAll(meta);
    }
    merged.putAll(headers);
    return new McpSchema.JSONRPCRequest(request.jsonrpc(), method, request.id(), withMeta(params, merged));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static Object withMeta(Object params, Map<String, Object> meta) {
    if (params instanceof McpSchema.CallToolRequest r) {
      return new McpSchema.CallToolRequest(r.name(), r.arguments(), meta);
    }
    if (params instanceof McpSchema.ReadResourceRequest r) {
      return new McpSchema.ReadResourceRequest(r.uri(), meta);
    }
    if (params instanceof McpSchema.GetPromptRequest r) {
      return new McpSchema.GetPromptRequest(r.name(), r.arguments(), meta);
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    if (params instanceof Map<?, ?> m) {
      m.forEach((k, v) -> copy.put(String.valueOf(k), v));
    }
    copy.put("_meta", meta);
    return copy;
  }

  /** Every message from the server, before the client session handles it. Never throws. */
  private void received(JSONRPCMessage message) {
    if (!(message instanceof McpSchema.JSONRPCResponse response)) {
      return;
    }
    try {
      String id = String.valueOf(response.id());
      if (id.equals(initializeId) && response.result() instanceof Map<?, ?> result
          && result.get("protocolVersion") instanceof String v) {
        protocolVersion = v;
        return;
      }
      Call call = pending.remove(id);
      if (call != null) {
        finish(call, response);
      }
    } catch (RuntimeException | LinkageError e) {
      tracing.failed("ending an MCP request run", e);
    }
  }

  private void finish(Call call, McpSchema.JSONRPCResponse response) {
    RunHandle run = call.run;
    if (response.error() != null) {
      run.error(new McpError(response.error()));
      return;
    }
    Object result = response.result();
    switch (call.method) {
      case McpSchema.METHOD_TOOLS_CALL -> {
        McpSchema.CallToolResult r = delegate.unmarshalFrom(result, TOOL_RESULT);
        if (Boolean.TRUE.equals(r.isError())) {
          run.error(new McpToolException(call.target, McpTracing.text(r)));
        } else {
          run.end(McpTracing.output(r));
        }
      }
      case McpSchema.METHOD_RESOURCES_READ -> run.end(ServerRuns.documents(delegate.unmarshalFrom(result, RESOURCE_RESULT)));
      default -> run.end(McpTracing.messages(delegate.unmarshalFrom(result, PROMPT_RESULT)));
    }
  }

  /** Ends the runs still waiting for a response once the transport is closed. */
  private void abandonAll() {
    for (String id : List.copyOf(pending.keySet())) {
      Call call = pending.remove(id);
      if (call != null) {
        tracing.unanswered.increment();
        call.run.error(new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR,
            "the transport closed before the response to " + call.method + " arrived", null)));
      }
    }
  }
}
