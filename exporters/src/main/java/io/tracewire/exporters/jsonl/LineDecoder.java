package io.tracewire.exporters.jsonl;

import io.tracewire.core.event.StreamEvent;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/** Decodes scanned lines and reports the malformed ones (count, log, listener). Not thread-safe. */
final class LineDecoder {
  private static final Logger LOG = Logger.getLogger(JsonlReader.class.getName());

  private final JsonlCodec codec;
  private final ReadOptions options;
  final AtomicLong malformed = new AtomicLong();
  final AtomicLong events = new AtomicLong();

  LineDecoder(JsonlCodec codec, ReadOptions options) {
    this.codec = codec;
    this.options = options;
  }

  /** The event on this line, or {@code null} when the line is blank or malformed (then reported). */
  StreamEvent decode(Path file, LineScanner.Line line) {
    if (line.tooLong()) {
      report(file, line.number(), "line too long (" + line.length() + " bytes, limit " + options.maxLineBytes() + ")");
      return null;
    }
    int len = line.len();
    if (len > 0 && line.buf()[line.off() + len - 1] == '\r') {
      len--;
    }
    if (len == 0 && line.terminated()) {
      return null;
    }
    try {
      StreamEvent e = codec.decode(line.buf(), line.off(), len);
      events.incrementAndGet();
      return e;
    } catch (JsonlFormatException ex) {
      String why = line.terminated() ? ex.getMessage() : "truncated last line (no newline at end of file): " + ex.getMessage();
      report(file, line.number(), why);
      return null;
    }
  }

  void report(Path file, long lineNo, String reason) {
    MalformedLine m = new MalformedLine(file, lineNo, reason);
    long n = malformed.incrementAndGet();
    if (n <= ReadOptions.LOGGED_MALFORMED_LINES) {
      LOG.warning("skipped malformed JSONL line " + m + (n == ReadOptions.LOGGED_MALFORMED_LINES
          ? " (further malformed lines are counted, not logged)" : ""));
    }
    if (options.onMalformed() != null) {
      options.onMalformed().accept(m);
    }
  }
}
