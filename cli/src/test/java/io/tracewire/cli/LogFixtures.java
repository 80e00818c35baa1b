package io.tracewire.cli;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.ChunkPosition;
import io.tracewire.core.message.UsageMetadata;
import io.tracewire.exporters.jsonl.JsonlCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Deterministic event logs for the CLI tests: fixed ids, seq and timestamps. */
final class LogFixtures {
  private LogFixtures() {}

  static final long T0 = 1_700_000_000_000_000_000L;
  static final String ROOT = "00000000-0000-0000-0000-000000000001";
  static final String MODEL = "00000000-0000-0000-0000-000000000002";
  static final String TOOL = "00000000-0000-0000-0000-000000000003";

  static StreamEvent ev(long seq, long ms, String event, String name, String runId, List<String> parents, Object data) {
    return new StreamEvent(event, name, runId, parents, List.of("t"), Map.of("user", "alice"), data, seq, T0 + ms * 1_000_000L);
  }

  /** A chain with a streaming chat model (usage) and a failing tool. */
  static List<StreamEvent> chain() {
    List<StreamEvent> l = new ArrayList<>();
    long s = 1;
    l.add(ev(s++, 0, "on_chain_start", "agent", ROOT, List.of(), Map.of("input", "hi")));
    l.add(ev(s++, 1, "on_chat_model_start", "ChatFake", MODEL, List.of(ROOT), Map.of("input", Map.of("messages", List.of()))));
    String[] tokens = {"Hello", " gold", "fish", "!"};
    for (int i = 0; i < tokens.length; i++) {
      AIMessageChunk c = AIMessageChunk.builder().content(tokens[i]).id("m1")
          .usage(i == 0 ? new UsageMetadata(10, 0, 10) : i == tokens.length - 1 ? new UsageMetadata(0, 4, 4) : null)
          .chunkPosition(i == tokens.length - 1 ? ChunkPosition.LAST : null).build();
      l.add(ev(s++, 101 + i * 10L, "on_chat_model_stream", "ChatFake", MODEL, List.of(ROOT), Map.of("chunk", c)));
    }
    l.add(ev(s++, 141, "on_chat_model_end", "ChatFake", MODEL, List.of(ROOT),
        Map.of("output", new AIMessage("Hello goldfish!", "m1"))));
    l.add(ev(s++, 150, "on_tool_start", "search", TOOL, List.of(ROOT), Map.of("input", Map.of("q", "fish"))));
    l.add(ev(s++, 170, "on_tool_error", "search", TOOL, List.of(ROOT), java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(Map.of("error", new IllegalStateException("index offline"), "input", Map.of("q", "fish"))))));
    l.add(ev(s++, 200, "on_chain_end", "agent", ROOT, List.of(), Map.of("output", "Hello goldfish!")));
    return l;
  }

  static Path write(Path file, List<StreamEvent> events) throws IOException {
    JsonlCodec codec = new JsonlCodec();
    StringBuilder sb = new StringBuilder();
    for (StreamEvent e : events) {
      sb.append(codec.encodeToString(e)).append('\n');
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    return file;
  }
}
