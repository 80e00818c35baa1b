package io.tracewire.benchmarks;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.UsageMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The seed-shaped event of docs/benchmarks.md: an on_chat_model_stream event like LangChain's streaming guide shows. */
final class Seed {
  private Seed() {}

  static final String RUN_ID = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

  static StreamEvent event(long seq) {
    Map<String, Object> md = new LinkedHashMap<>();
    md.put("ls_provider", "anthropic");
    md.put("ls_model_name", "claude-3-haiku-20240307");
    md.put("ls_model_type", "chat");
    md.put("ls_temperature", null);
    md.put("ls_max_tokens", 1024);
    AIMessageChunk chunk = AIMessageChunk.builder()
        .content(" a short one-verse song")
        .id("run-" + RUN_ID)
        .usage(new UsageMetadata(21, 2, 23, new InputTokenDetails(0L, 0L, null), null))
        .build();
    return new StreamEvent("on_chat_model_stream", "ChatAnthropic", RUN_ID, List.of(), List.of(), md,
        Map.of("chunk", chunk), seq, 1_764_000_000_000_000_000L + seq);
  }
}
