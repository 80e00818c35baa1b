package io.tracewire.core.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void strictModeReadsCompleteObjectsWithTypedNumbersAndKeyOrder() {
    Map<String, Object> m = Json.parseObject(" {\"b\": 1, \"a\": [true, null, 2.5, 3000000000], \"s\": \"x\\n\\u00e9\"} ");
    assertThat(m).containsExactly(Map.entry("b", 1), Map.entry("a", Arrays.asList(true, null, 2.5, 3000000000L)),
        Map.entry("s", "x\né"));
    assertThat(Json.parseObject("{}")).isEmpty();
  }

  @Test
  void strictModeReturnsNullForAnythingButExactlyOneObject() {
    for (String bad : List.of("", "[]", "1", "{\"a\": 1", "{\"a\": 1,}", "{\"a\": 1 \"b\": 2}", "{,}", "{\"a\": [1,]}",
        "{\"a\": \"tab\tin string\"}", "{\"a\": 1} x", "{\"a\": tru}", "{\"a\": \"\\u00\"}")) {
      assertThat(Json.parseObject(bad)).as(bad).isNull();
    }
    assertThat(Json.parseObject(null)).isNull();
    assertThat(Json.parseObject("[".repeat(300))).isNull();
  }

  @Test
  void partialModeClosesWhatIsOpenAndDropsWhatCannotBeCompleted() {
    assertThat(Json.parsePartial("{\"a\": [1, 2")).isEqualTo(Map.of("a", List.of(1, 2)));
    assertThat(Json.parsePartial("{\"name\": \"Gol")).isEqualTo(Map.of("name", "Gol"));
    assertThat(Json.parsePartial("{\"a\": 1, \"b")).isEqualTo(Map.of("a", 1));
    assertThat(Json.parsePartial("{\"a\": tr")).isEqualTo(Map.of());
    assertThat(Json.parsePartial("[1, -")).isEqualTo(List.of(1));
    assertThat(Json.parsePartial("{\"a\": 1 \"b\": 2}")).isEqualTo(Map.of("a", 1, "b", 2));
    assertThat(Json.parsePartial("{\"s\": \"x\\u00")).isEqualTo(Map.of("s", "x"));
    assertThat(Json.parsePartial("   ")).isSameAs(Json.INCOMPLETE);
    assertThat(Json.parsePartial("```json\n{\"ok\": true}\n```")).isEqualTo(Map.of("ok", true));
  }

  @Test
  void partialModeRejectsTextThatCanNeverBecomeJsonWithTheOffset() {
    assertThatThrownBy(() -> Json.parsePartial("hello")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 0");
    assertThatThrownBy(() -> Json.parsePartial("{\"a\": 1} x")).hasMessageContaining("offset 9");
    assertThatThrownBy(() -> Json.parsePartial("{1: 2}")).hasMessageContaining("expected a key at offset 1");
  }
}
