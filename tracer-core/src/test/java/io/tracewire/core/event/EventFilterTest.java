package io.tracewire.core.event;

import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.runnable.RunnableSequence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventFilterTest {
  private static StreamEvent event(String event, String name, String... tags) {
    return new StreamEvent(event, name, "id", List.of(), List.of(tags), Map.of(), Map.of(), 1, 1);
  }

  @Test
  void noListsLetEverythingThroughButExtensionEvents() {
    assertThat(EventFilter.ALL.test(event("on_chain_start", "x"))).isTrue();
    assertThat(EventFilter.ALL.test(event("on_tool_error", "x"))).isTrue();
    assertThat(EventFilter.ALL.test(event("on_chain_error", "x"))).isFalse();
    assertThat(EventFilter.ALL.test(event("on_chain_cancel", "x"))).isFalse();
    assertThat(EventFilter.builder().includeExtensionEvents(true).build().test(event("on_chain_cancel", "x"))).isTrue();
  }

  @Test
  void includeListsAreOredAndExcludesWin() {
    EventFilter f = EventFilter.builder().includeNames("a").includeTypes("chat_model").excludeTags("secret").build();
    assertThat(f.test(event("on_chain_start", "a"))).isTrue();
    assertThat(f.test(event("on_chat_model_stream", "m"))).isTrue();
    assertThat(f.test(event("on_chain_start", "b"))).isFalse();
    assertThat(f.test(event("on_chain_start", "a", "secret"))).isFalse();
  }

  @Test
  void anEmptyIncludeListLetsNothingThrough() {
    EventFilter f = new EventFilter(Set.of(), null, null, null, null, null, false);
    assertThat(f.test(event("on_chain_start", "a"))).isFalse();
  }

  @Test
  void customEventsMatchTypesByTheirName() {
    EventFilter f = EventFilter.builder().includeTypes("progress").build();
    assertThat(f.test(event("on_custom_event", "progress"))).isTrue();
    assertThat(f.test(event("on_custom_event", "other"))).isFalse();
  }

  @Test
  void excludingATagRemovesTheWholeSubtreeInAStream() {
    Runnable<String, String> inner = RunnableLambda.of("inner", (String x) -> x);
    Runnable<String, String> secret = RunnableLambda.of("secret", (String x) -> inner.invoke(x))
        .withConfig(RunConfig.builder().tags("hidden").build());
    Runnable<String, String> chain = RunnableLambda.<String, String>of("first", x -> x).pipe(secret);
    List<String> names = chain.streamEvents("x", null, EventFilter.builder().excludeTags("hidden").build())
        .toList().stream().map(StreamEvent::name).distinct().toList();
    assertThat(names).containsExactly("RunnableSequence", "first");
  }
}
