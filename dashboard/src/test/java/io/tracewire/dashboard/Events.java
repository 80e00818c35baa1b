package io.tracewire.dashboard;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.UsageMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Builds synthetic event trees for tests: a root chain with a streaming chat model child. */
final class Events {
  private static final AtomicLong SEQ = new AtomicLong(1_000_000);
  private static final long T0 = System.currentTimeMillis() * 1_000_000L;

  private Events() {}

  static StreamEvent ev(String event, String name, String runId, List<String> parents, List<String> tags,
      Object data, long tsMillisOffset) {
    Map<String, Object> md = new LinkedHashMap<>();
    if (event.contains("chat_model")) {
      md.put("ls_provider", "fake");
      md.put("ls_model_name", "fake-model");
    }
    return new StreamEvent(event, name, runId, parents, tags, md, data, SEQ.incrementAndGet(),
        T0 + tsMillisOffset * 1_000_000L);
  }

  /**
   * A finished (or failed) root chain {@code rootId} named {@code name} with one chat model child
   * that streams {@code chunks}; usage 10 in, chunks.size() out.
   */
  static List<StreamEvent> tree(String rootId, String name, List<String> tags, List<String> chunks, boolean fail,
      long startMillis) {
    String child = rootId + "-m";
    List<String> p = List.of(rootId);
    List<StreamEvent> out = new ArrayList<>();
    long t = startMillis;
    out.add(ev("on_chain_start", name, rootId, List.of(), tags, Map.of("input", "hi"), t));
    out.add(ev("on_chat_model_start", "FakeChat", child, p, tags, Map.of("input", Map.of("messages", List.of())), t + 1));
    AIMessageChunk all = null;
    for (int i = 0; i < chunks.size(); i++) {
      AIMessageChunk c = AIMessageChunk.builder().content(chunks.get(i)).id("run-" + child)
          .usage(i == 0 ? new UsageMetadata(10, 0, 10) : new UsageMetadata(0, 1, 1)).build();
      all = all == null ? c : all.add(c);
      out.add(ev("on_chat_model_stream", "FakeChat", child, p, tags, Map.of("chunk", c), t + 11 + 5L * i));
    }
    long end = t + 12 + 5L * chunks.size();
    if (fail) {
      out.add(ev("on_chat_model_error", "FakeChat", child, p, tags,
          Map.of("error", new IllegalStateException("model <b>exploded</b>")), end));
      out.add(ev("on_chain_error", name, rootId, List.of(), tags, Map.of("error", new IllegalStateException("boom")), end + 1));
    } else {
      AIMessage msg = new AIMessage(all == null ? "" : all.text(), "run-" + child, null, null, null, null,
          new UsageMetadata(10, chunks.size(), 10 + chunks.size()));
      out.add(ev("on_chat_model_end", "FakeChat", child, p, tags, Map.of("output", msg, "input", Map.of()), end));
      out.add(ev("on_chain_end", name, rootId, List.of(), tags, Map.of("output", "done"), end + 1));
    }
    return out;
  }
}
