package io.tracewire.propagation;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.io.IOException;
import java.util.Objects;

/**
 * A filter for the JDK's {@code com.sun.net.httpserver} that continues the caller's run context
 * for the handler: {@code context.getFilters().add(TracingHttpServerFilter.create(p))}. While
 * the handler runs on the exchange's thread, runs it starts without an explicit parent are
 * children of the caller's run and their spans children of the caller's span (see
 * {@link Incoming#attach()}). Work the handler hands to other threads needs
 * {@code RunContext.wrap} and OpenTelemetry's {@code Context.wrap} as usual.
 *
 * <p>Bad headers are ignored and counted by the {@link TracewirePropagation}; the filter never
 * fails a request (exceptions come only from the handler chain). Thread-safe.
 */
public final class TracingHttpServerFilter extends Filter {
  static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Headers carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Headers carrier, String key) {
      return carrier == null ? null : carrier.getFirst(key);
    }
  };

  private final TracewirePropagation propagation;

  private TracingHttpServerFilter(TracewirePropagation propagation) {
    this.propagation = propagation;
  }

  /** A filter extracting with {@code propagation} (whose counters it feeds). */
  public static TracingHttpServerFilter create(TracewirePropagation propagation) {
    return new TracingHttpServerFilter(Objects.requireNonNull(propagation, "propagation"));
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    Incoming in = propagation.extract(exchange.getRequestHeaders(), GETTER);
    try (Scope ignored = in.attach()) {
      chain.doFilter(exchange);
    }
  }

  @Override
  public String description() {
    return "Tracewire run context (traceparent, tracestate, baggage)";
  }
}
