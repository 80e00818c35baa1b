package io.tracewire.exporters.otel;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.tracewire.core.event.RunType;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The single place where Tracewire's vocabulary (run types, {@code ls_*} metadata, message
 * fields) maps onto OpenTelemetry names: GenAI semantic conventions (stability level
 * "Development", so names here are the ones to touch on a rename), Tracewire's own
 * {@code tracewire.*} namespace, span names and kinds, metric names and provider names.
 * Stateless; thread-safe.
 */
final class GenAiMapping {
  private GenAiMapping() {}

  // ---- GenAI span attributes (semantic-conventions-genai, gen-ai-spans.md) ----
  static final AttributeKey<String> OPERATION_NAME = stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER_NAME = stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
  static final AttributeKey<Double> REQUEST_TEMPERATURE = doubleKey("gen_ai.request.temperature");
  static final AttributeKey<Long> REQUEST_MAX_TOKENS = longKey("gen_ai.request.max_tokens");
  static final AttributeKey<List<String>> REQUEST_STOP_SEQUENCES = stringArrayKey("gen_ai.request.stop_sequences");
  static final AttributeKey<Boolean> REQUEST_STREAM = booleanKey("gen_ai.request.stream");
  static final AttributeKey<String> RESPONSE_MODEL = stringKey("gen_ai.response.model");
  static final AttributeKey<String> RESPONSE_ID = stringKey("gen_ai.response.id");
  static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS = stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Double> RESPONSE_TIME_TO_FIRST_CHUNK = doubleKey("gen_ai.response.time_to_first_chunk");
  static final AttributeKey<Long> USAGE_INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> USAGE_CACHE_CREATION_INPUT_TOKENS = longKey("gen_ai.usage.cache_creation.input_tokens");
  static final AttributeKey<Long> USAGE_CACHE_READ_INPUT_TOKENS = longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<Long> USAGE_REASONING_OUTPUT_TOKENS = longKey("gen_ai.usage.reasoning.output_tokens");
  static final AttributeKey<String> TOOL_NAME = stringKey("gen_ai.tool.name");
  static final AttributeKey<String> TOOL_CALL_ID = stringKey("gen_ai.tool.call.id");
  static final AttributeKey<String> AGENT_NAME = stringKey("gen_ai.agent.name");
  static final AttributeKey<String> TOKEN_TYPE = stringKey("gen_ai.token.type");
  static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");
  /** {@code error.type} when the error event carries no throwable. */
  static final String ERROR_TYPE_OTHER = "_OTHER";
  static final String TOKEN_TYPE_INPUT = "input";
  static final String TOKEN_TYPE_OUTPUT = "output";
  // opt-in content (JSON strings: the Java span API has no structured attribute values)
  static final AttributeKey<String> INPUT_MESSAGES = stringKey("gen_ai.input.messages");
  static final AttributeKey<String> OUTPUT_MESSAGES = stringKey("gen_ai.output.messages");
  static final AttributeKey<String> TOOL_CALL_ARGUMENTS = stringKey("gen_ai.tool.call.arguments");
  static final AttributeKey<String> TOOL_CALL_RESULT = stringKey("gen_ai.tool.call.result");

  // ---- Tracewire's namespace ----
  static final AttributeKey<String> RUN_ID = stringKey("tracewire.run.id");
  static final AttributeKey<String> RUN_TYPE = stringKey("tracewire.run.type");
  /** Set when the span name is not the run name (GenAI-named spans such as {@code chat gpt-4o}). */
  static final AttributeKey<String> RUN_NAME = stringKey("tracewire.run.name");
  static final AttributeKey<String> RUN_OUTCOME = stringKey("tracewire.run.outcome");
  static final AttributeKey<List<String>> RUN_TAGS = stringArrayKey("tracewire.run.tags");
  static final AttributeKey<Long> RETRY_ATTEMPT = longKey("tracewire.retry.attempt");
  static final AttributeKey<String> RUN_INPUT = stringKey("tracewire.run.input");
  static final AttributeKey<String> RUN_OUTPUT = stringKey("tracewire.run.output");
  static final AttributeKey<Long> STREAM_CHUNKS = longKey("tracewire.stream.chunks");
  static final String METADATA_PREFIX = "tracewire.metadata.";
  static final String OUTCOME_END = "end";
  static final String OUTCOME_ERROR = "error";
  static final String OUTCOME_CANCEL = "cancel";
  static final String RETRY_TAG_PREFIX = "retry:attempt:";

