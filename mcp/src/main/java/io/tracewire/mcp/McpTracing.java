package io.tracewire.mcp;

import static java.util.Objects.requireNonNull;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.propagation.Incoming;
import io.tracewire.propagation.McpConventions;
import io.tracewire.propagation.TracewirePropagation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tracewire for the official MCP Java SDK: one run tree, and with the OpenTelemetry bridge one
 * trace, across an MCP client and the MCP servers it calls.
 *
 * <h2>Client</h2>
 * Wrap the transport the client is built on, one line:
 * <pre>{@code
 * McpSyncClient client = McpClient.sync(tracing.traced(transport)).build();
 * }</pre>
 * Then every {@code tools/call} is a {@code tool} run named after the tool (input: the
 * arguments; output: the result's text, or its structured content when it has no text;
 * {@code on_tool_error} with a {@link McpToolException} when the result has {@code isError},
 * with the SDK's {@code McpError} when the server answers with a JSON-RPC error, or with the
 * transport's exception when the request cannot be sent). {@code resources/read} is a
 * {@code retriever} run named after the URI (input: the URI; output: one {@code Document} per
 * content, text and {@code uri}/{@code mimeType} metadata): a resource is context fetched by
 * an identifier for the model, which is what a retriever run stands for. {@code prompts/get} is
 * a {@code prompt} run named after the prompt (input: the arguments; output: the prompt's
 * messages as chat messages): like a prompt template, it turns arguments into messages. Each run
 * carries the metadata {@value #METHOD_NAME}, {@value #REQUEST_ID}, {@value #SIDE} and, once
 * {@code initialize} answered, {@value #PROTOCOL_VERSION}; resources {@value #RESOURCE_URI},
 * prompts {@value #PROMPT_NAME}. The run starts on the thread that sends the request (the
 * caller's thread for a {@code McpSyncClient} that is initialized, so it is a child of the
 * caller's run) and ends on the transport's thread when the response arrives, before the client
 * hands the result back.
 *
 * <p>Into the request's {@code params._meta} go {@code traceparent} and {@code tracestate} (the
 * OpenTelemetry span current when the run started: the run's own span with {@code OtelBridge}
 * installed) and {@code baggage} with {@code tracewire.run_path}, the ids of the new run's chain
 * (see {@link TracewirePropagation}); other {@code _meta} entries are kept.
 *
 * <h2>Server</h2>
 * Wrap the handlers given to the server builder:
 * <pre>{@code
 * McpServer.sync(provider).tools(tracing.traced(weatherTool)).resources(tracing.traced(readme)).build();
 * }</pre>
 * Each call of a wrapped tool is a {@code tool} run, each read of a wrapped resource a
 * {@code retriever} run and each get of a wrapped prompt a {@code prompt} run (sync and async
 * specifications alike), executed on the handler's thread with the caller's run as remote parent
 * (read from {@code _meta}), so runs the handler starts (chains, model calls, nested tools) nest
 * under the client's run, with the caller's span as parent span. Hostile {@code _meta} values
 * (not strings, oversized, malformed) are ignored and counted ({@link #stats()}), with one
 * warning per kind through {@code java.util.logging}; the request is always handled.
 *
 * <h2>Contract</h2>
 * Thread-safe; one instance is meant to be shared by the clients and servers of an application.
 * Tracing never changes what the SDK returns or throws: results and exceptions pass unchanged,
 * and a failure inside the tracing is counted and the request goes on untraced. Nothing here
 * blocks, except what the wrapped transport and handlers themselves do.
 */
public final class McpTracing {
  private static final Logger LOG = Logger.getLogger(McpTracing.class.getName());

  /** Run metadata (and span attribute): the JSON-RPC method, such as {@code tools/call}. */
  public static final String METHOD_NAME = McpConventions.METHOD_NAME;
  /** Run metadata (and span attribute): the MCP session id, when the transport has one. */
  public static final String SESSION_ID = "mcp.session.id";
  /** Run metadata (and span attribute): the protocol version the session negotiated. */
  public static final String PROTOCOL_VERSION = "mcp.protocol.version";
  /** Run metadata (and span attribute): the JSON-RPC request id, as a string. */
  public static final String REQUEST_ID = "jsonrpc.request.id";
  /** Run metadata (and span attribute): the URI of a {@code resources/read}. */
  public static final String RESOURCE_URI = "mcp.resource.uri";
  /** Run metadata (and span attribute): the name of a {@code prompts/get} prompt. */
  public static final String PROMPT_NAME = "gen_ai.prompt.name";
  /** Run metadata: {@value #CLIENT} or {@value #SERVER}, which side of the MCP request the run is. */
  public static final String SIDE = McpConventions.SIDE;
  /** The {@value #SIDE} of a client run. */
  public static final String CLIENT = McpConventions.CLIENT;
  /** The {@value #SIDE} of a server run. */
  public static final String SERVER = McpConventions.SERVER;

  /** The {@code _meta} keys read and written: W3C trace context and baggage (SEP-414). */
  static final String[] META_KEYS = {TracewirePropagation.TRACEPARENT, TracewirePropagation.TRACESTATE,
      TracewirePropagation.BAGGAGE};

  private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  final TracewirePropagation propagation;
  final boolean inject;
  final boolean extract;
  final LongAdder clientRuns = new LongAdder();
  final LongAdder serverRuns = new LongAdder();
  final LongAdder unanswered = new LongAdder();
  private final LongAdder rejectedMetaValues = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final AtomicBoolean warnedType = new AtomicBoolean();
  private final AtomicBoolean warnedFailure = new AtomicBoolean();
  private final ServerRuns server = new ServerRuns(this);

  private McpTracing(Builder b) {
    this.propagation = b.propagation != null ? b.propagation : TracewirePropagation.create();
    this.inject = b.inject;
    this.extract = b.extract;
  }

  /** Tracing with its own {@link TracewirePropagation}, injecting and extracting. */
  public static McpTracing create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- client

  /**
   * A transport that traces the client requests sent through it and writes the trace context
   * into their {@code _meta}; build the client on it. Every other message, and everything the
   * transport does, is passed through to {@code transport} unchanged; closing the returned
   * transport closes {@code transport}.
   */
  public McpClientTransport traced(McpClientTransport transport) {
    return new TracedClientTransport(requireNonNull(transport, "transport"), this);
  }

  // ---------------------------------------------------------------- server

  /** The tool with its call handler run as a {@code tool} run under the caller's run. */
  public McpServerFeatures.SyncToolSpecification traced(McpServerFeatures.SyncToolSpecification tool) {
    requireNonNull(tool, "tool");
    String name = tool.tool().name();
    var handler = tool.callHandler();
    return new McpServerFeatures.SyncToolSpecification(tool.tool(),
        (exchange, request) -> server.callTool(name, exchange, request, handler));
  }

  /** The resource with its read handler run as a {@code retriever} run under the caller's run. */
  public McpServerFeatures.SyncResourceSpecification traced(McpServerFeatures.SyncResourceSpecification resource) {
    requireNonNull(resource, "resource");
    var handler = resource.readHandler();
    return new McpServerFeatures.SyncResourceSpecification(resource.resource(),
        (exchange, request) -> server.readResource(exchange, request, handler));
  }

  /**
   * The prompt with its get handler run as a {@code prompt} run under the caller's run (input:
   * the arguments; output: the messages), current while the handler runs.
   */
  public McpServerFeatures.SyncPromptSpecification traced(McpServerFeatures.SyncPromptSpecification prompt) {
    requireNonNull(prompt, "prompt");
    String name = prompt.prompt().name();
    var handler = prompt.promptHandler();
    return new McpServerFeatures.SyncPromptSpecification(prompt.prompt(),
        (exchange, request) -> server.getPrompt(name, exchange, request, handler));
  }

  /**
   * The async tool with each subscription to its call handler's result a {@code tool} run under
   * the caller's run, ended when the result completes, fails ({@code on_tool_error}; also for a
   * result with {@code isError}) or is cancelled. The handler is called with that run current,
   * so runs it starts while assembling its result nest under it; runs started later on reactor
   * threads do not see it unless the handler carries the context ({@code RunContext.wrap}).
   */
  public McpServerFeatures.AsyncToolSpecification traced(McpServerFeatures.AsyncToolSpecification tool) {
    return server.async(requireNonNull(tool, "tool"));
  }

  /** The async resource with each read a {@code retriever} run, as for {@link #traced(McpServerFeatures.AsyncToolSpecification)}. */
  public McpServerFeatures.AsyncResourceSpecification traced(McpServerFeatures.AsyncResourceSpecification resource) {
    return server.async(requireNonNull(resource, "resource"));
  }

  /** The async prompt with each get a {@code prompt} run, as for {@link #traced(McpServerFeatures.AsyncToolSpecification)}. */
  public McpServerFeatures.AsyncPromptSpecification traced(McpServerFeatures.AsyncPromptSpecification prompt) {
    return server.async(requireNonNull(prompt, "prompt"));
  }

  /**
   * What an incoming request's {@code _meta} says about the caller: its run and span, for
   * handlers that are not wrapped (see {@link Incoming#attach()}). Values that are not strings
   * are ignored and counted; so are oversized or malformed ones (by the propagation). Never
   * throws; a null {@code meta} reads as empty.
   */
  public Incoming extract(Map<String, Object> meta) {
    Map<String, String> carrier = new HashMap<>(4);
    if (meta != null && extract) {
      for (String key : META_KEYS) {
        Object v;
        try {
          v = meta.get(key);
        } catch (RuntimeException e) {
          failed("reading _meta", e);
          continue;
        }
        if (v instanceof String s) {
          carrier.put(key, s);
        } else if (v != null) {
          rejectedMetaValues.increment();
          if (warnedType.compareAndSet(false, true)) {
            LOG.warning("tracewire-mcp: ignored the _meta entry " + key + " of an incoming request: a JSON "
                + jsonType(v) + ", not a string; the request goes on without it (further ones are counted in stats())");
          }
        }
      }
    }
    return propagation.extract(carrier, MAP_GETTER);
  }

  private static String jsonType(Object v) {
    if (v instanceof Map<?, ?>) {
      return "object";
    }
    if (v instanceof Iterable<?> || v.getClass().isArray()) {
      return "array";
    }
    if (v instanceof Number) {
      return "number";
    }
    if (v instanceof Boolean) {
      return "boolean";
    }
    return "value of type " + v.getClass().getSimpleName();
  }

  void failed(String what, Throwable e) {
    failures.increment();
    if (warnedFailure.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "tracewire-mcp: " + what + " failed; the request goes on untraced"
          + " (further failures are counted in stats())", e);
    }
  }

  /** A snapshot of the counters. */
  public McpStats stats() {
    return new McpStats(clientRuns.sum(), serverRuns.sum(), unanswered.sum(), rejectedMetaValues.sum(),
        failures.sum(), propagation.stats());
  }

  /** The propagation that writes and reads the W3C values (its counters are part of {@link #stats()}). */
  public TracewirePropagation propagation() {
    return propagation;
  }

  @Override
  public String toString() {
    return "McpTracing" + stats();
  }

  /** The text of a tool result: its text contents joined by newlines. */
  static String text(McpSchema.CallToolResult r) {
    if (r == null || r.content() == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (McpSchema.Content c : r.content()) {
      if (c instanceof McpSchema.TextContent t && t.text() != null) {
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  /** A tool run's output: the result's text, or its structured content when it has no text. */
  static Object output(McpSchema.CallToolResult r) {
    String text = text(r);
    if (text.isEmpty() && r != null && r.structuredContent() != null) {
      return r.structuredContent();
    }
    return text;
  }

  /** A prompt's messages as chat messages: user messages human, assistant messages AI; text content only. */
  static List<BaseMessage> messages(McpSchema.GetPromptResult r) {
    List<BaseMessage> out = new ArrayList<>();
    if (r == null || r.messages() == null) {
      return out;
    }
    for (McpSchema.PromptMessage m : r.messages()) {
      String text = m.content() instanceof McpSchema.TextContent t && t.text() != null ? t.text() : "";
      out.add(m.role() == McpSchema.Role.ASSISTANT ? new AIMessage(text) : new HumanMessage(text));
    }
    return out;
  }

  /** Builder. Not thread-safe. */
  public static final class Builder {
    private TracewirePropagation propagation;
    private boolean inject = true;
    private boolean extract = true;

    private Builder() {}

    /** The propagation to write and read the W3C values with (default: a new one). */
    public Builder propagation(TracewirePropagation propagation) {
      this.propagation = requireNonNull(propagation, "propagation");
      return this;
    }

    /** Whether client requests carry the trace context in {@code _meta} (default true). */
    public Builder injectContext(boolean enabled) {
      this.inject = enabled;
      return this;
    }

    /** Whether server handlers continue the caller's run from {@code _meta} (default true). */
    public Builder extractContext(boolean enabled) {
      this.extract = enabled;
      return this;
    }

    public McpTracing build() {
      return new McpTracing(this);
    }
  }
}
