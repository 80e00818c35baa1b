package io.tracewire.core.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.RunConfig;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.RunnableLambda;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link EventSink#acceptedKinds()}: a sink's queue holds only the kinds it handles. */
class AcceptedKindsTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  /** A {@link RecordingSink} (blocking in its first export) that declares the kinds it handles. */
  static final class Choosy implements EventSink {
    final RecordingSink rec = new RecordingSink(true);
    final Set<EventKind> kinds;

    Choosy(Set<EventKind> kinds) {
      this.kinds = kinds;
    }

    @Override
    public void export(List<StreamEvent> batch) {
      rec.export(batch);
    }

    @Override
    public Set<EventKind> acceptedKinds() {
      return kinds;
    }
  }

  static StreamEvent ev(String event, long seq) {
    return new StreamEvent(event, "t", "r-" + seq, List.of(), List.of(), Map.of(), Map.of(), seq, seq);
  }

  @Test
  void chunkTrafficDoesNotDropTheStartAndEndEventsOfASinkThatAcceptsNoChunks() throws Exception {
    Choosy sink = new Choosy(EnumSet.complementOf(EnumSet.of(EventKind.STREAM)));
    RecordingSink all = new RecordingSink(false);
    try (EventBus bus = EventBus.builder().sink(sink, SinkConfig.named("choosy").withCapacity(16))
        .sink(all, SinkConfig.named("all").withCapacity(100_000)).build()) {
      bus.onEvent(ev("on_chain_start", 0));
      assertThat(sink.rec.entered.await(30, TimeUnit.SECONDS)).isTrue();
      // the sink's worker is stalled in its first export: 1,000 runs of 1 start, 50 chunks and 1 end
      long seq = 1;
      for (int run = 0; run < 1_000; run++) {
        bus.onEvent(ev("on_chat_model_start", seq++));
        for (int c = 0; c < 50; c++) {
          bus.onEvent(ev("on_chat_model_stream", seq++));
        }
        bus.onEvent(ev("on_chat_model_end", seq++));
      }
      SinkStats stalled = bus.stats("choosy");
      // 16 slots: the first 16 start/end events are queued, the rest dropped; no chunk took a slot or was counted
      assertThat(stalled.queued()).isEqualTo(1 + 16);
      assertThat(stalled.dropped()).isEqualTo(2_000 - 16);
      sink.rec.release.countDown();
      assertThat(bus.flush(LONG)).isTrue();
      assertThat(sink.rec.events).extracting(StreamEvent::event).doesNotContain("on_chat_model_stream").hasSize(17);
      assertThat(all.events).hasSize(1 + 52_000);
      assertThat(bus.stats("all").dropped()).isZero();
    }
  }

  @Test
  void withEnoughRoomEveryAcceptedEventArrivesAndNoOtherIsCounted() {
    Choosy sink = new Choosy(EnumSet.of(EventKind.END, EventKind.CUSTOM));
    sink.rec.release.countDown();
    try (EventBus bus = EventBus.builder().sink(sink, SinkConfig.named("ends")).build()) {
      String[] names = {"on_chain_start", "on_chain_stream", "on_chain_end", "on_tool_error", "on_chain_cancel",
          "on_custom_event", "on_something_new"};
      long seq = 0;
      for (String n : names) {
        bus.onEvent(ev(n, seq++));
      }
      assertThat(bus.flush(LONG)).isTrue();
      // an event name of no known kind reaches every sink that accepts something
      assertThat(sink.rec.events).extracting(StreamEvent::event)
          .containsExactly("on_chain_end", "on_custom_event", "on_something_new");
      SinkStats s = bus.stats("ends");
      assertThat(s.queued()).isEqualTo(3);
      assertThat(s.delivered()).isEqualTo(3);
      assertThat(s.dropped()).isZero();
    }
  }

  @Test
  void chunksNoSinkAcceptsAreNotEvenBuiltAndNotCountedAsDrops() {
    Choosy sink = new Choosy(EnumSet.of(EventKind.START, EventKind.END));
    sink.rec.release.countDown();
    try (EventBus bus = EventBus.builder().sink(sink, SinkConfig.named("runs")).build()) {
      RunnableLambda.of("streamer", (String s) -> s).invoke("x", RunConfig.builder().listener(bus).build());
      assertThat(bus.flush(LONG)).isTrue();
      assertThat(sink.rec.events).extracting(StreamEvent::event).containsExactly("on_chain_start", "on_chain_end");
      assertThat(bus.stats("runs").dropped()).isZero();
      assertThat(bus.stats("runs").queued()).isEqualTo(2);
    }
  }

  @Test
  void aSinkWhoseAcceptedKindsThrowsOrIsNullGetsEveryEvent() {
    EventSink throwing = new EventSink() {
      final RecordingSink rec = new RecordingSink(false);

      @Override
      public void export(List<StreamEvent> batch) {
        rec.export(batch);
      }

      @Override
      public Set<EventKind> acceptedKinds() {
        throw new IllegalStateException("no idea");
      }
    };
    Choosy nul = new Choosy(null);
    nul.rec.release.countDown();
    try (EventBus bus = EventBus.builder().sink(throwing, SinkConfig.named("throws")).sink(nul, SinkConfig.named("null"))
        .build()) {
      bus.onEvent(ev("on_chain_stream", 1));
      assertThat(bus.flush(LONG)).isTrue();
      assertThat(bus.stats("throws").delivered()).isEqualTo(1);
      assertThat(bus.stats("null").delivered()).isEqualTo(1);
    }
  }

  @Test
  void eventKindsFollowTheEventNamesShape() {
    assertThat(EventKind.of("on_chat_model_start")).isEqualTo(EventKind.START);
    assertThat(EventKind.of("on_llm_stream")).isEqualTo(EventKind.STREAM);
    assertThat(EventKind.of("on_tool_end")).isEqualTo(EventKind.END);
    assertThat(EventKind.of("on_tool_error")).isEqualTo(EventKind.ERROR);
    assertThat(EventKind.of("on_chain_cancel")).isEqualTo(EventKind.CANCEL);
    assertThat(EventKind.of(StreamEvent.CUSTOM_EVENT)).isEqualTo(EventKind.CUSTOM);
    assertThat(EventKind.of("whatever")).isNull();
  }
}
