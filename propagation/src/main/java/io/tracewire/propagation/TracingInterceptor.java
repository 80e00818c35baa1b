package io.tracewire.propagation;

import java.io.IOException;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OkHttp interceptor that adds the run-context headers of {@link TracewirePropagation} to
 * every request: {@code new OkHttpClient.Builder().addInterceptor(TracingInterceptor.create(p))}.
 * Headers of the same names already on the request are replaced.
 *
 * <p>The headers name the run executing on the thread that runs the interceptor: for
 * {@code call.execute()} the calling thread. OkHttp runs {@code call.enqueue(...)} calls on its
 * dispatcher's threads, where no run is current; for those add the headers when building the
 * request ({@code TracewirePropagation.headers()}) or build the dispatcher on an executor
 * wrapped with {@code RunContext.wrap}. Thread-safe; never throws but the chain's own
 * {@link IOException}s.
 */
public final class TracingInterceptor implements Interceptor {
  private final TracewirePropagation propagation;

  private TracingInterceptor(TracewirePropagation propagation) {
    this.propagation = propagation;
  }

  /** An interceptor injecting with {@code propagation} (whose counters it feeds). */
  public static TracingInterceptor create(TracewirePropagation propagation) {
    return new TracingInterceptor(Objects.requireNonNull(propagation, "propagation"));
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request.Builder b = chain.request().newBuilder();
    propagation.inject(b, (builder, name, value) -> builder.header(name, value));
    return chain.proceed(b.build());
  }
}
