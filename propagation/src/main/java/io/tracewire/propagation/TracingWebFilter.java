package io.tracewire.propagation;

import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * A Spring WebFlux {@link WebFilter} that continues the caller's run context for the rest of the
 * chain, like {@link TracingServletFilter} does for servlets. It reads the headers when the
 * exchange arrives and keeps the caller's run and span current ({@link Incoming#attach()}) on
 * the thread that subscribes to the rest of the chain, while it subscribes. WebFlux invokes the
 * handler during that subscription when nothing before it waits (a controller method without a
 * request body, a functional handler), so runs the handler starts there are children of the
 * caller's run. Work that runs later, on the thread of another signal (a controller invoked once
 * its {@code @RequestBody} has arrived, operators after an asynchronous boundary), does not see
 * the context: start those runs under {@link #incoming(ServerWebExchange)}'s context, which the
 * filter stores as the exchange attribute {@value #INCOMING_ATTRIBUTE}.
 *
 * <p>Ordered {@link Ordered#HIGHEST_PRECEDENCE} {@code + 10}, so that other filters' work is
 * inside the context. Bad headers are ignored and counted by the {@link TracewirePropagation};
 * the filter never fails an exchange (errors come only from the chain). Thread-safe.
 */
public final class TracingWebFilter implements WebFilter, Ordered {
  /** The exchange attribute holding the request's {@link Incoming}. */
  public static final String INCOMING_ATTRIBUTE = "io.tracewire.propagation.Incoming";
  /** The filter's order: {@value}. */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

  static final TextMapGetter<HttpHeaders> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(HttpHeaders carrier) {
      return carrier.headerNames();
    }

    @Override
    public String get(HttpHeaders carrier, String key) {
      return carrier == null ? null : carrier.getFirst(key);
    }
  };

  private final TracewirePropagation propagation;

  private TracingWebFilter(TracewirePropagation propagation) {
    this.propagation = propagation;
  }

  /** A filter extracting with {@code propagation} (whose counters it feeds). */
  public static TracingWebFilter create(TracewirePropagation propagation) {
    return new TracingWebFilter(Objects.requireNonNull(propagation, "propagation"));
  }

  /** The propagation this filter extracts with (for its {@link TracewirePropagation#stats()}). */
  public TracewirePropagation propagation() {
    return propagation;
  }

  /** What this filter read from the exchange's request, or {@code null} before it ran. */
  public static Incoming incoming(ServerWebExchange exchange) {
    Object in = exchange.getAttribute(INCOMING_ATTRIBUTE);
    return in instanceof Incoming i ? i : null;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    Incoming in = propagation.extract(exchange.getRequest().getHeaders(), GETTER);
    exchange.getAttributes().put(INCOMING_ATTRIBUTE, in);
    Mono<Void> rest;
    try (Scope ignored = in.attach()) {
      rest = chain.filter(exchange);
    }
    return new Attached(rest, in);
  }

  /** Subscribes to the rest of the chain with the caller's context current. */
  private static final class Attached extends Mono<Void> {
    private final Mono<Void> source;
    private final Incoming incoming;

    Attached(Mono<Void> source, Incoming incoming) {
      this.source = source;
      this.incoming = incoming;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Void> actual) {
      try (Scope ignored = incoming.attach()) {
        source.subscribe(actual);
      }
    }
  }
}
