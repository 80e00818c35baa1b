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
import io.tracewire.core.StreamEvent;
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
}
