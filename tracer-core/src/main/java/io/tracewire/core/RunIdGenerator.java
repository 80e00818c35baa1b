package io.tracewire.core;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Produces run ids. The default makes UUIDv7 (time-ordered) values from
 * {@link ThreadLocalRandom}, not {@code SecureRandom}: run ids identify, they do not protect.
 * Set one per call tree with {@link RunConfig.Builder#runIdGenerator}; tests use
 * {@link #sequential} for deterministic ids. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface RunIdGenerator {

  UUID next();

  /** The default generator: UUIDv7 with random bits from {@link ThreadLocalRandom}. */
  static RunIdGenerator uuidV7() {
    return Defaults.UUID_V7;
  }

  /** Ids {@code 00000000-0000-0000-0000-<n>} counting up from {@code first}; for tests. */
  static RunIdGenerator sequential(long first) {
    AtomicLong n = new AtomicLong(first);
    return () -> new UUID(0L, n.getAndIncrement());
  }

  /** Holder of the default instance. */
  final class Defaults {
    private Defaults() {}

    static final RunIdGenerator UUID_V7 = () -> {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      long ms = System.currentTimeMillis();
      long msb = (ms << 16) | 0x7000L | (r.nextInt() & 0x0FFFL);
      long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      return new UUID(msb, lsb);
    };
  }
}
