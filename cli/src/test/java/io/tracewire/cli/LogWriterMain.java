package io.tracewire.cli;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.jsonl.JsonlFileSink;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A separate process that writes N events to a rotating JSONL log, slowly (for the tail tests). */
public final class LogWriterMain {
  private LogWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    long maxBytes = Long.parseLong(args[2]);
    JsonlFileSink sink = JsonlFileSink.builder(file).maxFileBytes(maxBytes).build();
    for (int i = 1; i <= n; i++) {
      StreamEvent e = new StreamEvent("on_custom_event", "tick", "00000000-0000-0000-0000-000000000001", List.of(), List.of(),
          Map.of(), Map.of("i", i), i, LogFixtures.T0 + i);
      sink.export(List.of(e));
      sink.flush();
      Thread.sleep(2);
    }
    sink.close();
  }
}
