package io.tracewire.exporters.otel;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.core.event.StreamEvent;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge's lifecycle guarantees, driven with hand-made events: exactly-once ends, scope
 * order for interleaved runs on one thread, ends delivered on another thread.
 */
class OtelBridgeLifecycleTest {
  private static final AtomicLong SEQ = new AtomicLong();
  private InMemorySpanExporter spans;
  private OpenTelemetrySdk sdk;
  private OtelBridge bridge;

  @BeforeEach
  void setUp() {
    spans = InMemorySpanExporter.create();
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .build();
    bridge = OtelBridge.builder().openTelemetry(sdk).build();
  }

  @AfterEach
  void tearDown() {
    assertThat(Context.current()).as("no OpenTelemetry context left behind on the test thread").isSameAs(Context.root());
    bridge.close();
    sdk.close();
  }

  private static StreamEvent ev(String event, String name, String runId, List<String> parents) {
    return new StreamEvent(event, name, runId, parents, List.of(), Map.of(), Map.of(), SEQ.incrementAndGet(),
        System.currentTimeMillis() * 1_000_000L + SEQ.get());
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }

  private SpanContext current() {
    return Span.current().getSpanContext();
  }

  @Test
  void secondEndOfARunIsIgnored() {
    String a = id();
    bridge.onEvent(ev("on_chain_start", "a", a, List.of()));
    bridge.onEvent(ev("on_chain_end", "a", a, List.of()));
    bridge.onEvent(ev("on_chain_end", "a", a, List.of()));
    bridge.onEvent(ev("on_chain_error", "a", a, List.of()));
    bridge.onEvent(ev("on_chain_cancel", "a", a, List.of()));
    assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(s -> assertThat(s).hasName("a")
        .hasAttribute(GenAiMapping.RUN_OUTCOME, "end"));
    assertThat(bridge.listenerFailures()).isZero();
  }

  @Test
  void interleavedRunsOnOneThreadCloseScopesInReverseOrder() {
    String a = id();
    String b = id();
    bridge.onEvent(ev("on_chain_start", "a", a, List.of()));
    SpanContext aCtx = current();
    assertThat(aCtx).isEqualTo(bridge.spanContextOf(a));
    bridge.onEvent(ev("on_chain_start", "b", b, List.of(a)));
    assertThat(current()).isEqualTo(bridge.spanContextOf(b));

    // a ends first (interleaved streams): its span ends now, b stays current
    bridge.onEvent(ev("on_chain_end", "a", a, List.of()));
    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("a");
    assertThat(current()).isEqualTo(bridge.spanContextOf(b));

    bridge.onEvent(ev("on_chain_end", "b", b, List.of(a)));
    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("a", "b");
    assertThat(Context.current()).isSameAs(Context.root());
  }

  @Test
  void endOnAnotherThreadEndsTheSpanAndTheStartingThreadCleansUpAtItsNextEvent() throws Exception {
    String a = id();
    bridge.onEvent(ev("on_chain_start", "a", a, List.of()));
    Thread other = new Thread(() -> bridge.onEvent(ev("on_chain_end", "a", a, List.of())));
    other.start();
    other.join();
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
    // the starting thread still has a's scope until the bridge sees an event here
    assertThat(current()).isEqualTo(bridge.spanContextOf(a));
    String b = id();
    bridge.onEvent(ev("on_chain_start", "b", b, List.of()));
    SpanData bSpan;
    bridge.onEvent(ev("on_chain_end", "b", b, List.of()));
    bSpan = spans.getFinishedSpanItems().get(1);
    assertThat(bSpan).hasNoParent();
    assertThat(Context.current()).isSameAs(Context.root());
  }

  @Test
  void scopeReplacedByTheApplicationIsLeftAlone() {
    String a = id();
    bridge.onEvent(ev("on_chain_start", "a", a, List.of()));
    Span app = sdk.getTracer("app").spanBuilder("app").startSpan();
    var leaked = app.makeCurrent(); // application code that does not restore the context in time
    bridge.onEvent(ev("on_chain_end", "a", a, List.of()));
    assertThat(Span.current().getSpanContext()).isEqualTo(app.getSpanContext());
    leaked.close();
    app.end();
    assertThat(Span.current().getSpanContext()).isEqualTo(bridge.spanContextOf(a));
    // the next event on this thread closes a's scope, now that it is current again
    String b = id();
    bridge.onEvent(ev("on_chain_start", "b", b, List.of()));
    bridge.onEvent(ev("on_chain_end", "b", b, List.of()));
    assertThat(spans.getFinishedSpanItems()).hasSize(3);
    assertThat(spans.getFinishedSpanItems().get(2)).hasName("b").hasNoParent();
    assertThat(Context.current()).isSameAs(Context.root());
  }

