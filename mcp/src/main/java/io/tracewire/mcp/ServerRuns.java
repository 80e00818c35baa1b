package io.tracewire.mcp;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.context.Scope;
import io.tracewire.core.RunConfig;
import io.tracewire.core.RunContext;
import io.tracewire.core.event.RunType;
import io.tracewire.core.runnable.RunHandle;
import io.tracewire.core.retriever.BaseRetriever;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.tool.Tool;
import io.tracewire.propagation.Incoming;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

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
      tool = Tool.builder(name).metadata(metadata(McpSchema.METHOD_TOOLS_CALL, session(exchange), null, null))
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
      retriever = new BaseRetriever(uri, List.of(), metadata(McpSchema.METHOD_RESOURCES_READ, session(exchange), uri, null)) {
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

  /**
   * A {@code prompts/get} as a {@code prompt} run under the caller's run (input: the arguments;
   * output: the messages); the handler runs with it current, so runs it starts nest under it.
   */
  McpSchema.GetPromptResult getPrompt(String name, McpSyncServerExchange exchange, McpSchema.GetPromptRequest request,
      BiFunction<McpSyncServerExchange, McpSchema.GetPromptRequest, McpSchema.GetPromptResult> handler) {
    Incoming in;
    RunHandle run;
    try {
      in = tracing.extract(request.meta());
    } catch (RuntimeException | LinkageError e) {
      tracing.failed("starting the prompts/get run", e);
      return handler.apply(exchange, request);
    }
    try (Scope ignored = in.attach()) {
      try {
        run = start(name, RunType.PROMPT, args(request.arguments()),
            metadata(McpSchema.METHOD_PROMPT_GET, session(exchange), null, name));
      } catch (RuntimeException | LinkageError e) {
        tracing.failed("starting the prompts/get run", e);
        return handler.apply(exchange, request);
      }
      McpSchema.GetPromptResult r;
      try (RunContext.Scope inRun = RunContext.attach(run.childConfig())) {
        r = handler.apply(exchange, request);
      } catch (RuntimeException | Error e) {
        run.error(e);
        throw e;
      }
      run.end(McpTracing.messages(r));
      return r;
    }
  }

  // ---------------------------------------------------------------- async

  McpServerFeatures.AsyncToolSpecification async(McpServerFeatures.AsyncToolSpecification spec) {
    String name = spec.tool().name();
    var handler = spec.callHandler();
    return new McpServerFeatures.AsyncToolSpecification(spec.tool(), (exchange, request) -> traced(
        McpSchema.METHOD_TOOLS_CALL, name, RunType.TOOL, args(request.arguments()), request.meta(),
        metadata(McpSchema.METHOD_TOOLS_CALL, session(exchange), null, null),
        () -> handler.apply(exchange, request), (run, r) -> {
          if (r != null && Boolean.TRUE.equals(r.isError())) {
            run.error(new McpToolException(name, McpTracing.text(r)));
          } else {
            run.end(McpTracing.output(r));
          }
        }));
  }

  McpServerFeatures.AsyncResourceSpecification async(McpServerFeatures.AsyncResourceSpecification spec) {
    var handler = spec.readHandler();
    return new McpServerFeatures.AsyncResourceSpecification(spec.resource(), (exchange, request) -> traced(
        McpSchema.METHOD_RESOURCES_READ, request.uri(), RunType.RETRIEVER, Map.of("query", String.valueOf(request.uri())),
        request.meta(), metadata(McpSchema.METHOD_RESOURCES_READ, session(exchange), request.uri(), null),
        () -> handler.apply(exchange, request), (run, r) -> run.end(documents(r))));
  }

  McpServerFeatures.AsyncPromptSpecification async(McpServerFeatures.AsyncPromptSpecification spec) {
    String name = spec.prompt().name();
    var handler = spec.promptHandler();
    return new McpServerFeatures.AsyncPromptSpecification(spec.prompt(), (exchange, request) -> traced(
        McpSchema.METHOD_PROMPT_GET, name, RunType.PROMPT, args(request.arguments()), request.meta(),
        metadata(McpSchema.METHOD_PROMPT_GET, session(exchange), null, name),
        () -> handler.apply(exchange, request), (run, r) -> run.end(McpTracing.messages(r))));
  }

  /**
   * An async handler's Mono inside a run: each subscription starts a run under the caller's run
   * and calls the handler with that run current (so runs it starts while assembling the Mono nest
   * under it); the run ends when the Mono completes, fails or is cancelled, on whatever thread
   * signals it. What the subscriber sees is the handler's Mono, unchanged.
   */
  private <T> Mono<T> traced(String method, String name, RunType type, Object input, Map<String, Object> meta,
      Map<String, Object> md, Supplier<Mono<T>> handler, BiConsumer<RunHandle, T> end) {
    return Mono.defer(() -> {
      RunHandle run;
      Scope scope;
      try {
        Incoming in = tracing.extract(meta);
        scope = in.attach();
      } catch (RuntimeException | LinkageError e) {
        tracing.failed("starting the " + method + " run", e);
        return handler.get();
      }
      try {
        try {
          run = start(name, type, input, md);
        } catch (RuntimeException | LinkageError e) {
          tracing.failed("starting the " + method + " run", e);
          return handler.get();
        }
        Mono<T> mono;
        try (RunContext.Scope inRun = RunContext.attach(run.childConfig())) {
          mono = handler.get();
        } catch (RuntimeException | Error e) {
          run.error(e);
          throw e;
        }
        if (mono == null) {
          run.end(null);
          return null;
        }
        return mono.doOnSuccess(r -> end.accept(run, r)).doOnError(run::error).doOnCancel(run::cancel);
      } finally {
        scope.close();
      }
    });
  }

  private RunHandle start(String name, RunType type, Object input, Map<String, Object> md) {
    RunHandle run = new McpRun(name).startLocal(type, input, md);
    tracing.serverRuns.increment();
    return run;
  }

  private static Map<String, Object> args(Map<String, Object> arguments) {
    return arguments == null ? Map.of() : arguments;
  }

  private static String session(Object exchange) {
    try {
      if (exchange instanceof McpSyncServerExchange sync) {
        return sync.sessionId();
      }
      if (exchange instanceof McpAsyncServerExchange async) {
        return async.sessionId();
      }
    } catch (RuntimeException noSession) {
      // stateless exchanges have no session
    }
    return null;
  }

  private static Map<String, Object> metadata(String method, String session, String uri, String prompt) {
    Map<String, Object> md = new LinkedHashMap<>();
    md.put(McpTracing.METHOD_NAME, method);
    md.put(McpTracing.SIDE, McpTracing.SERVER);
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