  // ---- span events ----
  static final String CHUNK_EVENT = "tracewire.stream.chunk";
  static final AttributeKey<Long> CHUNK_INDEX = longKey("tracewire.chunk.index");
  static final AttributeKey<String> CHUNK_CONTENT = stringKey("tracewire.chunk.content");
  static final String CANCEL_EVENT = "tracewire.run.cancelled";
  static final String CUSTOM_EVENT = "tracewire.custom_event";
  static final AttributeKey<String> CUSTOM_EVENT_NAME = stringKey("tracewire.custom_event.name");

  // ---- metrics (gen-ai-metrics.md) ----
  static final String METRIC_OPERATION_DURATION = "gen_ai.client.operation.duration";
  static final String METRIC_TOKEN_USAGE = "gen_ai.client.token.usage";
  static final String METRIC_TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";
  static final String METRIC_TIME_PER_OUTPUT_CHUNK = "gen_ai.client.operation.time_per_output_chunk";
  static final List<Double> DURATION_BUCKETS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
      10.24, 20.48, 40.96, 81.92);
  static final List<Double> CHUNK_BUCKETS = List.of(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5,
      0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
  static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L,
      1048576L, 4194304L, 16777216L, 67108864L);

  // ---- MCP (semantic-conventions-genai, mcp.md): runs of tracewire-mcp carry these as metadata ----
  static final String MCP_METHOD_NAME = "mcp.method.name";
  /** {@code client} or {@code server}: which side of an MCP request a run is (span kind CLIENT or SERVER). */
  static final String MCP_SIDE = "tracewire.mcp.side";
  static final String MCP_SIDE_SERVER = "server";
  /** Metadata keys of MCP runs that become span attributes under their own names (not {@code tracewire.metadata.*}). */
  static final List<String> MCP_KEYS = List.of(MCP_METHOD_NAME, "mcp.session.id", "mcp.protocol.version",
      "mcp.resource.uri", "jsonrpc.request.id", "gen_ai.prompt.name");
  static final AttributeKey<String> MCP_METHOD = stringKey(MCP_METHOD_NAME);
  /** The error of a tool run whose MCP result had {@code isError}; its {@code error.type} is {@link #MCP_TOOL_ERROR}. */
  static final String MCP_TOOL_ERROR_CLASS = "io.tracewire.mcp.McpToolException";
  static final String MCP_TOOL_ERROR = "tool_error";
  static final String METRIC_MCP_CLIENT_DURATION = "mcp.client.operation.duration";
  static final String METRIC_MCP_SERVER_DURATION = "mcp.server.operation.duration";
  static final List<Double> MCP_DURATION_BUCKETS = List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0,
      60.0, 120.0, 300.0);

  /**
   * The MCP method of a run recorded by tracewire-mcp ({@code tools/call}, ...), or null for
   * other runs. Those runs carry the MCP keys as local metadata, so their children do not.
   */
  static String mcpMethod(RunType type, Map<String, Object> metadata) {
    if (type != RunType.TOOL && type != RunType.RETRIEVER && type != RunType.PROMPT) {
      return null;
    }
    return metadata.get(MCP_METHOD_NAME) instanceof String m && metadata.get(MCP_SIDE) instanceof String ? m : null;
  }

  /** MCP span name: {@code {mcp.method.name} {target}}, the target being the tool or prompt name; resources have none. */
  static String mcpSpanName(String method, RunType type, String runName) {
    return type == RunType.RETRIEVER ? method : method + " " + runName;
  }

  /** MCP span kind: {@code SERVER} on the server side, else {@code CLIENT}. */
  static SpanKind mcpKind(Map<String, Object> metadata) {
    return MCP_SIDE_SERVER.equals(metadata.get(MCP_SIDE)) ? SpanKind.SERVER : SpanKind.CLIENT;
  }

  // ---- ls_* metadata keys read by the mapping ----
  static final String LS_PROVIDER = "ls_provider";
  static final String LS_MODEL_NAME = "ls_model_name";
  static final String LS_MODEL_TYPE = "ls_model_type";
  static final String LS_TEMPERATURE = "ls_temperature";
  static final String LS_MAX_TOKENS = "ls_max_tokens";
  static final String LS_STOP = "ls_stop";
  static final String LS_RETRIEVER_NAME = "ls_retriever_name";
  /** Set by agent integrations (the LangChain4j AI Service bridge) on the agent's run, inherited by its children. */
  static final String LS_AGENT_NAME = "ls_agent_name";

  // ---- operation names ----
  static final String OP_CHAT = "chat";
  static final String OP_TEXT_COMPLETION = "text_completion";
  static final String OP_EXECUTE_TOOL = "execute_tool";
  static final String OP_RETRIEVAL = "retrieval";
  static final String OP_INVOKE_AGENT = "invoke_agent";

  /** A provider's name in each convention. */
  private record Provider(String genAi, String openInference) {}

  /**
   * ls_provider values (LangChain's names) to the well-known {@code gen_ai.provider.name} and
   * OpenInference {@code llm.provider} values; unknown providers pass through lower-cased.
   */
  private static final Map<String, Provider> PROVIDERS = Map.ofEntries(
      Map.entry("openai", new Provider("openai", "openai")),
      Map.entry("anthropic", new Provider("anthropic", "anthropic")),
      Map.entry("bedrock", new Provider("aws.bedrock", "aws")),
      Map.entry("amazon_bedrock", new Provider("aws.bedrock", "aws")),
      Map.entry("bedrock_converse", new Provider("aws.bedrock", "aws")),
      Map.entry("azure", new Provider("azure.ai.openai", "azure")),
      Map.entry("azure_openai", new Provider("azure.ai.openai", "azure")),
      Map.entry("azure_ai", new Provider("azure.ai.inference", "azure")),
      Map.entry("google_genai", new Provider("gcp.gen_ai", "google")),
      Map.entry("gemini", new Provider("gcp.gemini", "google")),
      Map.entry("google_vertexai", new Provider("gcp.vertex_ai", "google")),
      Map.entry("vertexai", new Provider("gcp.vertex_ai", "google")),
      Map.entry("mistralai", new Provider("mistral_ai", "mistralai")),
      Map.entry("mistral", new Provider("mistral_ai", "mistralai")),
      Map.entry("groq", new Provider("groq", "groq")),
      Map.entry("deepseek", new Provider("deepseek", "deepseek")),
      Map.entry("xai", new Provider("x_ai", "xai")),
      Map.entry("cohere", new Provider("cohere", "cohere")),
      Map.entry("perplexity", new Provider("perplexity", "perplexity")),
      Map.entry("ibm", new Provider("ibm.watsonx.ai", "ibm")));

  /** The {@code gen_ai.provider.name} for an {@code ls_provider} value; unknown providers pass through lower-cased. */
  static String providerName(Object lsProvider) {
    String name = provider(lsProvider, false);
    return name != null ? name : "unknown";
  }

  /** An {@code ls_provider} value's name in one convention; null when unset, unknown ones lower-cased. */
  private static String provider(Object lsProvider, boolean openInference) {
    if (!(lsProvider instanceof String s) || s.isEmpty()) {
      return null;
    }
    String key = s.toLowerCase(Locale.ROOT);
    Provider known = PROVIDERS.get(key);
    return known == null ? key : openInference ? known.openInference() : known.genAi();
  }

  /** {@code gen_ai.operation.name} for a run type, or {@code null} for runs that are not GenAI operations. */
  static String operationName(RunType type) {
    if (type == RunType.CHAT_MODEL) {
      return OP_CHAT;
    }
    if (type == RunType.LLM) {
      return OP_TEXT_COMPLETION;
    }
    if (type == RunType.TOOL) {
      return OP_EXECUTE_TOOL;
    }
    if (type == RunType.RETRIEVER) {
      return OP_RETRIEVAL;
    }
    return null;
  }

  /**
   * Whether a run is an in-process agent invocation: a {@code chain} run whose name is the
   * {@code ls_agent_name} in its metadata (children inherit the key but have other names).
   */
  static boolean isAgent(RunType type, String runName, Map<String, Object> metadata) {
    return type == RunType.CHAIN && runName != null && runName.equals(metadata.get(LS_AGENT_NAME));
  }

  /** Whether runs of this type are inference calls (model spans with chunk timing and usage). */
  static boolean isModel(RunType type) {
    return type == RunType.CHAT_MODEL || type == RunType.LLM;
  }

  /** Span kind: model calls are {@code CLIENT}, everything else (in-process) {@code INTERNAL}. */
  static SpanKind kind(RunType type) {
    return isModel(type) ? SpanKind.CLIENT : SpanKind.INTERNAL;
  }

  /**
   * Span name: {@code chat {model}}, {@code text_completion {model}}, {@code execute_tool {tool}},
   * {@code retrieval {data source}}, {@code invoke_agent {agent}}; other runs are named after the run.
   */
  static String spanName(RunType type, String runName, Map<String, Object> metadata) {
    String op = operationName(type);
    if (op == null) {
      return isAgent(type, runName, metadata) ? OP_INVOKE_AGENT + " " + runName : runName;
    }
    Object target;
    if (isModel(type)) {
      target = metadata.get(LS_MODEL_NAME);
    } else if (type == RunType.RETRIEVER) {
      target = metadata.get(LS_RETRIEVER_NAME);
    } else {
      target = null;
    }
    String t = target instanceof String s && !s.isEmpty() ? s : runName;
    return op + " " + t;
  }

  /** Finish-reason keys in {@code response_metadata} / {@code generation_info}, in order of preference. */
  static final List<String> FINISH_REASON_KEYS = List.of("finish_reason", "stop_reason", "done_reason");

  /** Response-model keys in {@code response_metadata} / {@code llm_output}, in order of preference. */
  static final List<String> RESPONSE_MODEL_KEYS = List.of("model_name", "model", "model_id");

  /** GenAI message roles for Tracewire message types. */
  static String role(String messageType) {
    return switch (messageType) {
      case "SystemMessage" -> "system";
      case "HumanMessage" -> "user";
      case "AIMessage", "AIMessageChunk" -> "assistant";
      case "ToolMessage" -> "tool";
      default -> messageType;
    };
  }

  // ---- OpenInference (Arize Phoenix), added beside the GenAI names when openInference(true) ----
  // names from the OpenInference semantic conventions (spec/semantic_conventions.md)
  private static final String OI_LLM = "llm.";
  private static final String OI_TOKENS = "llm.token_count.";
  static final AttributeKey<String> OI_SPAN_KIND = stringKey("openinference.span.kind");
  static final AttributeKey<String> OI_LLM_MODEL_NAME = stringKey(OI_LLM + "model_name");
  static final AttributeKey<String> OI_LLM_PROVIDER = stringKey(OI_LLM + "provider");
  static final AttributeKey<Long> OI_TOKEN_COUNT_PROMPT = longKey(OI_TOKENS + "prompt");
  static final AttributeKey<Long> OI_TOKEN_COUNT_COMPLETION = longKey(OI_TOKENS + "completion");
  static final AttributeKey<Long> OI_TOKEN_COUNT_TOTAL = longKey(OI_TOKENS + "total");
  static final AttributeKey<Long> OI_TOKEN_COUNT_CACHE_READ = longKey(OI_TOKENS + "prompt_details.cache_read");
  static final AttributeKey<Long> OI_TOKEN_COUNT_CACHE_WRITE = longKey(OI_TOKENS + "prompt_details.cache_write");
  static final AttributeKey<Long> OI_TOKEN_COUNT_REASONING = longKey(OI_TOKENS + "completion_details.reasoning");
  static final AttributeKey<String> OI_TOOL_NAME = stringKey("tool.name");
  // opt-in content (captureContent): a value and the MIME type saying how to read it
  private static final String OI_INPUT = "input.";
  private static final String OI_OUTPUT = "output.";
  static final AttributeKey<String> OI_INPUT_VALUE = stringKey(OI_INPUT + "value");
  static final AttributeKey<String> OI_INPUT_MIME_TYPE = stringKey(OI_INPUT + "mime_type");
  static final AttributeKey<String> OI_OUTPUT_VALUE = stringKey(OI_OUTPUT + "value");
  static final AttributeKey<String> OI_OUTPUT_MIME_TYPE = stringKey(OI_OUTPUT + "mime_type");
  static final String OI_MIME_TEXT = "text/plain";
  static final String OI_MIME_JSON = "application/json";
  /** {@code retrieval.documents.<i>.document.<field>}: a list flattened with zero-based indices. */
  static final String OI_RETRIEVAL_DOCUMENTS = "retrieval.documents.";
  static final String OI_DOCUMENT_ID = ".document.id";
  static final String OI_DOCUMENT_CONTENT = ".document.content";
  static final String OI_DOCUMENT_METADATA = ".document.metadata";
  /** {@code llm.input_messages.<i>.message.role|content}, likewise {@code llm.output_messages}. */
  static final String OI_INPUT_MESSAGES = OI_LLM + "input_messages.";
  static final String OI_OUTPUT_MESSAGES = OI_LLM + "output_messages.";
  static final String OI_MESSAGE_ROLE = ".message.role";
  static final String OI_MESSAGE_CONTENT = ".message.content";

  // span kinds (OpenInferenceSpanKindValues)
  static final String OI_KIND_CHAIN = "CHAIN";
  static final String OI_KIND_AGENT = "AGENT";
  /** The kinds of the built-in run types that are not chains. */
  private static final Map<RunType, String> OI_KINDS = Map.of(RunType.CHAT_MODEL, "LLM", RunType.LLM, "LLM",
      RunType.TOOL, "TOOL", RunType.RETRIEVER, "RETRIEVER", RunType.PROMPT, "PROMPT");
  /** Kinds a custom run type can name (upper-cased), besides the built-in types' mapping. */
  private static final List<String> OI_CUSTOM_KINDS = List.of("EMBEDDING", "AGENT", "RERANKER", "GUARDRAIL", "EVALUATOR");

  /**
   * {@code openinference.span.kind} of a run: model runs {@code LLM}, tools {@code TOOL},
   * retrievers {@code RETRIEVER}, prompt templates {@code PROMPT}; a run type named after another
   * kind ({@code embedding}, {@code agent}, {@code reranker}, {@code guardrail}, {@code evaluator})
   * that kind; an agent run ({@link #isAgent}) {@code AGENT}; every other run (chains, parsers,
   * lambdas) {@code CHAIN}, or {@code AGENT} when its name contains "agent" (what OpenInference's
   * LangChain instrumentation does).
   */
  static String openInferenceKind(RunType type, String runName, Map<String, Object> metadata) {
    String kind = OI_KINDS.get(type);
    if (kind != null) {
      return kind;
    }
    if (isAgent(type, runName, metadata)) {
      return OI_KIND_AGENT;
    }
    if (type != RunType.CHAIN && type != RunType.PARSER) {
      String named = type.name().toUpperCase(Locale.ROOT);
      if (OI_CUSTOM_KINDS.contains(named)) {
        return named;
      }
    }
    return containsIgnoreCase(runName, "agent") ? OI_KIND_AGENT : OI_KIND_CHAIN;
  }

  private static boolean containsIgnoreCase(String s, String word) {
    for (int i = 0, last = s.length() - word.length(); i <= last; i++) {
      if (s.regionMatches(true, i, word, 0, word.length())) {
        return true;
      }
    }
    return false;
  }

  /** The {@code llm.provider} for an {@code ls_provider} value; null when unset, unknown ones lower-cased. */
  static String openInferenceProvider(Object lsProvider) {
    return provider(lsProvider, true);
  }
}
