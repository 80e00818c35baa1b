package io.tracewire.propagation;

import java.util.Objects;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * A Spring {@link ExchangeFilterFunction} that adds the run-context headers of
 * {@link TracewirePropagation} to every request of a {@code WebClient}:
 * {@code WebClient.builder().filter(TracingExchangeFilterFunction.create(p))}. Headers of the
 * same names already on the request are replaced. The Tracewire Spring Boot starter adds one to
 * every {@code WebClient.Builder} it customises.
 *
 * <p>{@code WebClient} runs its filters when the response publisher is subscribed; the headers
 * name the run executing on the subscribing thread (the calling thread for {@code block()}, or a
 * run started inside a reactive pipeline while it runs). A request subscribed on a thread where
 * no run is current carries no run path (the {@code traceparent} of a current OpenTelemetry span
 * still goes). Thread-safe; adds no error signal of its own.
 */
public final class TracingExchangeFilterFunction implements ExchangeFilterFunction {
  private final TracewirePropagation propagation;

  private TracingExchangeFilterFunction(TracewirePropagation propagation) {
    this.propagation = propagation;
  }

  /** A filter injecting with {@code propagation} (whose counters it feeds). */
  public static TracingExchangeFilterFunction create(TracewirePropagation propagation) {
    return new TracingExchangeFilterFunction(Objects.requireNonNull(propagation, "propagation"));
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    ClientRequest.Builder b = ClientRequest.from(request);
    propagation.inject(b, (builder, name, value) -> builder.headers(h -> h.set(name, value)));
    return next.exchange(b.build());
  }
}
