package io.tracewire.core.util;

import io.tracewire.core.event.StreamEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrozenTest {
  @Test
  void smallMapsBehaveLikeInsertionOrderedMapsThatAllowNullValues() {
    Map<String, Object> two = Frozen.of2("output", null, "input", 1);
    LinkedHashMap<String, Object> same = new LinkedHashMap<>();
    same.put("output", null);
    same.put("input", 1);
    assertThat(two).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(same).isEqualTo(two);
    assertThat(two.keySet()).containsExactly("output", "input");
    assertThat(two.toString()).isEqualTo("{output=null, input=1}");
    assertThat(two.containsKey("output")).isTrue();
    assertThat(two.containsKey("chunk")).isFalse();
    assertThat(two.get("input")).isEqualTo(1);
    assertThat(two.get("chunk")).isNull();
    assertThat(two.get(null)).isNull();

    Map<String, Object> one = Frozen.of1("chunk", "a");
    assertThat(one).isEqualTo(Map.of("chunk", "a")).hasSize(1);
    assertThat(one.containsKey("input")).isFalse();
    assertThat(one.get("input")).isNull();
    assertThat(Frozen.of1("input", null)).containsEntry("input", null).isNotEqualTo(Map.of());
  }

  @Test
  void smallMapsAreImmutableAndNeverCopiedAgain() {
    Map<String, Object> two = Frozen.of2("a", 1, "b", 2);
    assertThatThrownBy(() -> two.put("c", 3)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> two.entrySet().iterator().next().setValue(9)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(two::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThat(Frozen.map(two)).isSameAs(two);
    assertThat(new StreamEvent("on_chain_end", "x", "r", java.util.List.of(), java.util.List.of(), Map.of(), two, 1, 1).data())
        .isSameAs(two);
  }
}
