package io.tracewire.exporters.jsonl;

import io.tracewire.core.event.StreamEvent;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Decodes scanned lines and reports the malformed ones: counted, and either handed to the
 * {@link ReadOptions#onMalformed} listener or, without one, logged (so each line is reported
 * once). Not thread-safe.
 */
final class LineDecoder {
  private static final Logger LOG = Logger.getLogger(JsonlReader.class.getName());

  private final JsonlCodec codec;
  private final ReadOptions options;
  final AtomicLong malformed = new AtomicLong();
  final AtomicLong events = new AtomicLong();
  /** The origin of the last decoded event. */
  LineOrigin lastOrigin;

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
    if (line.terminated() && blank(line.buf(), line.off(), len)) {
      return null;
    }
    try {
      EventReader.Decoded d = codec.decodeWithWriter(line.buf(), line.off(), len);
      events.incrementAndGet();
      lastOrigin = new LineOrigin(file, line.number(), d.writer(), d.event().seq(), d.version);
      return d.event();
    } catch (JsonlFormatException ex) {
      String why = line.terminated() ? ex.getMessage() : "truncated last line (no newline at end of file): " + ex.getMessage();
      report(file, line.number(), why);
      return null;
    }
  }

  /** Whether the bytes are only spaces and tabs (JSON's insignificant white space, without newlines). */
  private static boolean blank(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
        return false;
      }
    }
    return true;
  }

  void report(Path file, long lineNo, String reason) {
    MalformedLine m = new MalformedLine(file, lineNo, reason);
    long n = malformed.incrementAndGet();
    if (options.onMalformed() == null && n <= ReadOptions.LOGGED_MALFORMED_LINES) {
      LOG.warning("skipped malformed JSONL line " + m + (n == ReadOptions.LOGGED_MALFORMED_LINES
          ? " (further malformed lines are counted, not logged)" : ""));
    }
    if (options.onMalformed() != null) {
      options.onMalformed().accept(m);
    }
  }
}
