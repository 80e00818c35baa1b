package io.tracewire.core.parser;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.internal.Json;
import io.tracewire.core.runnable.Runnable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonOutputParserTest {

  @Test
  void partialTextClosesWhatIsOpen() {
    assertThat(Json.parsePartial("{\"a\": [1, 2")).isEqualTo(Map.of("a", List.of(1, 2)));
    assertThat(Json.parsePartial("{\"name\": \"Gol")).isEqualTo(Map.of("name", "Gol"));
    assertThat(Json.parsePartial("{\"a\": 1, \"b")).isEqualTo(Map.of("a", 1));
    assertThat(Json.parsePartial("{\"a\": tr")).isEqualTo(Map.of());
    assertThat(Json.parsePartial("[1, -")).isEqualTo(List.of(1));
    assertThat(Json.parsePartial("   ")).isSameAs(Json.INCOMPLETE);
    assertThat(Json.parsePartial("```json\n{\"ok\": true}\n```")).isEqualTo(Map.of("ok", true));
    assertThatThrownBy(() -> Json.parsePartial("hello")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void streamsGrowingObjectsFromAModel() {
    Runnable<Object, Object> chain = GenericFakeChatModel.cycling(List.of(new AIMessage("{\"fish\": \"gold\", \"place\": \"moon\"}")))
        .pipe(new JsonOutputParser());
    List<Object> parts = chain.stream("x").toList();
    assertThat(parts).first().isEqualTo(Map.of());
    assertThat(parts).last().isEqualTo(Map.of("fish", "gold", "place", "moon"));
    assertThat(parts).contains(Map.of("fish", "gold"));
    assertThat(chain.invoke("x")).isEqualTo(Map.of("fish", "gold", "place", "moon"));
    List<StreamEvent> events = chain.streamEvents("x").toList();
    assertThat(events).filteredOn(e -> e.event().equals("on_parser_stream")).hasSize(parts.size());
  }

  @Test
  void invokeRejectsTextThatIsNotJson() {
    assertThatThrownBy(() -> new JsonOutputParser().invoke("no json here")).isInstanceOf(IllegalArgumentException.class);
  }
}
