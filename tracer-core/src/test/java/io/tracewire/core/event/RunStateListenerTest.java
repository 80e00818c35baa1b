package io.tracewire.core.event;

import io.tracewire.core.Callbacks;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.internal.Engine;
import io.tracewire.core.internal.RunStates;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.runnable.RunnableSequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.BaseMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunStateListenerTest {

  /** The state the recording listener keeps per run. */
  static final class Rec {
    final String runId;
    final Rec parent;
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();

    Rec(String runId, Rec parent) {
      this.runId = runId;
      this.parent = parent;
    }
  }

  /** Records every run's state and checks that each event reaches the state of its own run. */
  static final class Recording implements RunStateListener<Rec> {
    final Map<String, Rec> byRun = new ConcurrentHashMap<>();
    final List<StreamEvent> stateless = new CopyOnWriteArrayList<>();
    final List<String> mismatches = new CopyOnWriteArrayList<>();

    @Override
    public Rec onRunStart(StreamEvent start, Rec parentState) {
      Rec r = new Rec(start.runId(), parentState);
      r.events.add(start.event());
      r.threads.add(Thread.currentThread());
      byRun.put(start.runId(), r);
      return r;
    }

    @Override
    public void onRunEvent(Rec state, StreamEvent event) {
      if (state == null || !state.runId.equals(event.runId())) {
        mismatches.add(event.event() + " of " + event.runId());
        return;
      }
      state.events.add(event.event());
      state.threads.add(Thread.currentThread());
    }

    @Override
    public void onEvent(StreamEvent event) {
      stateless.add(event);
    }

    Rec named(List<StreamEvent> plain, String name) {
      String id = plain.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow().runId();
      return byRun.get(id);
    }
  }

  @Test
  void eachRunGetsItsOwnStateAndChildrenSeeTheParentState() {
    Recording l = new Recording();
    List<StreamEvent> plain = new CopyOnWriteArrayList<>();
    Runnable<Integer, Integer> inner = RunnableLambda.of("inner", (Integer x) -> x * 2);
    Runnable<Integer, Integer> outer = RunnableLambda.of("outer", (Integer x) -> inner.invoke(x) + inner.invoke(x));

    assertThat(outer.invoke(3, RunConfig.builder().listener(l).listener(plain::add).build())).isEqualTo(12);

    assertThat(l.mismatches).isEmpty();
    assertThat(l.stateless).isEmpty();
    assertThat(l.byRun).hasSize(3);
    Rec root = l.named(plain, "outer");
    assertThat(root.parent).isNull();
    assertThat(root.events).containsExactly("on_chain_start", "on_chain_end");
    List<Rec> children = l.byRun.values().stream().filter(r -> r != root).toList();
    assertThat(children).hasSize(2).allSatisfy(c -> {
      assertThat(c.parent).isSameAs(root);
      assertThat(c.events).containsExactly("on_chain_start", "on_chain_end");
    });
    // the plain listener next to it sees the same events, in the same order
    assertThat(plain).extracting(StreamEvent::event).containsExactly("on_chain_start", "on_chain_start", "on_chain_end",
        "on_chain_start", "on_chain_end", "on_chain_end");
  }

  @Test
  void streamAndCustomEventsReachTheStateOfTheirRun() {
    Recording l = new Recording();
    List<StreamEvent> plain = new CopyOnWriteArrayList<>();
    Runnable<Object, BaseMessage> model = GenericFakeChatModel.cycling(List.of(new AIMessage("a b")));
    Runnable<Object, Object> step = RunnableLambda.of("step", (Object x) -> {
      CustomEvent.dispatch("progress", Map.of("pct", 50));
      return x;
    });
    try (CloseableIterator<BaseMessage> it = step.pipe(model).stream("hi", RunConfig.builder().listener(l).listener(plain::add).build())) {
      it.forEachRemaining(c -> { });
    }

    assertThat(l.mismatches).isEmpty();
    assertThat(l.named(plain, "step").events).containsExactly("on_chain_start", StreamEvent.CUSTOM_EVENT, "on_chain_stream",
        "on_chain_end");
    Rec chat = l.named(plain, "GenericFakeChatModel");
    assertThat(chat.events).first().isEqualTo("on_chat_model_start");
    assertThat(chat.events).contains("on_chat_model_stream").last().isEqualTo("on_chat_model_end");
    assertThat(chat.parent).isSameAs(l.named(plain, "RunnableSequence"));
  }

  @Test
  void errorAndCancelEventsReachTheState() {
    Recording l = new Recording();
    List<StreamEvent> plain = new CopyOnWriteArrayList<>();
    RunConfig cfg = RunConfig.builder().listener(l).listener(plain::add).build();
    assertThatThrownBy(() -> RunnableLambda.of("boom", (Object x) -> {
      throw new IllegalStateException("boom");
    }).invoke("x", cfg)).hasMessage("boom");
    assertThat(l.named(plain, "boom").events).containsExactly("on_chain_start", "on_chain_error");

    Runnable<Object, BaseMessage> model = GenericFakeChatModel.cycling(List.of(new AIMessage("a b c d")));
    try (CloseableIterator<BaseMessage> it = model.stream("hi", cfg)) {
      it.next();
    }
    assertThat(l.named(plain, "GenericFakeChatModel").events).first().isEqualTo("on_chat_model_start");
    assertThat(l.named(plain, "GenericFakeChatModel").events).last().isEqualTo("on_chat_model_cancel");
    assertThat(l.mismatches).isEmpty();
  }

  @Test
  void aRunThatEndsOnAnotherThreadStillGetsItsState() throws Exception {
    Recording l = new Recording();
    List<StreamEvent> plain = new CopyOnWriteArrayList<>();
    Runnable<Object, BaseMessage> model = GenericFakeChatModel.cycling(List.of(new AIMessage("a b c d")));
    CloseableIterator<BaseMessage> it = model.stream("hi", RunConfig.builder().listener(l).listener(plain::add).build());
    it.next();
    Thread closer = new Thread(it::close, "closer");
    closer.start();
    closer.join();

    Rec chat = l.named(plain, "GenericFakeChatModel");
    assertThat(chat.events).last().isEqualTo("on_chat_model_cancel");
    assertThat(chat.threads.get(0)).isSameAs(Thread.currentThread());
    assertThat(chat.threads).last().isSameAs(closer);
    assertThat(l.mismatches).isEmpty();

    Recording async = new Recording();
    List<StreamEvent> plain2 = new CopyOnWriteArrayList<>();
    assertThat(RunnableLambda.of("async", (Integer x) -> x + 1)
        .invokeAsync(1, RunConfig.builder().listener(async).listener(plain2::add).build()).get()).isEqualTo(2);
    assertThat(async.named(plain2, "async").events).containsExactly("on_chain_start", "on_chain_end");
    assertThat(async.mismatches).isEmpty();
  }

  @Test
  void aListenerAddedOnAChildOnlyGetsNoParentState() {
    Recording l = new Recording();
    List<StreamEvent> plain = new CopyOnWriteArrayList<>();
    Runnable<Integer, Integer> inner = RunnableLambda.of("inner", (Integer x) -> x);
    Runnable<Integer, Integer> outer = RunnableLambda.of("outer",
        (Integer x) -> inner.invoke(x, RunConfig.builder().listener(l).build()));

    outer.invoke(1, RunConfig.builder().listener(plain::add).build());

    assertThat(l.byRun).hasSize(1);
    Rec child = l.byRun.values().iterator().next();
    assertThat(child.parent).isNull();
    assertThat(child.events).containsExactly("on_chain_start", "on_chain_end");
    // the child still is a child run: the event says so, only the listener had no state there
    StreamEvent innerStart = plain.stream().filter(e -> e.name().equals("inner")).findFirst().orElseThrow();
    assertThat(innerStart.parentIds()).hasSize(1);
    assertThat(innerStart.runId()).isEqualTo(child.runId);
  }

  @Test
  void aThrowingStatefulListenerIsIsolatedAndItsRunGetsNullState() {
    AtomicInteger eventsWithNull = new AtomicInteger();
    RunStateListener<Object> broken = new RunStateListener<>() {
      @Override
      public Object onRunStart(StreamEvent start, Object parentState) {
        throw new IllegalStateException("listener bug at start");
      }

      @Override
      public void onRunEvent(Object state, StreamEvent event) {
        if (state == null) {
          eventsWithNull.incrementAndGet();
        }
        throw new IllegalStateException("listener bug later");
      }

      @Override
      public void onEvent(StreamEvent event) {
        throw new AssertionError("the runtime holds the state: onEvent is not called");
      }
    };
    List<StreamEvent> good = new CopyOnWriteArrayList<>();
    long before = Engine.LISTENER_FAILURES.get();

    Runnable<Integer, Integer> inner = RunnableLambda.of("inner", (Integer x) -> x + 1);
    int out = RunnableLambda.of("outer", (Integer x) -> inner.invoke(x) + 1)
        .invoke(1, RunConfig.builder().listener(broken).listener(good::add).build());

    assertThat(out).isEqualTo(3);
    assertThat(good).hasSize(4);
    assertThat(eventsWithNull.get()).isEqualTo(2);
    assertThat(Engine.LISTENER_FAILURES.get() - before).isEqualTo(4);
  }

  @Test
  void aStatelessRunKeepsThePlainPath() {
    List<StreamEvent> plain = new CopyOnWriteArrayList<>();
    RunnableLambda.of("r", (Integer x) -> x).invoke(1, RunConfig.builder().listener(plain::add).build());
    assertThat(plain).hasSize(2);
    assertThat(RunStates.slotsFor(new RunListener[] {plain::add})).isNull();
    assertThat(RunStates.slotsFor(new RunListener[] {plain::add, new Recording()})).hasSize(2);
  }

  @Test
  void aCustomEventThroughAHandleWhoseRunDoesNotCarryTheListenerGoesToOnEvent() {
    Recording onA = new Recording();
    Recording onB = new Recording();
    List<StreamEvent> plain = new CopyOnWriteArrayList<>();
    Callbacks[] handles = new Callbacks[2];
    RunnableLambda.of("a", (Object x) -> {
      handles[0] = RunConfig.current().callbacks();
      return x;
    }).invoke("x", RunConfig.builder().listener(onA).listener(plain::add).build());
    RunnableLambda.of("b", (Object x) -> {
      handles[1] = RunConfig.current().callbacks();
      return x;
    }).invoke("x", RunConfig.builder().listener(onB).build());

    // a handle on run a that also carries b's listeners (RunConfig.merge: the earlier parent wins)
    RunConfig merged = RunConfig.merge(RunConfig.builder().callbacks(handles[0]).build(),
        RunConfig.builder().callbacks(handles[1]).build());
    CustomEvent.dispatch("note", Map.of("k", 1), merged);

    Rec a = onA.named(plain, "a");
    assertThat(a.events).containsExactly("on_chain_start", "on_chain_end", StreamEvent.CUSTOM_EVENT);
    assertThat(onA.stateless).isEmpty();
    assertThat(onB.stateless).singleElement().satisfies(e -> {
      assertThat(e.name()).isEqualTo("note");
      assertThat(e.runId()).isEqualTo(a.runId);
    });
    assertThat(onB.byRun.values()).allSatisfy(r -> assertThat(r.events).doesNotContain(StreamEvent.CUSTOM_EVENT));
    assertThat(plain).extracting(StreamEvent::event).last().isEqualTo(StreamEvent.CUSTOM_EVENT);
  }
}
