package io.tracewire.exporters.jsonl;

import io.tracewire.core.sink.EventBus;
import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.core.sink.SinkConfig;
import java.nio.file.Path;

/** The child process of {@link JsonlCrashTest}: writes seed events to a JSONL file until it is killed. */
final class CrashWriterMain {
  private CrashWriterMain() {}

  public static void main(String[] args) {
    JsonlFileSink sink = JsonlFileSink.builder(Path.of(args[0])).build();
    EventBus bus = EventBus.builder()
        .sink(sink, SinkConfig.named("jsonl").withPolicy(OverflowPolicy.BLOCK).withCapacity(1024).withMaxBatch(200))
        .build();
    for (long seq = 1; ; seq++) {
      bus.onEvent(Events.seed(seq, "tok" + seq));
    }
  }
}
