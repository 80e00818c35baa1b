package io.tracewire.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.core.RemoteParent;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TracewirePropagationTest {
  static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";
  private static final String GOOD_TRACEPARENT = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";
  private static final UUID A = UUID.fromString("0190c2e4-7b1a-7c3e-9a1b-000000000001");
  private static final UUID B = UUID.fromString("0190c2e4-7b1a-7c3e-9a1b-000000000002");

  private final TracewirePropagation propagation = TracewirePropagation.create();
  private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create())).build();
  private final List<StreamEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeSdk() {
    tracerProvider.close();
  }

  private static Map<String, String> headers(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** The headers injected from inside run "probe" (child of run "parent"), with the events of both. */
  private Map<String, String> injectedInsideAChain() {
    AtomicReference<Map<String, String>> seen = new AtomicReference<>();
    Runnable<String, String> probe = RunnableLambda.of("probe", (String x) -> {
      seen.set(propagation.headers());
      return x;
    });
    Runnable<String, String> parent = RunnableLambda.of("parent", (String x) -> probe.invoke(x));
    parent.invoke("x", RunConfig.builder().listener(events::add).build());
    return seen.get();
  }

  @Test
  void injectInsideARunWritesTheRunPathRootFirstInBaggage() {
    Map<String, String> h = injectedInsideAChain();
    String parentId = events.get(0).runId();
    String probeId = events.get(1).runId();
    assertThat(h).containsOnlyKeys("baggage");
    assertThat(h.get("baggage")).isEqualTo("tracewire.run_path=" + parentId + "." + probeId);
    assertThat(propagation.stats().injected()).isEqualTo(1);
  }

  @Test
  void injectWritesTraceparentForTheCurrentSpanAndKeepsOtherBaggage() {
    Span span = tracerProvider.get("test").spanBuilder("app").startSpan();
    Baggage app = Baggage.builder().put("user", "alice").build();
    Map<String, String> h;
    try (Scope s = Context.current().with(span).with(app).makeCurrent()) {
      h = injectedInsideAChain();
    } finally {
      span.end();
    }
    SpanContext sc = span.getSpanContext();
    assertThat(h.get("traceparent")).isEqualTo("00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-" + sc.getTraceFlags().asHex());
    assertThat(h.get("baggage")).contains("user=alice").contains("tracewire.run_path=" + events.get(0).runId());
  }

  @Test
  void outsideARunNoRunPathIsSentAndAStaleOneIsRemoved() {
    assertThat(propagation.headers()).isEmpty();
    Baggage stale = Baggage.builder().put(TracewirePropagation.RUN_PATH_KEY, A.toString()).put("k", "v").build();
    try (Scope s = stale.makeCurrent()) {
      assertThat(propagation.headers()).containsExactly(Map.entry("baggage", "k=v"));
    }
  }

  @Test
  void extractGivesTheCallersRunAndSpanAndTheRestOfTheBaggage() {
    Map<String, String> h = headers("traceparent", GOOD_TRACEPARENT, "tracestate", "vendor=abc",
        "baggage", "tracewire.run_path=" + A + "." + B + ",user=alice");
    Incoming in = propagation.extract(h, MAP);

    assertThat(in.remoteParent()).isEqualTo(new RemoteParent(B, List.of(A), TRACE_ID, SPAN_ID));
    SpanContext sc = Span.fromContext(in.context()).getSpanContext();
    assertThat(sc.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(sc.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(sc.isRemote()).isTrue();
    assertThat(sc.getTraceState().get("vendor")).isEqualTo("abc");
    Baggage bg = Baggage.fromContext(in.context());
    assertThat(bg.getEntryValue("user")).isEqualTo("alice");
    assertThat(bg.getEntryValue(TracewirePropagation.RUN_PATH_KEY)).isNull();
    assertThat(propagation.stats()).isEqualTo(new PropagationStats(0, 1, 1, 0, 0, 0, 0, 0));
  }

  @Test
  void attachMakesRunsChildrenOfTheCallerAndTheSpanCurrentUntilClosed() {
    Incoming in = propagation.extract(headers("traceparent", GOOD_TRACEPARENT,
        "baggage", "tracewire.run_path=" + A + "." + B), MAP);
    Runnable<String, String> inner = RunnableLambda.of("inner", (String x) -> x);
    Runnable<String, String> handler = RunnableLambda.of("handler", (String x) -> inner.invoke(x));
    try (Scope s = in.attach()) {
      assertThat(Span.current().getSpanContext().getTraceId()).isEqualTo(TRACE_ID);
      handler.invoke("x", RunConfig.builder().listener(events::add).build());
    }
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
    assertThat(RemoteParent.current()).isEmpty();

    String handlerId = events.get(0).runId();
    for (StreamEvent e : events) {
      List<String> expected = new ArrayList<>(List.of(A.toString(), B.toString()));
      if (e.name().equals("inner")) {
        expected.add(handlerId);
      }
      assertThat(e.parentIds()).as(e.event() + " " + e.name()).isEqualTo(expected);
      assertThat(e.metadata().containsKey(RemoteParent.METADATA_KEY)).isEqualTo(e.name().equals("handler"));
    }
  }

  @Test
  void aRoundTripThroughTheHeadersKeepsTheExactChain() {
    Map<String, String> h = injectedInsideAChain();
    RemoteParent rp = propagation.extract(h, MAP).remoteParent();
    assertThat(rp.runId().toString()).isEqualTo(events.get(1).runId());
    assertThat(rp.parentIds()).extracting(UUID::toString).containsExactly(events.get(0).runId());
  }

  @Test
  void aSpanAlreadyCurrentStaysTheParentSoAnAgentsServerSpanIsNotBypassed() {
    Span server = tracerProvider.get("test").spanBuilder("server").startSpan();
    try (Scope s = server.makeCurrent()) {
      Incoming in = propagation.extract(headers("traceparent", GOOD_TRACEPARENT,
          "baggage", "tracewire.run_path=" + A), MAP);
      assertThat(Span.fromContext(in.context()).getSpanContext()).isEqualTo(server.getSpanContext());
      assertThat(in.remoteParent().runId()).isEqualTo(A);
      assertThat(in.remoteParent().traceId()).isNull();
    } finally {
      server.end();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff is invalid
      "zz-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version not hex
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // version 00 with trailing data
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero span id
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper case
      "00-4bf92f3577b34da6-00f067aa0ba902b7-01", // short trace id
      "garbage",
      "",
  })
  void aMalformedTraceparentIsIgnoredAndCountedWhileTheRunPathStillApplies(String traceparent) {
    Incoming in = propagation.extract(headers("traceparent", traceparent, "baggage", "tracewire.run_path=" + A), MAP);
    assertThat(Span.fromContext(in.context()).getSpanContext().isValid()).isFalse();
    assertThat(in.remoteParent()).isEqualTo(RemoteParent.of(A, List.of()));
    assertThat(propagation.stats().rejectedTraceparent()).isEqualTo(1);
    assertThat(propagation.stats().rejected()).isEqualTo(1);
  }

  @Test
  void anOversizedTraceparentIsIgnoredWithoutParsing() {
    String huge = GOOD_TRACEPARENT + "-" + "a".repeat(100_000);
    Incoming in = propagation.extract(headers("traceparent", huge), MAP);
    assertThat(Span.fromContext(in.context()).getSpanContext().isValid()).isFalse();
    assertThat(propagation.stats().rejectedTraceparent()).isEqualTo(1);
  }

  @Test
  void anOversizedOrMalformedTracestateIsDroppedButTheTraceparentKept() {
    Incoming big = propagation.extract(headers("traceparent", GOOD_TRACEPARENT, "tracestate", "k=" + "v".repeat(600)), MAP);
    SpanContext sc = Span.fromContext(big.context()).getSpanContext();
    assertThat(sc.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(sc.getTraceState().isEmpty()).isTrue();
    Incoming bad = propagation.extract(headers("traceparent", GOOD_TRACEPARENT, "tracestate", "==,;;not a state"), MAP);
    assertThat(Span.fromContext(bad.context()).getSpanContext().getTraceId()).isEqualTo(TRACE_ID);
    assertThat(propagation.stats().rejectedTracestate()).isEqualTo(2);
  }

  @Test
  void anOversizedBaggageIsIgnoredWhole() {
    String baggage = "tracewire.run_path=" + A + ",pad=" + "x".repeat(TracewirePropagation.MAX_BAGGAGE_LENGTH);
    Incoming in = propagation.extract(headers("traceparent", GOOD_TRACEPARENT, "baggage", baggage), MAP);
    assertThat(in.remoteParent()).isNull();
    assertThat(Baggage.fromContext(in.context()).isEmpty()).isTrue();
    assertThat(Span.fromContext(in.context()).getSpanContext().getTraceId()).isEqualTo(TRACE_ID);
    assertThat(propagation.stats().rejectedBaggage()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "not-a-uuid",
      "0190C2E4-7B1A-7C3E-9A1B-000000000001", // upper case is not canonical
      "1-1-1-1-1", // UUID.fromString would take it
      "0190c2e4-7b1a-7c3e-9a1b-000000000001.", // trailing dot
      ".0190c2e4-7b1a-7c3e-9a1b-000000000001", // leading dot
      "0190c2e4-7b1a-7c3e-9a1b-000000000001..0190c2e4-7b1a-7c3e-9a1b-000000000002",
      "0190c2e4-7b1a-7c3e-9a1b-000000000001%200190c2e4-7b1a-7c3e-9a1b-000000000002",
      "0190c2e4-7b1a-7c3e-9a1b-00000000000g",
      "0190c2e4+7b1a-7c3e-9a1b-000000000001",
  })
  void aMalformedRunPathIsIgnoredAndCounted(String path) {
    Incoming in = propagation.extract(headers("baggage", "tracewire.run_path=" + path + ",user=alice"), MAP);
    assertThat(in.remoteParent()).isNull();
    assertThat(Baggage.fromContext(in.context()).getEntryValue("user")).isEqualTo("alice");
    assertThat(Baggage.fromContext(in.context()).getEntryValue(TracewirePropagation.RUN_PATH_KEY)).isNull();
    assertThat(propagation.stats().rejectedRunPath()).isEqualTo(1);
  }

  @Test
  void aRunPathDeeperThanTheLimitIsRefusedAndOneAtTheLimitTaken() {
    List<String> ids = new ArrayList<>(Collections.nCopies(RemoteParent.MAX_DEPTH + 1, A.toString()));
    RemoteParent atLimit = TracewirePropagation.parse(String.join(".", ids));
    assertThat(atLimit.parentIds()).hasSize(RemoteParent.MAX_DEPTH);
    ids.add(B.toString());
    Incoming in = propagation.extract(headers("baggage", "tracewire.run_path=" + String.join(".", ids)), MAP);
    assertThat(in.remoteParent()).isNull();
    assertThat(propagation.stats().rejectedRunPath()).isEqualTo(1);
  }

  @Test
  void aCarrierThatThrowsIsCountedAsAFailureAndTheRequestGoesOn() {
    TextMapGetter<Map<String, String>> broken = new TextMapGetter<>() {
      @Override
      public Iterable<String> keys(Map<String, String> carrier) {
        throw new IllegalStateException("boom");
      }

      @Override
      public String get(Map<String, String> carrier, String key) {
        throw new IllegalStateException("boom");
      }
    };
    Incoming in = propagation.extract(Map.of(), broken);
    assertThat(in.remoteParent()).isNull();
    assertThat(in.context()).isSameAs(Context.current());
    propagation.inject(new HashMap<String, String>(), (c, k, v) -> {
      throw new IllegalStateException("boom");
    });
    Runnable<String, String> r = RunnableLambda.of("r", (String x) -> {
      propagation.inject(new HashMap<String, String>(), (c, k, v) -> {
        throw new IllegalStateException("boom");
      });
      return x;
    });
    r.invoke("x");
    assertThat(propagation.stats().failures()).isEqualTo(2);
  }

  @Test
  void rejectionsAreWarnedOncePerKindWithoutTheHeaderValue() {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger log = Logger.getLogger(TracewirePropagation.class.getName());
    log.addHandler(h);
    try {
      for (int i = 0; i < 3; i++) {
        propagation.extract(headers("traceparent", "secret-token-" + i, "baggage", "tracewire.run_path=secret-" + i), MAP);
      }
    } finally {
      log.removeHandler(h);
    }
    assertThat(records).hasSize(2);
    assertThat(records).allSatisfy(r -> assertThat(r.getMessage()).doesNotContain("secret"));
    assertThat(propagation.stats().rejectedTraceparent()).isEqualTo(3);
    assertThat(propagation.stats().rejectedRunPath()).isEqualTo(3);
  }
}
