package io.tracewire.adapters.internal;

import io.tracewire.adapters.Timeouts;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;

/** OkHttp plumbing shared by the adapters. */
public final class Http {
  /** One client (connection pool and dispatcher) shared by every adapter that does not bring its own. */
  public static final OkHttpClient SHARED = new OkHttpClient();
  public static final MediaType JSON = MediaType.get("application/json");

  private Http() {}

  /** A client derived from {@code base} with the given timeouts (first byte as read timeout until headers arrive). */
  public static OkHttpClient client(OkHttpClient base, Timeouts t) {
    return base.newBuilder()
        .connectTimeout(t.connect())
        .readTimeout(t.firstByte())
        .writeTimeout(t.firstByte())
        .callTimeout(t.total())
        .retryOnConnectionFailure(false)
        .build();
  }

  /** A base URL without trailing slashes. */
  public static String trimBase(String url) {
    String u = url;
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  static Duration orZero(Duration d) {
    return d == null ? Duration.ZERO : d;
  }
}
