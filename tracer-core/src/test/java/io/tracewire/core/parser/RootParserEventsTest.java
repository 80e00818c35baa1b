package io.tracewire.core.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.CloseableIterator;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Output parsers at the root, or streamed on their own inside a function, fall back to
 * {@code invoke} as LangChain's do (spec §4 rule 4, §16): start and end, no stream event. The
 * expected lists are langchain-core 1.6.0's own output for the same calls.
 */
class RootParserEventsTest {

  private static List<String> describe(List<StreamEvent> events) {
    return events.stream().map(e -> e.event() + " " + e.name() + " " + e.data()).toList();
  }

  private static List<StreamEvent> events(Runnable<?, ?> r, Object input) {
    @SuppressWarnings("unchecked")
    Runnable<Object, Object> root = (Runnable<Object, Object>) r;
    try (CloseableIterator<StreamEvent> it = root.streamEvents(input)) {
      return it.toList();
    }
  }

  @Test
  void aRootStrOutputParserEmitsStartAndEndButNoStreamEvent() {
    assertThat(describe(events(new StrOutputParser(), "abc"))).containsExactly(
        "on_parser_start StrOutputParser {input=abc}",
        "on_parser_end StrOutputParser {output=abc}");
  }

  @Test
  void aRootStrOutputParserGivenAMessageEmitsNoStreamEventEither() {
    List<StreamEvent> events = events(new StrOutputParser(), new AIMessage("abc"));
    assertThat(events).extracting(StreamEvent::event).containsExactly("on_parser_start", "on_parser_end");
    assertThat(events.get(1).data()).isEqualTo(Map.of("output", "abc"));
  }

  @Test
  void aRootJsonOutputParserEmitsStartAndEndButNoStreamEvent() {
    assertThat(describe(events(new JsonOutputParser(), "{\"a\": 1}"))).containsExactly(
        "on_parser_start JsonOutputParser {input={\"a\": 1}}",
        "on_parser_end JsonOutputParser {output={a=1}}");
  }

  @Test
  void streamingARootParserYieldsTheParsedValueOnce() {
    assertThat(new StrOutputParser().stream("abc").toList()).containsExactly("abc");
    assertThat(new JsonOutputParser().stream("{\"a\": 1}").toList()).containsExactly(Map.of("a", 1));
  }

  @Test
  void aParserStreamedInsideAFunctionIsAnInvokeWithItsInputOnTheEndEvent() {
    RunnableLambda<String, List<String>> app = RunnableLambda.of("app", (String x) -> new StrOutputParser().stream(x).toList());
    assertThat(describe(events(app, "abc"))).containsExactly(
        "on_chain_start app {input=abc}",
        "on_parser_start StrOutputParser {input=abc}",
        "on_parser_end StrOutputParser {output=abc, input=abc}",
        "on_chain_stream app {chunk=[abc]}",
        "on_chain_end app {output=[abc]}");
  }

  @Test
  void aParserInsideASequenceStillStreamsEachChunk() {
    Runnable<Object, String> chain = GenericFakeChatModel.cycling(List.of(new AIMessage("a b"))).pipe(new StrOutputParser());
    assertThat(events(chain, "hi")).filteredOn(e -> e.event().equals("on_parser_stream"))
        .extracting(e -> e.dataValue("chunk")).containsExactly("a", " ", "b");
  }
}
