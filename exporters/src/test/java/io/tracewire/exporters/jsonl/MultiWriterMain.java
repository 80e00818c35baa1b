package io.tracewire.exporters.jsonl;

import io.tracewire.core.sink.EventBus;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child process of {@link JsonlWritersTest}: writes {@code args[1]} events through a bus into
 * the rotated JSONL log {@code args[0]} (size limit {@code args[2]} bytes), prints its writer id
 * and exits.
 */
final class MultiWriterMain {
  private MultiWriterMain() {}

  public static void main(String[] args) {
    JsonlFileSink sink = JsonlFileSink.builder(Path.of(args[0])).maxFileBytes(Long.parseLong(args[2])).build();
    System.out.println("writer " + sink.writerId());
    EventBus bus = EventBus.builder()
        .sink(sink, SinkConfig.named("jsonl").withPolicy(OverflowPolicy.BLOCK).withCapacity(1024).withMaxBatch(64))
        .build();
    long n = Long.parseLong(args[1]);
    for (long seq = 1; seq <= n; seq++) {
      bus.onEvent(Events.seed(seq, "tok" + seq));
    }
    if (!bus.close(Duration.ofSeconds(60)) || bus.stats("jsonl").delivered() != n) {
      System.out.println("not all delivered: " + bus.stats("jsonl"));
      System.exit(1);
    }
  }
}