  @Test
  void withoutMakeSpansCurrentTheContextIsNeverTouched() {
    bridge.close();
    bridge = OtelBridge.builder().openTelemetry(sdk).makeSpansCurrent(false).build();
    String a = id();
    String b = id();
    bridge.onEvent(ev("on_chain_start", "a", a, List.of()));
    assertThat(Context.current()).isSameAs(Context.root());
    bridge.onEvent(ev("on_chain_start", "b", b, List.of(a)));
    bridge.onEvent(ev("on_chain_end", "b", b, List.of(a)));
    bridge.onEvent(ev("on_chain_end", "a", a, List.of()));
    SpanData bSpan = spans.getFinishedSpanItems().get(0);
    assertThat(bSpan).hasName("b").hasParentSpanId(spans.getFinishedSpanItems().get(1).getSpanId());
  }

  @Test
  void recentlyEndedLookupIsBounded() {
    bridge.close();
    bridge = OtelBridge.builder().openTelemetry(sdk).recentlyEndedCapacity(2).build();
    String[] ids = {id(), id(), id()};
    for (String r : ids) {
      bridge.onEvent(ev("on_chain_start", "r", r, List.of()));
      bridge.onEvent(ev("on_chain_end", "r", r, List.of()));
    }
    assertThat(bridge.spanContextOf(ids[0]).isValid()).isFalse();
    assertThat(bridge.spanContextOf(ids[1]).isValid()).isTrue();
    assertThat(bridge.spanContextOf(ids[2]).isValid()).isTrue();
  }

  @Test
  void customEventsBecomeSpanEventsOfTheirRun() {
    String a = id();
    bridge.onEvent(ev("on_chain_start", "a", a, List.of()));
    bridge.onEvent(ev(StreamEvent.CUSTOM_EVENT, "progress", a, List.of()));
    bridge.onEvent(ev("on_chain_end", "a", a, List.of()));
    assertThat(spans.getFinishedSpanItems().get(0).getEvents()).singleElement()
        .satisfies(e -> assertThat(e.getName()).isEqualTo("tracewire.custom_event"));
  }

  @Test
  void perRunStatePathCountsRunsEndedOnAnotherThreadAndClosesTheScopeLater() throws Exception {
    String a = id();
    Object st = bridge.onRunStart(ev("on_chain_start", "a", a, List.of()), null);
    SpanContext aCtx = current();
    assertThat(aCtx.isValid()).isTrue();
    assertThat(bridge.openRuns()).isEqualTo(1);
    Thread other = new Thread(() -> bridge.onRunEvent(st, ev("on_chain_end", "a", a, List.of())));
    other.start();
    other.join();
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
    assertThat(bridge.openRuns()).isZero();
    assertThat(bridge.stats().runsTraced()).isEqualTo(1);
    // the end on the other thread cannot close this thread's scope; the next start here does
    assertThat(current()).isEqualTo(aCtx);
    String b = id();
    Object bs = bridge.onRunStart(ev("on_chain_start", "b", b, List.of()), null);
    bridge.onRunEvent(bs, ev("on_chain_end", "b", b, List.of()));
    assertThat(spans.getFinishedSpanItems().get(1)).hasName("b").hasNoParent();
    assertThat(bridge.stats().runsTraced()).isEqualTo(2);
    // a second end of the same run (tracer-core never sends one) is ignored
    bridge.onRunEvent(bs, ev("on_chain_end", "b", b, List.of()));
    assertThat(spans.getFinishedSpanItems()).hasSize(2);
    assertThat(bridge.openRuns()).isZero();
  }

  @Test
  void countsOfThreadsThatDiedAreKept() throws Exception {
    for (int i = 0; i < 3; i++) {
      Thread t = new Thread(() -> {
        String r = id();
        Object st = bridge.onRunStart(ev("on_chain_start", "r", r, List.of()), null);
        bridge.onRunEvent(st, ev("on_chain_end", "r", r, List.of()));
      });
      t.start();
      t.join();
      assertThat(bridge.stats().runsTraced()).isEqualTo(i + 1);
    }
    assertThat(bridge.openRuns()).isZero();
  }

  @Test
  void runsNestedBeyondTheScopeDepthAreTracedButNotMadeCurrent() {
    int n = OtelBridge.MAX_SCOPE_DEPTH + 5;
    Object[] states = new Object[n];
    String[] ids = new String[n];
    Object parent = null;
    for (int i = 0; i < n; i++) {
      ids[i] = id();
      states[i] = bridge.onRunStart(ev("on_chain_start", "r" + i, ids[i], i == 0 ? List.of() : List.of(ids[i - 1])), parent);
      parent = states[i];
    }
    assertThat(bridge.openRuns()).isEqualTo(n);
    for (int i = n - 1; i >= 0; i--) {
      bridge.onRunEvent(states[i], ev("on_chain_end", "r" + i, ids[i], i == 0 ? List.of() : List.of(ids[i - 1])));
    }
    List<SpanData> done = spans.getFinishedSpanItems();
    assertThat(done).hasSize(n);
    // every span is a child of the one before it, also past the depth where spans stop being current
    assertThat(done.get(0)).hasName("r" + (n - 1)).hasParentSpanId(done.get(1).getSpanId());
    assertThat(done.get(n - 1)).hasName("r0").hasNoParent();
    assertThat(bridge.openRuns()).isZero();
  }
}
