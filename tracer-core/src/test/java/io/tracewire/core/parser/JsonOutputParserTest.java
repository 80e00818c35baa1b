package io.tracewire.core.parser;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.Runnable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonOutputParserTest {

  // the partial JSON rules themselves are in internal.JsonTest

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
