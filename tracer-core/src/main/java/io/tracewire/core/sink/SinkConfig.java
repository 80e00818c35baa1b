package io.tracewire.core.sink;

import java.util.Objects;

/**
 * How an {@link EventBus} runs one sink: its name (for the worker thread, logs and stats), the
 * capacity of its bounded queue, its {@link OverflowPolicy} and the largest batch handed to
 * {@link EventSink#export}. Immutable; validated on construction.
 *
 * @param name the sink's name; not blank
 * @param capacity the queue capacity, at least 1 (default {@value #DEFAULT_CAPACITY})
 * @param policy what to do when the queue is full (default {@link OverflowPolicy#DROP_NEWEST})
 * @param maxBatch the largest batch, at least 1 (default {@value #DEFAULT_MAX_BATCH})
 */
public record SinkConfig(String name, int capacity, OverflowPolicy policy, int maxBatch) {
  /** The default queue capacity. */
  public static final int DEFAULT_CAPACITY = 8192;
  /** The default largest batch. */
  public static final int DEFAULT_MAX_BATCH = 512;

  public SinkConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(policy, "policy");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
    }
  }

  /** The defaults, with this name. */
  public static SinkConfig named(String name) {
    return new SinkConfig(name, DEFAULT_CAPACITY, OverflowPolicy.DROP_NEWEST, DEFAULT_MAX_BATCH);
  }

  public SinkConfig withCapacity(int newCapacity) {
    return new SinkConfig(name, newCapacity, policy, maxBatch);
  }

  public SinkConfig withPolicy(OverflowPolicy newPolicy) {
    return new SinkConfig(name, capacity, newPolicy, maxBatch);
  }

  public SinkConfig withMaxBatch(int newMaxBatch) {
    return new SinkConfig(name, capacity, policy, newMaxBatch);
  }
}
