package io.tracewire.spring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tracewire.core.sink.SinkStats;
import io.tracewire.core.Tracewire;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters for every sink: the counter {@code tracewire.sink.events} with tags
 * {@code sink} and {@code outcome} ({@code queued}, {@code delivered}, {@code dropped},
 * {@code failed}) and the gauge {@code tracewire.sink.queue.max.depth}. Values are read from
 * {@link Tracewire#stats()} when the registry polls. Thread-safe.
 */
final class TracewireMetrics implements MeterBinder {
  private final Tracewire tracewire;

  TracewireMetrics(Tracewire tracewire) {
    this.tracewire = tracewire;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (SinkStats s : tracewire.stats()) {
      String sink = s.name();
      counter(registry, sink, "queued", SinkStats::queued);
      counter(registry, sink, "delivered", SinkStats::delivered);
      counter(registry, sink, "dropped", SinkStats::dropped);
      counter(registry, sink, "failed", SinkStats::failed);
      Gauge.builder("tracewire.sink.queue.max.depth", tracewire, tw -> read(tw, sink, SinkStats::maxDepth))
          .tag("sink", sink)
          .description("Most events waiting in the sink's queue at once")
          .register(registry);
    }
  }

  private void counter(MeterRegistry registry, String sink, String outcome, ToLongFunction<SinkStats> f) {
    FunctionCounter.builder("tracewire.sink.events", tracewire, tw -> read(tw, sink, f))
        .tag("sink", sink)
        .tag("outcome", outcome)
        .description("Events of the sink by outcome")
        .register(registry);
  }

  static double read(Tracewire tw, String sink, ToLongFunction<SinkStats> f) {
    for (SinkStats s : tw.stats()) {
      if (s.name().equals(sink)) {
        return f.applyAsLong(s);
      }
    }
    return Double.NaN;
  }
}
