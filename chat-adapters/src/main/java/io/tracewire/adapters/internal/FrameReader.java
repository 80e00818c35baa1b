package io.tracewire.adapters.internal;

import java.io.IOException;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Reads frames from a streamed body: Server-Sent Events (WHATWG rules: lines end in LF, CRLF
 * or CR; {@code :} comments ignored; one space after the colon stripped; several {@code data:}
 * lines joined with LF; an event is dispatched only when it has data) or newline-delimited JSON
 * (one frame per non-blank line). Bytes are decoded as UTF-8 only once a whole line is buffered,
 * so multi-byte characters split across TCP writes are safe. Not thread-safe.
 */
public final class FrameReader {
  private static final ByteString LINE_ENDS = ByteString.encodeUtf8("\r\n");

  /** One SSE event (name may be {@code null}) or one NDJSON line (name {@code null}). */
  public record Frame(String event, String data) {}

  /** The body format. */
  public enum Framing { SSE, NDJSON }

  private final BufferedSource source;
  private final Framing framing;
  private boolean skipLf;

  public FrameReader(BufferedSource source, Framing framing) {
    this.source = source;
    this.framing = framing;
  }

  /** The next frame, or {@code null} at the end of the body (an incomplete SSE event is dropped). */
  public Frame next() throws IOException {
    return framing == Framing.SSE ? nextEvent() : nextLine();
  }

  private Frame nextLine() throws IOException {
    for (String line = readLine(); line != null; line = readLine()) {
      if (!line.isBlank()) {
        return new Frame(null, line);
      }
    }
    return null;
  }

  private Frame nextEvent() throws IOException {
    String event = null;
    StringBuilder data = null;
    for (String line = readLine(); line != null; line = readLine()) {
      if (line.isEmpty()) {
        if (data != null) {
          return new Frame(event, data.toString());
        }
        event = null;
        continue;
      }
      if (line.charAt(0) == ':') {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      if (field.equals("event")) {
        event = value;
      } else if (field.equals("data")) {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
    }
    return null;
  }

  /** One line without its terminator, or {@code null} at the end. */
  String readLine() throws IOException {
    while (true) {
      long i = source.indexOfElement(LINE_ENDS);
      if (i < 0) {
        long left = source.getBuffer().size();
        return left == 0 ? null : source.readUtf8(left);
      }
      if (skipLf) {
        skipLf = false;
        if (i == 0 && source.getBuffer().getByte(0) == '\n') {
          source.skip(1);
          continue;
        }
      }
      String line = source.readUtf8(i);
      skipLf = source.readByte() == '\r';
      return line;
    }
  }
}
