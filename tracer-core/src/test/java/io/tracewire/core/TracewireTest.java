package io.tracewire.core;

import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.internal.Engine;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.sink.EventBus;
import io.tracewire.core.sink.RecordingSink;
import io.tracewire.core.sink.SinkConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracewireTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  @AfterEach
  void noListenerLeftInstalled() {
    assertThat(Engine.globalListeners).isEmpty();
  }

  static final class Collect implements RunListener {
    final List<StreamEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(StreamEvent event) {
      events.add(event);
    }

    StreamEvent start(String name) {
      return events.stream().filter(e -> e.name().equals(name) && e.event().endsWith("_start")).findFirst().orElseThrow();
    }
  }

  @Test
  void installedSinksAndListenersSeeEveryRunUntilTheScopeCloses() {
    Collect listener = new Collect();
    RecordingSink sink = new RecordingSink(false);
    Runnable<Integer, Integer> plusOne = Tracewire.function("plusOne", x -> x + 1);
    try (Tracewire tw = Tracewire.builder().listener(listener).sink(sink, SinkConfig.named("rec")).install()) {
      assertThat(plusOne.invoke(1)).isEqualTo(2);
      assertThat(tw.flush(LONG)).isTrue();
      assertThat(sink.events).extracting(StreamEvent::event).containsExactly("on_chain_start", "on_chain_end");
      assertThat(listener.events).hasSize(2);
      assertThat(tw.stats()).singleElement().satisfies(s -> assertThat(s.delivered()).isEqualTo(2));
    }
    plusOne.invoke(2);
    assertThat(listener.events).hasSize(2);
    assertThat(sink.closes.get()).isEqualTo(1);
  }

  @Test
  void closingOneScopeKeepsTheOthersInstalled() {
    Collect outer = new Collect();
    Collect inner = new Collect();
    Runnable<Integer, Integer> id = Tracewire.function("id", x -> x);
    try (Tracewire a = Tracewire.builder().listener(outer).install()) {
      try (Tracewire b = Tracewire.builder().listener(inner).install()) {
        id.invoke(1);
      }
      id.invoke(2);
    }
    assertThat(outer.events).hasSize(4);
    assertThat(inner.events).hasSize(2);
  }

  @Test
  void traceMakesExistingCodeAChainRunThatNestedRunsBelongTo() {
    Collect c = new Collect();
    try (Tracewire tw = Tracewire.builder().listener(c).install()) {
      String out = Tracewire.trace("handler", () -> Tracewire.<String, String>function("upper", String::toUpperCase).invoke("hi") + "!");
      assertThat(out).isEqualTo("HI!");
    }
    StreamEvent outer = c.start("handler");
    StreamEvent inner = c.start("upper");
    assertThat(outer.parentIds()).isEmpty();
    assertThat(inner.parentIds()).containsExactly(outer.runId());
    assertThat(c.events.get(c.events.size() - 1).event()).isEqualTo("on_chain_end");
    assertThat(c.events.get(c.events.size() - 1).dataValue("output")).isEqualTo("HI!");
  }

  @Test
  void anExceptionInsideTraceEndsTheRunWithAnErrorEventAndIsRethrownUnchanged() {
    Collect c = new Collect();
    IllegalStateException boom = new IllegalStateException("boom");
    try (Tracewire tw = Tracewire.builder().listener(c).install()) {
      assertThatThrownBy(() -> Tracewire.trace("failing", () -> {
        throw boom;
      })).isSameAs(boom);
    }
    assertThat(c.events).extracting(StreamEvent::event).containsExactly("on_chain_start", "on_chain_error");
    assertThat(c.events.get(1).dataValue("error")).isSameAs(boom);
  }

  @Test
  void wrappedExecutorsAndCompletableFutureChainsKeepTheirParentRun() {
    Collect c = new Collect();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    ExecutorService wrapped = Tracewire.wrap(pool);
    Runnable<Integer, Integer> twice = Tracewire.function("twice", x -> x * 2);
    Runnable<Integer, Integer> inc = Tracewire.function("inc", x -> x + 1);
    try (Tracewire tw = Tracewire.builder().listener(c).install()) {
      int out = Tracewire.trace("async-root", () -> CompletableFuture
          .supplyAsync(() -> twice.invoke(20), wrapped)
          .thenApplyAsync(inc::invoke, wrapped)
          .thenCompose(x -> CompletableFuture.supplyAsync(() -> inc.invoke(x), wrapped))
          .join());
      assertThat(out).isEqualTo(42);
      Integer viaSubmit = Tracewire.trace("submit-root", () -> {
        try {
          return wrapped.submit(() -> twice.invoke(5)).get();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(viaSubmit).isEqualTo(10);
    } finally {
      pool.shutdownNow();
    }
    String root = c.start("async-root").runId();
    List<StreamEvent> starts = c.events.stream().filter(e -> e.event().equals("on_chain_start")).toList();
    assertThat(starts).filteredOn(e -> !e.name().endsWith("-root")).hasSize(4);
    assertThat(starts.subList(1, 4)).allSatisfy(e -> assertThat(e.parentIds()).containsExactly(root));
    String submitRoot = c.start("submit-root").runId();
    assertThat(starts.get(5).parentIds()).containsExactly(submitRoot);
  }

  @Test
  void aBusAttachedToOneCallSeesOnlyThatCall() {
    RecordingSink sink = new RecordingSink(false);
    Runnable<Integer, Integer> id = Tracewire.function("id", x -> x);
    try (EventBus bus = EventBus.builder().sink(sink, SinkConfig.named("call")).build()) {
      id.invoke(1, RunConfig.builder().listener(bus).build());
      id.invoke(2);
      assertThat(bus.flush(LONG)).isTrue();
      assertThat(sink.events).hasSize(2).allSatisfy(e -> assertThat(e.name()).isEqualTo("id"));
    }
  }

  @Test
  void aChatModelStreamFailingMidwayReachesSinksAsAnErrorEventWithThePartialOutput() {
    RecordingSink sink = new RecordingSink(false);
    var model = new io.tracewire.core.fake.FakeListChatModel(List.of("hello world"), Duration.ZERO, 3);
    try (Tracewire tw = Tracewire.builder().sink(sink, SinkConfig.named("rec")).install()) {
      assertThatThrownBy(() -> {
        try (CloseableIterator<?> it = model.stream("hi")) {
          while (it.hasNext()) {
            it.next();
          }
        }
      }).isInstanceOf(RuntimeException.class);
      assertThat(tw.flush(LONG)).isTrue();
    }
    StreamEvent last = sink.events.get(sink.events.size() - 1);
    assertThat(last.event()).isEqualTo("on_chat_model_error");
    assertThat(last.hasData("output")).isTrue();
    assertThat(sink.events).extracting(StreamEvent::event).contains("on_chat_model_stream");
  }
}
