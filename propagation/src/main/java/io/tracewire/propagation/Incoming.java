package io.tracewire.propagation;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.tracewire.core.RemoteParent;
import io.tracewire.core.RunContext;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link TracewirePropagation#extract} read from an incoming request: the OpenTelemetry
 * context to handle it in (the caller's span and baggage, when they came) and the caller's run,
 * when a valid run path came. Immutable and thread-safe.
 *
 * @param context the OpenTelemetry context for the request
 * @param remoteParent the caller's run, or {@code null}
 */
public record Incoming(Context context, RemoteParent remoteParent) {
  public Incoming {
    Objects.requireNonNull(context, "context");
  }

  /** The caller's run, if a valid run path came. */
  public Optional<RemoteParent> caller() {
    return Optional.ofNullable(remoteParent);
  }

  /**
   * Makes {@link #context()} the current OpenTelemetry context and, when there is a caller's
   * run, makes runs started without an explicit parent on this thread its children
   * ({@link RunContext#attachRemoteParent}), until the returned scope is closed. Close it on this
   * thread, in the reverse order of other scopes (try-with-resources). Never throws.
   */
  public Scope attach() {
    Scope otel = context.makeCurrent();
    RunContext.Scope run = remoteParent == null ? null : RunContext.attachRemoteParent(remoteParent);
    return () -> {
      if (run != null) {
        run.close();
      }
      otel.close();
    };
  }
}
