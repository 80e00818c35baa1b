package io.tracewire.adapters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;

/**
 * Replays recorded provider streams byte for byte from {@code src/test/resources/replay}, with
 * chunked transfer encoding and one flush per fragment so a stream can be cut at any byte
 * (mid-line, mid UTF-8 sequence, between CR and LF).
 */
public final class Replay {
  private Replay() {}

  public static String resource(String name) {
    try (InputStream in = Replay.class.getResourceAsStream("/replay/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no replay resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A 200 streamed response, written in fragments of {@code fragmentSize} bytes. */
  public static MockResponse.Builder stream(String body, String contentType, int fragmentSize) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", contentType)
        .addHeader("Transfer-Encoding", "chunked")
        .body(new Fragments(body.getBytes(StandardCharsets.UTF_8), fragmentSize, true, null));
  }

  /** A 200 response that sends {@code prefix}, then breaks the connection without ending the body. */
  public static MockResponse.Builder truncated(String prefix, String contentType) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", contentType)
        .addHeader("Transfer-Encoding", "chunked")
        .body(new Fragments(prefix.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE, false, null))
        .onResponseEnd(new SocketEffect.CloseSocket());
  }

  /** A 200 response that sends {@code prefix}, then stalls until {@code release} opens. */
  public static MockResponse.Builder stalled(String prefix, String contentType, CountDownLatch release) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", contentType)
        .addHeader("Transfer-Encoding", "chunked")
        .body(new Fragments(prefix.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE, true, release));
  }

  /** An error response with a JSON body. */
  public static MockResponse.Builder error(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body);
  }

  /** The first frame of a stream (up to and including the first blank line, or the first line for NDJSON). */
  public static String firstFrame(String body, boolean sse) {
    int end = sse ? body.indexOf("\n\n") + 2 : body.indexOf('\n') + 1;
    return body.substring(0, end);
  }

  private record Fragments(byte[] bytes, int size, boolean terminate, CountDownLatch stallUntil)
      implements MockResponseBody {
    @Override
    public long getContentLength() {
      return -1L;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      for (int i = 0; i < bytes.length; i += size) {
        int n = Math.min(size, bytes.length - i);
        sink.writeUtf8(Integer.toHexString(n)).writeUtf8("\r\n").write(bytes, i, n).writeUtf8("\r\n");
        sink.flush();
      }
      if (stallUntil != null) {
        try {
          stallUntil.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      if (terminate) {
        sink.writeUtf8("0\r\n"); // MockWebServer writes the (empty) trailers and the final CRLF
        sink.flush();
      }
    }
  }
}
