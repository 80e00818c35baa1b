package io.tracewire.propagation;

import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Collections;
import java.util.Objects;

/**
 * A Jakarta Servlet filter that continues the caller's run context for the rest of the chain,
 * on the request's thread, like {@link TracingHttpServerFilter}. Register an instance
 * ({@code servletContext.addFilter("tracewire", new TracingServletFilter(p))}) or the class (the
 * public no-argument constructor makes its own {@link TracewirePropagation}). Asynchronous
 * processing ({@code startAsync}) continues on other threads without the context unless the
 * application carries it ({@code RunContext.wrap}).
 *
 * <p>Non-HTTP requests pass through untouched. Bad headers are ignored and counted; the filter
 * never fails a request (exceptions come only from the chain). Thread-safe.
 */
public final class TracingServletFilter implements Filter {
  static final TextMapGetter<HttpServletRequest> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(HttpServletRequest carrier) {
      return Collections.list(carrier.getHeaderNames());
    }

    @Override
    public String get(HttpServletRequest carrier, String key) {
      return carrier == null ? null : carrier.getHeader(key);
    }
  };

  private final TracewirePropagation propagation;

  /** A filter with its own {@link TracewirePropagation} (for registration by class name). */
  public TracingServletFilter() {
    this(TracewirePropagation.create());
  }

  /** A filter extracting with {@code propagation} (whose counters it feeds). */
  public TracingServletFilter(TracewirePropagation propagation) {
    this.propagation = Objects.requireNonNull(propagation, "propagation");
  }

  /** The propagation this filter extracts with (for its {@link TracewirePropagation#stats()}). */
  public TracewirePropagation propagation() {
    return propagation;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http)) {
      chain.doFilter(request, response);
      return;
    }
    Incoming in = propagation.extract(http, GETTER);
    try (Scope ignored = in.attach()) {
      chain.doFilter(request, response);
    }
  }
}
