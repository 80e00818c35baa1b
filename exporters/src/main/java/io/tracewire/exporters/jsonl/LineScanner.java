package io.tracewire.exporters.jsonl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Splits a byte channel into {@code '\n'}-terminated lines without decoding them, with a bound
 * on line length: a longer line is skipped without being buffered and reported as too long.
 * Returns {@code null} when no complete line is available yet (the follower waits and calls
 * again). Not thread-safe.
 */
final class LineScanner {
  /** One line; {@code buf[off, off+len)} is valid until the next call. */
  record Line(byte[] buf, int off, int len, long number, boolean tooLong, long length, boolean terminated) {}

  private final ReadableByteChannel channel;
  private final int maxLineBytes;
  private byte[] buf = new byte[64 * 1024];
  private int start;
  private int end;
  private int scan;
  private boolean skipping;
  private long skipped;
  private long lineNo;
  private long consumed;
  private boolean eof;

  LineScanner(ReadableByteChannel channel, int maxLineBytes) {
    this.channel = channel;
    this.maxLineBytes = maxLineBytes;
  }

  /** Whether the last read hit the end of the channel. */
  boolean atEof() {
    return eof;
  }

  /** Bytes of complete lines returned so far (where an unterminated tail starts). */
  long consumed() {
    return consumed;
  }

  /** Whether bytes of an unterminated line are pending. */
  boolean hasPartial() {
    return skipping || end > start;
  }

  /** The next complete line, or {@code null} when the channel has no more complete lines now. */
  Line next() throws IOException {
    while (true) {
      for (int i = scan; i < end; i++) {
        if (buf[i] == '\n') {
          lineNo++;
          int len = i - start;
          Line l = skipping
              ? new Line(buf, start, 0, lineNo, true, skipped + len, true)
              : new Line(buf, start, len, lineNo, false, len, true);
          consumed += (skipping ? skipped : 0) + len + 1;
          skipping = false;
          start = i + 1;
          scan = start;
          return l;
        }
      }
      scan = end;
      if (skipping) {
        skipped += end - start;
        start = 0;
        end = 0;
        scan = 0;
      } else if (end - start > maxLineBytes) {
        skipping = true;
        skipped = end - start;
        start = 0;
        end = 0;
        scan = 0;
      }
      if (start > 0) {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        scan -= start;
        start = 0;
      }
      if (end == buf.length) {
        byte[] bigger = new byte[(int) Math.min((long) buf.length * 2, (long) maxLineBytes + 64 * 1024 + 1)];
        System.arraycopy(buf, 0, bigger, 0, end);
        buf = bigger;
      }
      int n = channel.read(ByteBuffer.wrap(buf, end, buf.length - end));
      if (n < 0) {
        eof = true;
        return null;
      }
      eof = false;
      if (n == 0) {
        return null;
      }
      end += n;
    }
  }

  /** Takes the unterminated tail as a final line (at the end of a file that will not grow). */
  Line rest() {
    if (!hasPartial()) {
      return null;
    }
    lineNo++;
    Line l = skipping
        ? new Line(buf, start, 0, lineNo, true, skipped + end - start, false)
        : new Line(buf, start, end - start, lineNo, false, end - start, false);
    consumed += (skipping ? skipped : 0) + end - start;
    skipping = false;
    start = end;
    scan = end;
    return l;
  }
}
