package io.tracewire.propagation;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A JDK {@link HttpClient} that adds the run-context headers of {@link TracewirePropagation} to
 * every request it sends, then delegates: {@code TracingHttpClient.wrap(HttpClient.newHttpClient(), p)}.
 * Headers of the same names already on the request are replaced. The headers name the run
 * executing on the thread that calls {@code send} or {@code sendAsync} (they are added before
 * the call leaves that thread). The settings accessors and {@link #newWebSocketBuilder()}
 * delegate unchanged (WebSocket handshakes get no headers); methods newer JDKs added to
 * {@code HttpClient} (such as {@code close()} on 21) are not forwarded: close the delegate
 * yourself. For one request, {@link #inject(HttpRequest, TracewirePropagation)} does the same
 * without a wrapper.
 *
 * <p>Thread-safe as the delegate is; adds no exception of its own.
 */
public final class TracingHttpClient extends HttpClient {
  private final HttpClient delegate;
  private final TracewirePropagation propagation;

  private TracingHttpClient(HttpClient delegate, TracewirePropagation propagation) {
    this.delegate = delegate;
    this.propagation = propagation;
  }

  /** A client sending through {@code delegate} with headers from {@code propagation}. */
  public static TracingHttpClient wrap(HttpClient delegate, TracewirePropagation propagation) {
    return new TracingHttpClient(Objects.requireNonNull(delegate, "delegate"),
        Objects.requireNonNull(propagation, "propagation"));
  }

  /** A copy of {@code request} with the run-context headers for the calling thread's run. */
  public static HttpRequest inject(HttpRequest request, TracewirePropagation propagation) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(propagation, "propagation");
    HttpRequest.Builder b = HttpRequest.newBuilder(request, (name, value) -> true);
    propagation.inject(b, (builder, name, value) -> builder.setHeader(name, value));
    return b.build();
  }

  /** The client requests go through. */
  public HttpClient delegate() {
    return delegate;
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    return delegate.send(inject(request, propagation), handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return delegate.sendAsync(inject(request, propagation), handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    return delegate.sendAsync(inject(request, propagation), handler, pushPromiseHandler);
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }

  @Override
  public String toString() {
    return "TracingHttpClient(" + delegate + ")";
  }
}
