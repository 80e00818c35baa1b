package io.tracewire.exporters.jsonl;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.UsageMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test events shaped like the LangChain streaming guide's. */
final class Events {
  private Events() {}

  static final String RUN_ID = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

  static Map<String, Object> lsMetadata() {
    Map<String, Object> md = new LinkedHashMap<>();
    md.put("ls_provider", "anthropic");
    md.put("ls_model_name", "claude-3-haiku-20240307");
    md.put("ls_model_type", "chat");
    md.put("ls_temperature", null);
    md.put("ls_max_tokens", 1024);
    return md;
  }

  /** An on_chat_model_stream event like the guide's (about half a kilobyte of JSON). */
  static StreamEvent seed(long seq, String text) {
    AIMessageChunk chunk = AIMessageChunk.builder()
        .content(text)
        .id("run-" + RUN_ID)
        .usage(new UsageMetadata(21, 2, 23, new InputTokenDetails(0L, 0L, null), null))
        .build();
    return new StreamEvent("on_chat_model_stream", "ChatAnthropic", RUN_ID, List.of(), List.of(), lsMetadata(),
        Map.of("chunk", chunk), seq, 1_764_000_000_000_000_000L + seq);
  }
}
