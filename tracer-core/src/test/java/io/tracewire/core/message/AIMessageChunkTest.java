package io.tracewire.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AIMessageChunkTest {

  @Test
  void stringContentConcatenatesAndChunkPositionSticks() {
    AIMessageChunk a = new AIMessageChunk("Hello", "lc_run--1");
    AIMessageChunk b = new AIMessageChunk(" world", "lc_run--1").withChunkPosition(ChunkPosition.LAST);
    AIMessageChunk m = a.add(b);
    assertThat(m.content()).isEqualTo("Hello world");
    assertThat(m.chunkPosition()).isEqualTo(ChunkPosition.LAST);
    assertThat(a.chunkPosition()).isNull();
  }

  @Test
  void providerIdWinsOverGeneratedIdsInEitherOrder() {
    assertThat(new AIMessageChunk("a", "lc_run--x").add(new AIMessageChunk("b", "ai1")).id()).isEqualTo("ai1");
    assertThat(new AIMessageChunk("a", "ai1").add(new AIMessageChunk("b", "lc_run--x")).id()).isEqualTo("ai1");
    assertThat(new AIMessageChunk("a", "lc_other").add(new AIMessageChunk("b", "lc_run--x")).id()).isEqualTo("lc_run--x");
    assertThat(new AIMessageChunk("a", null).add(new AIMessageChunk("b", null)).id()).isNull();
  }

  @Test
  void usageSumsFieldByFieldAndAbsentDetailsStayAbsent() {
    UsageMetadata u1 = new UsageMetadata(21, 2, 23, new InputTokenDetails(0L, 5L, null), null);
    UsageMetadata u2 = new UsageMetadata(0, 10, 10, null, new OutputTokenDetails(4L, null));
    AIMessageChunk m = AIMessageChunk.builder().content("").usage(u1).build()
        .add(AIMessageChunk.builder().content("x").usage(u2).build());
    assertThat(m.usageMetadata()).isEqualTo(new UsageMetadata(21, 12, 33, new InputTokenDetails(0L, 5L, null),
        new OutputTokenDetails(4L, null)));
    assertThat(new AIMessageChunk("a").add(new AIMessageChunk("b")).usageMetadata()).isNull();
  }

  @Test
  void toolCallChunksMergeByIndexAndBecomeToolCalls() {
    AIMessageChunk a = AIMessageChunk.builder().toolCallChunks(List.of(new ToolCallChunk("get_weather", "{\"ci", "call_1", 0))).build();
    AIMessageChunk b = AIMessageChunk.builder().toolCallChunks(List.of(new ToolCallChunk(null, "ty\": \"Paris\"}", null, 0),
        new ToolCallChunk("other", "{}", "call_2", 1))).build();
    AIMessageChunk m = a.add(b);
    assertThat(m.toolCallChunks()).containsExactly(new ToolCallChunk("get_weather", "{\"city\": \"Paris\"}", "call_1", 0),
        new ToolCallChunk("other", "{}", "call_2", 1));
    assertThat(m.toMessage().toolCalls()).containsExactly(new ToolCall("get_weather", Map.of("city", "Paris"), "call_1"),
        new ToolCall("other", Map.of(), "call_2"));
  }

  @Test
  void toolCallWithInvalidJsonArgumentsIsNotAToolCall() {
    AIMessageChunk m = AIMessageChunk.builder().toolCallChunks(List.of(new ToolCallChunk("f", "{\"a\": ", "c", 0))).build();
    assertThat(m.toMessage().toolCalls()).isEmpty();
  }

  @Test
  void responseMetadataMergesLikeLangChain() {
    AIMessageChunk a = AIMessageChunk.builder().responseMetadata(Map.of("model_name", "gpt", "id", "x", "n", 1, "index", 0)).build();
    AIMessageChunk b = AIMessageChunk.builder().responseMetadata(Map.of("model_name", "-4o", "id", "x", "n", 2, "index", 3,
        "finish_reason", "stop")).build();
    Map<String, Object> md = a.add(b).responseMetadata();
    assertThat(md).containsEntry("model_name", "gpt-4o").containsEntry("id", "x").containsEntry("n", 3L)
        .containsEntry("index", 3).containsEntry("finish_reason", "stop");
  }

  @Test
  void mismatchedMetadataTypesFail() {
    AIMessageChunk a = AIMessageChunk.builder().additionalKwargs(Map.of("k", "s")).build();
    AIMessageChunk b = AIMessageChunk.builder().additionalKwargs(Map.of("k", List.of(1))).build();
    assertThatThrownBy(() -> a.add(b)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different type");
  }

  @Test
  void listContentMergesBlocksByIndex() {
    AIMessageChunk a = AIMessageChunk.builder().content(List.of(Map.of("type", "text", "text", "Hel", "index", 0))).build();
    AIMessageChunk b = AIMessageChunk.builder().content(List.of(Map.of("type", "text", "text", "lo", "index", 0),
        Map.of("type", "tool_use", "index", 1))).build();
    AIMessageChunk m = a.add(b);
    assertThat(m.text()).isEqualTo("Hello");
    assertThat((List<?>) m.content()).hasSize(2);
  }

  @Test
  void stringPlusListPrependsTheString() {
    AIMessageChunk m = new AIMessageChunk("a").add(AIMessageChunk.builder().content(List.of(Map.of("type", "text", "text", "b"))).build());
    assertThat((List<?>) m.content()).hasSize(2).first().isEqualTo("a");
    assertThat(m.text()).isEqualTo("ab");
  }

  @Test
  void contentMustBeStringOrList() {
    assertThatThrownBy(() -> new AIMessageChunk(42, null, null, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("content");
  }

  @Test
  void bufferStringRendersRoles() {
    assertThat(BaseMessage.bufferString(List.of(new SystemMessage("s"), new HumanMessage("h"), new AIMessage("a"))))
        .isEqualTo("System: s\nHuman: h\nAI: a");
  }

  @Test
  void accumulatorGivesTheSameResultAsFoldingAdd() {
    List<AIMessageChunk> chunks = List.of(
        new AIMessageChunk("Hel", "lc_run--1"),
        new AIMessageChunk("lo", null),
        AIMessageChunk.builder().content(" wor").id("msg_1").responseMetadata(Map.of("model_name", "m")).build(),
        AIMessageChunk.builder().content("ld").usage(new UsageMetadata(1, 2, 3)).build(),
        AIMessageChunk.builder().content("").toolCallChunks(List.of(new ToolCallChunk("f", "{}", "c", 0))).build(),
        new AIMessageChunk("!", null).withChunkPosition(ChunkPosition.LAST));
    AIMessageChunk folded = chunks.get(0);
    ChunkAccumulator acc = new ChunkAccumulator();
    acc.add(chunks.get(0));
    for (int i = 1; i < chunks.size(); i++) {
      folded = folded.add(chunks.get(i));
      acc.add(chunks.get(i));
      assertThat(acc.result()).isEqualTo(folded);
    }
    assertThat(acc.count()).isEqualTo(6);
    assertThat(new ChunkAccumulator().result()).isNull();
  }
}
