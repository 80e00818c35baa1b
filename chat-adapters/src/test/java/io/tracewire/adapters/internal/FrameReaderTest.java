package io.tracewire.adapters.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

  /** A source that hands out at most {@code step} bytes per read, like a slow TCP peer. */
  private static Source dribble(byte[] bytes, int step) {
    return new Source() {
      private int pos;

      @Override
      public long read(Buffer sink, long byteCount) {
        if (pos >= bytes.length) {
          return -1;
        }
        int n = (int) Math.min(Math.min(step, byteCount), bytes.length - pos);
        sink.write(bytes, pos, n);
        pos += n;
        return n;
      }

      @Override
      public Timeout timeout() {
        return Timeout.NONE;
      }

      @Override
      public void close() {}
    };
  }

  /** A source that delivers {@code bytes} in exactly two reads, split at {@code at}. */
  private static Source splitAt(byte[] bytes, int at) {
    return new Source() {
      private int part;

      @Override
      public long read(Buffer sink, long byteCount) {
        if (part == 0) {
          part = 1;
          if (at > 0) {
            sink.write(bytes, 0, at);
            return at;
          }
        }
        if (part == 1) {
          part = 2;
          sink.write(bytes, at, bytes.length - at);
          return bytes.length - at;
        }
        return -1;
      }

      @Override
      public Timeout timeout() {
        return Timeout.NONE;
      }

      @Override
      public void close() {}
    };
  }

  private static List<FrameReader.Frame> frames(Source s, FrameReader.Framing f) throws IOException {
    BufferedSource src = Okio.buffer(s);
    FrameReader r = new FrameReader(src, f);
    List<FrameReader.Frame> out = new ArrayList<>();
    for (FrameReader.Frame fr = r.next(); fr != null; fr = r.next()) {
      out.add(fr);
    }
    return out;
  }

  private static final String SSE = ": keep-alive\n"
      + "event: content_block_delta\n"
      + "data: {\"text\":\"27 × 453 — ünïcödé 🙂\"}\n"
      + "\n"
      + "data:no-space\n"
      + "data:  two spaces\n"
      + "id: 3\n"
      + "retry: 100\n"
      + "\n"
      + "event: lonely\n"
      + "\n"
      + "data: [DONE]\n"
      + "\n";

  private static final List<FrameReader.Frame> EXPECTED = List.of(
      new FrameReader.Frame("content_block_delta", "{\"text\":\"27 × 453 — ünïcödé 🙂\"}"),
      new FrameReader.Frame(null, "no-space\n two spaces"),
      new FrameReader.Frame(null, "[DONE]"));

  @Test
  void sseEventsFollowTheWhatwgRules() throws IOException {
    byte[] b = SSE.getBytes(StandardCharsets.UTF_8);
    assertThat(frames(dribble(b, Integer.MAX_VALUE), FrameReader.Framing.SSE)).isEqualTo(EXPECTED);
  }

  @Test
  void sseSplitAtEveryBytePositionGivesTheSameEventsForLfCrlfAndCr() throws IOException {
    for (String ending : List.of("\n", "\r\n", "\r")) {
      byte[] b = SSE.replace("\n", ending).getBytes(StandardCharsets.UTF_8);
      for (int at = 0; at <= b.length; at++) {
        assertThat(frames(splitAt(b, at), FrameReader.Framing.SSE))
            .as("line ending %s split at byte %d", ending.replace("\r", "CR").replace("\n", "LF"), at)
            .isEqualTo(EXPECTED);
      }
      assertThat(frames(dribble(b, 1), FrameReader.Framing.SSE)).isEqualTo(EXPECTED);
    }
  }

  @Test
  void anIncompleteSseEventAtTheEndIsDropped() throws IOException {
    byte[] b = "data: complete\n\ndata: cut off".getBytes(StandardCharsets.UTF_8);
    assertThat(frames(dribble(b, 3), FrameReader.Framing.SSE)).containsExactly(new FrameReader.Frame(null, "complete"));
  }

  @Test
  void ndjsonLinesSplitMidUtf8SequenceStayIntact() throws IOException {
    String text = "{\"c\":\"héllo 🙂\"}\n\n{\"c\":\"wörld\"}\r\n{\"c\":\"last\"}";
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    List<FrameReader.Frame> expected = List.of(new FrameReader.Frame(null, "{\"c\":\"héllo 🙂\"}"),
        new FrameReader.Frame(null, "{\"c\":\"wörld\"}"), new FrameReader.Frame(null, "{\"c\":\"last\"}"));
    for (int at = 0; at <= b.length; at++) {
      assertThat(frames(splitAt(b, at), FrameReader.Framing.NDJSON)).as("split at %d", at).isEqualTo(expected);
    }
  }
}
