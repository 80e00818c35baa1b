package io.tracewire.propagation;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.tracewire.core.RemoteParent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries run context across processes in HTTP headers: W3C {@code traceparent} and
 * {@code tracestate} for the OpenTelemetry span (when one is current, such as the span the
 * Tracewire {@code OtelBridge} made current for the run), and W3C {@code baggage} with the
 * entry {@value #RUN_PATH_KEY}: the ids of the caller's run chain, root first, the caller's run
 * last, joined with {@code '.'}. The W3C formats are read and written by OpenTelemetry's
 * {@link W3CTraceContextPropagator} and {@link W3CBaggagePropagator}; this class adds the run
 * path and the limits below.
 *
 * <p>{@link #inject} writes the headers for the run executing on the calling thread
 * ({@link RemoteParent#current()}) and the current OpenTelemetry context. {@link #extract}
 * reads them on the receiving side into an {@link Incoming}, whose {@link Incoming#attach()}
 * makes runs started during the request children of the caller's run and the caller's span the
 * parent of their spans. The integrations ({@link TracingInterceptor} for OkHttp,
 * {@link TracingHttpClient} for the JDK client, {@link TracingHttpServerFilter} and
 * {@link TracingServletFilter} for servers) do both for you.
 *
 * <p>Hostile or broken headers never fail a request: a {@code traceparent} longer than
 * {@value #MAX_TRACEPARENT_LENGTH} characters, malformed or of an unsupported version; a
 * {@code tracestate} longer than {@value #MAX_TRACESTATE_LENGTH} or that does not parse; a
 * {@code baggage} longer than {@value #MAX_BAGGAGE_LENGTH}; and a run path that is not 1 to
 * {@code RemoteParent.MAX_DEPTH + 1} canonical lower-case UUIDs are each ignored (the rest of
 * the headers still apply), counted in {@link #stats()}, and logged through
 * {@code java.util.logging} once per kind per instance, without the header's value.
 *
 * <p>Thread-safe; one instance is meant to be shared (it only holds counters). No method blocks
 * or throws, except {@link NullPointerException} for null arguments.
 */
public final class TracewirePropagation {
  private static final Logger LOG = Logger.getLogger(TracewirePropagation.class.getName());

  /** The W3C trace context header. */
  public static final String TRACEPARENT = "traceparent";
  /** The W3C trace state header. */
  public static final String TRACESTATE = "tracestate";
  /** The W3C baggage header. */
  public static final String BAGGAGE = "baggage";
  /** The baggage entry holding the caller's run path (ids root first, the caller's run last, '.'-separated). */
  public static final String RUN_PATH_KEY = "tracewire.run_path";
  /** The longest {@code traceparent} read, {@value} characters (version 00 has 55). */
  public static final int MAX_TRACEPARENT_LENGTH = 512;
  /** The longest {@code tracestate} read, {@value} characters (the W3C limit to propagate). */
  public static final int MAX_TRACESTATE_LENGTH = 512;
  /** The longest {@code baggage} read, {@value} characters (the W3C limit). */
  public static final int MAX_BAGGAGE_LENGTH = 8192;

  private static final int UUID_LENGTH = 36;

  /** What a rejected header was; the index of its counter. */
  enum Rejected {
    TRACEPARENT("traceparent"), TRACESTATE("tracestate"), BAGGAGE("baggage"), RUN_PATH(RUN_PATH_KEY + " baggage entry");

    final String what;

    Rejected(String what) {
      this.what = what;
    }
  }

  private final LongAdder injected = new LongAdder();
  private final LongAdder extracted = new LongAdder();
  private final LongAdder remoteParents = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder[] rejected = new LongAdder[Rejected.values().length];
  private final AtomicBoolean[] warned = new AtomicBoolean[Rejected.values().length];
  private final AtomicBoolean warnedFailure = new AtomicBoolean();

  private TracewirePropagation() {
    for (int i = 0; i < rejected.length; i++) {
      rejected[i] = new LongAdder();
      warned[i] = new AtomicBoolean();
    }
  }

  /** A new instance with its own counters. */
  public static TracewirePropagation create() {
    return new TracewirePropagation();
  }

  // ---------------------------------------------------------------- inject

  /**
   * Writes {@code traceparent}/{@code tracestate} (when an OpenTelemetry span is current) and
   * {@code baggage} (the current OpenTelemetry baggage, with {@value #RUN_PATH_KEY} set to the
   * current run's path, or removed outside any run) into {@code carrier}. Call it on the thread
   * of the run making the call. Never throws: a failure is counted and the carrier keeps what
   * was written.
   */
  public <C> void inject(C carrier, TextMapSetter<C> setter) {
    Objects.requireNonNull(setter, "setter");
    try {
      Context ctx = Context.current();
      Optional<RemoteParent> run = RemoteParent.current();
      Baggage baggage = Baggage.fromContext(ctx);
      if (run.isPresent()) {
        baggage = baggage.toBuilder().put(RUN_PATH_KEY, runPath(run.get().path())).build();
      } else if (baggage.getEntryValue(RUN_PATH_KEY) != null) {
        baggage = baggage.toBuilder().remove(RUN_PATH_KEY).build();
      }
      ctx = ctx.with(baggage);
      W3CTraceContextPropagator.getInstance().inject(ctx, carrier, setter);
      W3CBaggagePropagator.getInstance().inject(ctx, carrier, setter);
      injected.increment();
    } catch (RuntimeException | LinkageError e) {
      failed("inject", e);
    }
  }

  /** The headers {@link #inject} would write now, by name (for transports without a setter). */
  public Map<String, String> headers() {
    Map<String, String> m = new LinkedHashMap<>();
    inject(m, (map, k, v) -> map.put(k, v));
    return m;
  }

  private static String runPath(List<UUID> ids) {
    StringBuilder sb = new StringBuilder(ids.size() * (UUID_LENGTH + 1));
    for (UUID id : ids) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(id);
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- extract

  /**
   * Reads the headers of an incoming request. The result's context is the current
   * OpenTelemetry context with the extracted span (unless a span is current already, as when the
   * OpenTelemetry agent started a server span for the request: then that span stays the parent)
   * and the extracted baggage minus {@value #RUN_PATH_KEY}; its remote parent is the caller's run
   * when a valid run path came. Never throws: headers that break the rules above are ignored and
   * counted, and on an unexpected failure the result carries the current context and no parent.
   */
  public <C> Incoming extract(C carrier, TextMapGetter<C> getter) {
    Objects.requireNonNull(getter, "getter");
    Context base = Context.current();
    try {
      extracted.increment();
      Context ctx = base;
      boolean spanCurrent = Span.fromContext(base).getSpanContext().isValid();
      String traceparent = getter.get(carrier, TRACEPARENT);
      SpanContext remoteSpan = null;
      if (traceparent != null && !spanCurrent) {
        if (traceparent.length() > MAX_TRACEPARENT_LENGTH) {
          reject(Rejected.TRACEPARENT, "longer than " + MAX_TRACEPARENT_LENGTH + " characters (" + traceparent.length() + ")");
        } else {
          String tracestate = getter.get(carrier, TRACESTATE);
          boolean stateOk = tracestate == null || tracestate.length() <= MAX_TRACESTATE_LENGTH;
          if (!stateOk) {
            reject(Rejected.TRACESTATE, "longer than " + MAX_TRACESTATE_LENGTH + " characters (" + tracestate.length() + ")");
          }
          Context withSpan = W3CTraceContextPropagator.getInstance().extract(base, carrier, limited(getter, stateOk));
          SpanContext sc = Span.fromContext(withSpan).getSpanContext();
          if (sc.isValid()) {
            ctx = withSpan;
            remoteSpan = sc;
            if (stateOk && tracestate != null && !tracestate.isBlank() && sc.getTraceState().isEmpty()) {
              reject(Rejected.TRACESTATE, "malformed");
            }
          } else {
            reject(Rejected.TRACEPARENT, "malformed or of an unsupported version");
          }
        }
      }
      RemoteParent parent = null;
      String baggageHeader = getter.get(carrier, BAGGAGE);
      if (baggageHeader != null) {
        if (baggageHeader.length() > MAX_BAGGAGE_LENGTH) {
          reject(Rejected.BAGGAGE, "longer than " + MAX_BAGGAGE_LENGTH + " characters (" + baggageHeader.length() + ")");
        } else {
          Baggage baggage = Baggage.fromContext(W3CBaggagePropagator.getInstance().extract(Context.root(), carrier, getter));
          String path = baggage.getEntryValue(RUN_PATH_KEY);
          if (path != null) {
            parent = parse(path);
            if (parent == null) {
              reject(Rejected.RUN_PATH, "not 1 to " + (RemoteParent.MAX_DEPTH + 1) + " canonical UUIDs separated by '.'");
            } else if (remoteSpan != null) {
              parent = parent.withTrace(remoteSpan.getTraceId(), remoteSpan.getSpanId());
            }
            baggage = baggage.toBuilder().remove(RUN_PATH_KEY).build();
          }
          if (!baggage.isEmpty()) {
            // the caller's entries join (and win over) what is current here
            io.opentelemetry.api.baggage.BaggageBuilder merged = Baggage.fromContext(ctx).toBuilder();
            baggage.forEach((k, e) -> merged.put(k, e.getValue(), e.getMetadata()));
            ctx = ctx.with(merged.build());
          }
        }
      }
      if (parent != null) {
        remoteParents.increment();
      }
      return new Incoming(ctx, parent);
    } catch (RuntimeException | LinkageError e) {
      failed("extract", e);
      return new Incoming(base, null);
    }
  }

  /** A getter that hides an oversized {@code tracestate} from the W3C propagator. */
  private static <C> TextMapGetter<C> limited(TextMapGetter<C> getter, boolean stateOk) {
    if (stateOk) {
      return getter;
    }
    return new TextMapGetter<>() {
      @Override
      public Iterable<String> keys(C carrier) {
        return getter.keys(carrier);
      }

      @Override
      public String get(C carrier, String key) {
        return TRACESTATE.equalsIgnoreCase(key) ? null : getter.get(carrier, key);
      }
    };
  }

  /** The remote parent a run path names, or null when it breaks the format. */
  static RemoteParent parse(String path) {
    int max = RemoteParent.MAX_DEPTH + 1;
    if (path.isEmpty() || path.length() > max * (UUID_LENGTH + 1)) {
      return null;
    }
    List<UUID> ids = new ArrayList<>();
    int from = 0;
    while (from <= path.length()) {
      int dot = path.indexOf('.', from);
      int to = dot < 0 ? path.length() : dot;
      if (to - from != UUID_LENGTH || ids.size() == max) {
        return null;
      }
      UUID id = canonicalUuid(path, from);
      if (id == null) {
        return null;
      }
      ids.add(id);
      if (dot < 0) {
        break;
      }
      from = dot + 1;
    }
    UUID runId = ids.remove(ids.size() - 1);
    return RemoteParent.of(runId, ids);
  }

  /** The UUID at {@code s[from, from + 36)} if it is in canonical lower-case form, else null. */
  private static UUID canonicalUuid(String s, int from) {
    for (int i = 0; i < UUID_LENGTH; i++) {
      char c = s.charAt(from + i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return null;
      }
    }
    return UUID.fromString(s.substring(from, from + UUID_LENGTH));
  }

  private void reject(Rejected kind, String why) {
    rejected[kind.ordinal()].increment();
    if (warned[kind.ordinal()].compareAndSet(false, true)) {
      LOG.warning("tracewire-propagation: ignored the " + kind.what + " of an incoming request: " + why
          + "; the request goes on without it (further rejected values are counted in stats())");
    }
  }

  private void failed(String what, Throwable e) {
    failures.increment();
    if (warnedFailure.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "tracewire-propagation: " + what + " failed; the request goes on without run context"
          + " (further failures are counted in stats())", e);
    }
  }

  /** A snapshot of this instance's counters. */
  public PropagationStats stats() {
    return new PropagationStats(injected.sum(), extracted.sum(), remoteParents.sum(),
        rejected[Rejected.TRACEPARENT.ordinal()].sum(), rejected[Rejected.TRACESTATE.ordinal()].sum(),
        rejected[Rejected.BAGGAGE.ordinal()].sum(), rejected[Rejected.RUN_PATH.ordinal()].sum(), failures.sum());
  }

  @Override
  public String toString() {
    return "TracewirePropagation" + stats();
  }
}
