package io.tracewire.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewire.core.event.CustomEvent;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RemoteParentTest {
  private static final UUID ROOT = UUID.fromString("00000000-0000-7000-8000-000000000001");
  private static final UUID MIDDLE = UUID.fromString("00000000-0000-7000-8000-000000000002");
  private static final UUID CALLER = UUID.fromString("00000000-0000-7000-8000-000000000003");
  private static final RemoteParent REMOTE = RemoteParent.of(CALLER, List.of(ROOT, MIDDLE));

  private final List<StreamEvent> events = new CopyOnWriteArrayList<>();
  private final Runnable<String, String> inner = RunnableLambda.of("inner", (String x) -> x + "!");
  private final Runnable<String, String> outer = RunnableLambda.of("outer", (String x) -> inner.invoke(x));

  @Test
  void aRunWithARemoteParentContinuesTheCallersExactChain() {
    outer.invoke("x", RunConfig.builder().remoteParent(REMOTE).listener(events::add).build());

    StreamEvent outerStart = events.get(0);
    StreamEvent innerStart = events.get(1);
    List<String> chain = List.of(ROOT.toString(), MIDDLE.toString(), CALLER.toString());
    assertThat(outerStart.parentIds()).isEqualTo(chain);
    List<String> innerChain = new ArrayList<>(chain);
    innerChain.add(outerStart.runId());
    assertThat(innerStart.parentIds()).isEqualTo(innerChain);
    for (StreamEvent e : events) {
      assertThat(e.parentIds()).as(e.event() + " of " + e.name())
          .isEqualTo(e.name().equals("outer") ? chain : innerChain);
    }
  }

  @Test
  void onlyTheDirectChildOfTheRemoteRunIsMarked() {
    outer.invoke("x", RunConfig.builder().remoteParent(REMOTE).metadata("user", "alice").listener(events::add).build());

    for (StreamEvent e : events) {
      if (e.name().equals("outer")) {
        assertThat(e.metadata()).containsEntry(RemoteParent.METADATA_KEY, CALLER.toString()).containsEntry("user", "alice");
      } else {
        assertThat(e.metadata()).doesNotContainKey(RemoteParent.METADATA_KEY).containsEntry("user", "alice");
      }
    }
  }

  @Test
  void aScopeParentsEveryRunStartedInItAndCloseRestoresTheContext() {
    RunConfig listen = RunConfig.builder().listener(events::add).build();
    try (RunContext.Scope scope = RunContext.attachRemoteParent(REMOTE)) {
      inner.invoke("a", listen);
      inner.invoke("b", listen);
    }
    inner.invoke("c", listen);

    List<String> chain = List.of(ROOT.toString(), MIDDLE.toString(), CALLER.toString());
    assertThat(events).hasSize(6);
    assertThat(events.subList(0, 4)).allSatisfy(e -> assertThat(e.parentIds()).isEqualTo(chain));
    assertThat(events.subList(4, 6)).allSatisfy(e -> {
      assertThat(e.parentIds()).isEmpty();
      assertThat(e.metadata()).doesNotContainKey(RemoteParent.METADATA_KEY);
    });
    assertThat(RunConfig.current().callbacks()).isNull();
  }

  @Test
  void aScopeReachesGloballyInstalledListeners() {
    try (Tracewire tw = Tracewire.builder().listener(events::add).install();
         RunContext.Scope scope = RunContext.attachRemoteParent(RemoteParent.of(CALLER, List.of()))) {
      inner.invoke("a");
    }
    assertThat(events).extracting(StreamEvent::event).containsExactly("on_chain_start", "on_chain_end");
    assertThat(events).allSatisfy(e -> assertThat(e.parentIds()).containsExactly(CALLER.toString()));
  }

  @Test
  void currentIsTheRunExecutingHereWithItsParents() {
    AtomicReference<Optional<RemoteParent>> seen = new AtomicReference<>();
    Runnable<String, String> probe = RunnableLambda.of("probe", (String x) -> {
      seen.set(RemoteParent.current());
      return x;
    });
    Runnable<String, String> parent = RunnableLambda.of("parent", (String x) -> probe.invoke(x));
    parent.invoke("x", RunConfig.builder().listener(events::add).build());

    StreamEvent parentStart = events.get(0);
    StreamEvent probeStart = events.get(1);
    RemoteParent rp = seen.get().orElseThrow();
    assertThat(rp.runId().toString()).isEqualTo(probeStart.runId());
    assertThat(rp.parentIds()).extracting(UUID::toString).containsExactly(parentStart.runId());
    assertThat(rp.path()).extracting(UUID::toString).containsExactly(parentStart.runId(), probeStart.runId());
    assertThat(RemoteParent.current()).isEmpty();
  }

  @Test
  void insideAScopeButOutsideARunCurrentIsTheRemoteParentSoAHopFurtherKeepsTheChain() {
    try (RunContext.Scope scope = RunContext.attachRemoteParent(REMOTE.withTrace("t", "s"))) {
      RemoteParent rp = RemoteParent.current().orElseThrow();
      assertThat(rp.runId()).isEqualTo(CALLER);
      assertThat(rp.parentIds()).containsExactly(ROOT, MIDDLE);
    }
  }

  @Test
  void customEventsOutsideALocalRunAreRefusedAsWithoutAnyParent() {
    try (RunContext.Scope scope = RunContext.attachRemoteParent(REMOTE)) {
      assertThatThrownBy(() -> CustomEvent.dispatch("x", "data")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("without a parent run");
    }
  }

  @Test
  void scopesNestAndClosingTwiceIsHarmless() {
    RemoteParent other = RemoteParent.of(ROOT, List.of());
    RunContext.Scope a = RunContext.attachRemoteParent(REMOTE);
    RunContext.Scope b = RunContext.attachRemoteParent(other);
    assertThat(RemoteParent.current().orElseThrow().runId()).isEqualTo(ROOT);
    b.close();
    b.close();
    assertThat(RemoteParent.current().orElseThrow().runId()).isEqualTo(CALLER);
    a.close();
    assertThat(RemoteParent.current()).isEmpty();
  }

  @Test
  void theValueValidates() {
    assertThatThrownBy(() -> RemoteParent.of(null, List.of())).isInstanceOf(NullPointerException.class).hasMessage("runId");
    assertThatThrownBy(() -> RemoteParent.of(CALLER, Collections.singletonList(null)))
        .isInstanceOf(NullPointerException.class);
    List<UUID> deep = Collections.nCopies(RemoteParent.MAX_DEPTH + 1, ROOT);
    assertThatThrownBy(() -> RemoteParent.of(CALLER, deep)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parentIds");
    assertThat(RemoteParent.of(CALLER, List.of(ROOT)).path()).containsExactly(ROOT, CALLER);
  }
}
