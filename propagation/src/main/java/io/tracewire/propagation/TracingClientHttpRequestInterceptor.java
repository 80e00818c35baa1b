package io.tracewire.propagation;

import java.io.IOException;
import java.util.Objects;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A Spring {@link ClientHttpRequestInterceptor} that adds the run-context headers of
 * {@link TracewirePropagation} to every request of a {@code RestClient} or {@code RestTemplate}:
 * {@code RestClient.builder().requestInterceptor(TracingClientHttpRequestInterceptor.create(p))}.
 * Headers of the same names already on the request are replaced. The headers name the run
 * executing on the thread that executes the request, which for {@code RestClient} and
 * {@code RestTemplate} is the calling thread. The Tracewire Spring Boot starter adds one to every
 * {@code RestClient.Builder} it customises.
 *
 * <p>Thread-safe; never throws but the execution's own {@link IOException}s.
 */
public final class TracingClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {
  private final TracewirePropagation propagation;

  private TracingClientHttpRequestInterceptor(TracewirePropagation propagation) {
    this.propagation = propagation;
  }

  /** An interceptor injecting with {@code propagation} (whose counters it feeds). */
  public static TracingClientHttpRequestInterceptor create(TracewirePropagation propagation) {
    return new TracingClientHttpRequestInterceptor(Objects.requireNonNull(propagation, "propagation"));
  }

  @Override
  public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
      throws IOException {
    propagation.inject(request, (r, name, value) -> r.getHeaders().set(name, value));
    return execution.execute(request, body);
  }
}
