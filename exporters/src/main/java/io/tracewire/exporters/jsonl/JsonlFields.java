package io.tracewire.exporters.jsonl;

import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The names of the JSONL format: field names pre-encoded for the generator, and the
 * {@code "type"} discriminators (LangChain's class names) of typed values. Constants only.
 */
final class JsonlFields {
  private JsonlFields() {}

  static final SerializedString V = new SerializedString("v");
  static final SerializedString W = new SerializedString("w");
  static final SerializedString SEQ = new SerializedString("seq");
  static final SerializedString TS = new SerializedString("ts");
  static final SerializedString EVENT = new SerializedString("event");
  static final SerializedString NAME = new SerializedString("name");
  static final SerializedString RUN_ID = new SerializedString("run_id");
  static final SerializedString TRACE_ID = new SerializedString("trace_id");
  static final SerializedString SPAN_ID = new SerializedString("span_id");
  static final SerializedString PARENT_IDS = new SerializedString("parent_ids");
  static final SerializedString TAGS = new SerializedString("tags");
  static final SerializedString METADATA = new SerializedString("metadata");
  static final SerializedString DATA = new SerializedString("data");
  static final SerializedString TYPE = new SerializedString("type");
  static final SerializedString MESSAGE = new SerializedString("message");
  static final SerializedString CONTENT = new SerializedString("content");
  static final SerializedString ID = new SerializedString("id");
  static final SerializedString ADDITIONAL_KWARGS = new SerializedString("additional_kwargs");
  static final SerializedString RESPONSE_METADATA = new SerializedString("response_metadata");
  static final SerializedString TOOL_CALLS = new SerializedString("tool_calls");
  static final SerializedString TOOL_CALL_CHUNKS = new SerializedString("tool_call_chunks");
  static final SerializedString USAGE_METADATA = new SerializedString("usage_metadata");
  static final SerializedString CHUNK_POSITION = new SerializedString("chunk_position");
  static final SerializedString TOOL_CALL_ID = new SerializedString("tool_call_id");
  static final SerializedString STATUS = new SerializedString("status");
  static final SerializedString ARGS = new SerializedString("args");
  static final SerializedString INDEX = new SerializedString("index");
  static final SerializedString INPUT_TOKENS = new SerializedString("input_tokens");
  static final SerializedString OUTPUT_TOKENS = new SerializedString("output_tokens");
  static final SerializedString TOTAL_TOKENS = new SerializedString("total_tokens");
  static final SerializedString INPUT_TOKEN_DETAILS = new SerializedString("input_token_details");
  static final SerializedString OUTPUT_TOKEN_DETAILS = new SerializedString("output_token_details");
  static final SerializedString CACHE_CREATION = new SerializedString("cache_creation");
  static final SerializedString CACHE_READ = new SerializedString("cache_read");
  static final SerializedString AUDIO = new SerializedString("audio");
  static final SerializedString REASONING = new SerializedString("reasoning");
  static final SerializedString PAGE_CONTENT = new SerializedString("page_content");
  static final SerializedString MESSAGES = new SerializedString("messages");
  static final SerializedString TEXT = new SerializedString("text");
  static final SerializedString GENERATIONS = new SerializedString("generations");
  static final SerializedString LLM_OUTPUT = new SerializedString("llm_output");
  static final SerializedString GENERATION_INFO = new SerializedString("generation_info");

  // LangChain class names used as "type" discriminators.
  static final String T_SYSTEM = "SystemMessage";
  static final String T_HUMAN = "HumanMessage";
  static final String T_AI = "AIMessage";
  static final String T_AI_CHUNK = "AIMessageChunk";
  static final String T_TOOL = "ToolMessage";
  static final String T_DOCUMENT = "Document";
  static final String T_CHAT_PROMPT = "ChatPromptValue";
  static final String T_STRING_PROMPT = "StringPromptValue";
  static final String T_LLM_RESULT = "LLMResult";
  static final String T_GENERATION = "Generation";
  static final String T_GENERATION_CHUNK = "GenerationChunk";
  static final String T_TOOL_CALL = "tool_call";
  static final String T_TOOL_CALL_CHUNK = "tool_call_chunk";
}
