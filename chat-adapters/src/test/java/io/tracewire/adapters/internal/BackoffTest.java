package io.tracewire.adapters.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.adapters.Retries;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void retryAfterMsWinsOverRetryAfter() {
    Headers h = Headers.of("retry-after-ms", "1500", "retry-after", "9");
    assertThat(Backoff.retryAfter(h, NOW)).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void retryAfterIsSecondsOrAnHttpDate() {
    assertThat(Backoff.retryAfter(Headers.of("retry-after", "2"), NOW)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Backoff.retryAfter(Headers.of("retry-after", "0.25"), NOW)).isEqualTo(Duration.ofMillis(250));
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(7).atZone(ZoneOffset.UTC));
    assertThat(Backoff.retryAfter(Headers.of("retry-after", date), NOW)).isEqualTo(Duration.ofSeconds(7));
    assertThat(Backoff.retryAfter(Headers.of("retry-after", "soon"), NOW)).isNull();
    assertThat(Backoff.retryAfter(Headers.of(), NOW)).isNull();
  }

  @Test
  void theServerHintIsHonouredExactly() {
    assertThat(Backoff.delay(Retries.DEFAULTS, 1, Duration.ofSeconds(7), () -> 0.9)).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void withoutAHintTheBackoffDoublesUpToTheCapWithJitterOfAtMostAQuarter() {
    assertThat(Backoff.delay(Retries.DEFAULTS, 1, null, () -> 0.0)).isEqualTo(Duration.ofMillis(500));
    assertThat(Backoff.delay(Retries.DEFAULTS, 1, null, () -> 1.0)).isEqualTo(Duration.ofMillis(375));
    assertThat(Backoff.delay(Retries.DEFAULTS, 2, null, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Backoff.delay(Retries.DEFAULTS, 10, null, () -> 0.0)).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void retryableStatusesFollowTheSdksAndXShouldRetryOverrides() {
    assertThat(Backoff.shouldRetry(429, Headers.of())).isTrue();
    assertThat(Backoff.shouldRetry(529, Headers.of())).isTrue();
    assertThat(Backoff.shouldRetry(500, Headers.of())).isTrue();
    assertThat(Backoff.shouldRetry(408, Headers.of())).isTrue();
    assertThat(Backoff.shouldRetry(409, Headers.of())).isTrue();
    assertThat(Backoff.shouldRetry(400, Headers.of())).isFalse();
    assertThat(Backoff.shouldRetry(401, Headers.of())).isFalse();
    assertThat(Backoff.shouldRetry(400, Headers.of("x-should-retry", "true"))).isTrue();
    assertThat(Backoff.shouldRetry(503, Headers.of("x-should-retry", "false"))).isFalse();
  }
}
