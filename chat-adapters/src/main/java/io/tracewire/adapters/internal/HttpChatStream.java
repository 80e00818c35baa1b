package io.tracewire.adapters.internal;

import io.tracewire.adapters.ChatProviderException;
import io.tracewire.adapters.Retries;
import io.tracewire.adapters.Timeouts;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.message.AIMessageChunk;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * One streamed provider call as an iterator of chunks. The request is sent lazily on the first
 * {@link #hasNext()}, on the consuming thread (no extra thread). Failures before the first chunk
 * was handed out are retried per {@link Retries}; after that they are thrown.
 *
 * <p>{@link #close()} may be called from any thread: it cancels the OkHttp call at once, which
 * unblocks a consumer blocked in a read (it then gets {@link ChatProviderException.Cancelled}),
 * and wakes a retry wait.
 */
public final class HttpChatStream implements CloseableIterator<AIMessageChunk> {
  private static final long MAX_ERROR_BODY = 64 * 1024;

  /** Turns frames into chunks for one response. A new decoder is made for each attempt. */
  public interface Decoder {
    /** Adds the chunks for {@code frame} to {@code out}; returns {@code true} at the stream's end marker. */
    boolean onFrame(FrameReader.Frame frame, String requestId, List<AIMessageChunk> out) throws IOException;
  }

  /** What a stream needs to know about its provider and settings. */
  public record Settings(String provider, OkHttpClient client, Timeouts timeouts, Retries retries, String secret,
      String requestIdHeader, FrameReader.Framing framing) {}

  private final Settings settings;
  private final Request request;
  private final Supplier<Decoder> decoders;
  private final ArrayDeque<AIMessageChunk> queue = new ArrayDeque<>();
  private final List<AIMessageChunk> scratch = new ArrayList<>(4);
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile Call call;
  private volatile Response response;
  private FrameReader reader;
  private Decoder decoder;
  private String requestId;
  private int attempt;
  private boolean delivered;
  private boolean finished;
  private boolean done;

  public HttpChatStream(Settings settings, Request request, Supplier<Decoder> decoders) {
    this.settings = settings;
    this.request = request;
    this.decoders = decoders;
  }

  @Override
  public boolean hasNext() {
    if (!queue.isEmpty()) {
      return true;
    }
    if (done) {
      return false;
    }
    try {
      while (queue.isEmpty()) {
        if (closed) {
          throw new ChatProviderException.Cancelled(settings.provider(), requestId, null);
        }
        if (finished) {
          done = true;
          release();
          return false;
        }
        try {
          if (reader == null) {
            open();
          }
          FrameReader.Frame frame = reader.next();
          if (frame == null) {
            throw new ChatProviderException.MalformedStream(settings.provider(), requestId,
                "the stream ended before its end marker", null);
          }
          scratch.clear();
          finished = decoder.onFrame(frame, requestId, scratch);
          queue.addAll(scratch);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new ChatProviderException.MalformedStream(settings.provider(), requestId,
              "invalid JSON in the stream: " + Redactor.clean(e.getOriginalMessage(), settings.secret()), null);
        } catch (IOException e) {
          ChatProviderException ex = Errors.fromIo(settings.provider(), requestId, e, closed, settings.secret());
          if (closed || delivered || !ex.isRetryable() || attempt >= settings.retries().maxRetries()) {
            throw ex;
          }
          release();
          reader = null;
          queue.clear();
          pause(null);
        }
      }
      return true;
    } catch (RuntimeException e) {
      done = true;
      release();
      throw e;
    }
  }

  @Override
  public AIMessageChunk next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    delivered = true;
    return queue.poll();
  }

  @Override
  public void close() {
    closed = true;
    closedLatch.countDown();
    Call c = call;
    if (c != null) {
      c.cancel();
    }
    release();
  }

  private void open() throws IOException {
    while (true) {
      if (closed) {
        throw new ChatProviderException.Cancelled(settings.provider(), requestId, null);
      }
      Call c = settings.client().newCall(request);
      call = c;
      if (closed) {
        c.cancel();
      }
      Response r;
      try {
        r = c.execute();
      } catch (IOException e) {
        ChatProviderException ex = Errors.fromIo(settings.provider(), null, e, closed, settings.secret());
        if (closed || !ex.isRetryable() || attempt >= settings.retries().maxRetries()) {
          throw ex;
        }
        pause(null);
        continue;
      }
      requestId = Redactor.requestId(r.header(settings.requestIdHeader()), settings.secret());
      if (!r.isSuccessful()) {
        String body;
        try (r) {
          body = r.peekBody(MAX_ERROR_BODY).string();
        } catch (IOException e) {
          body = null;
        }
        Duration hint = Backoff.retryAfter(r.headers(), Instant.now());
        ChatProviderException ex = Errors.fromResponse(settings.provider(), r.code(), requestId, body, hint,
            settings.secret());
        if (Backoff.shouldRetry(r.code(), r.headers()) && attempt < settings.retries().maxRetries()) {
          pause(hint);
          continue;
        }
        throw ex;
      }
      response = r;
      ResponseBody body = r.body();
      BufferedSource source = body.source();
      Duration idle = settings.timeouts().idle();
      source.timeout().timeout(idle.toNanos(), TimeUnit.NANOSECONDS);
      reader = new FrameReader(source, settings.framing());
      decoder = decoders.get();
      if (closed) {
        throw new ChatProviderException.Cancelled(settings.provider(), requestId, null);
      }
      return;
    }
  }

  private void pause(Duration hint) {
    attempt++;
    Duration d = Backoff.delay(settings.retries(), attempt, hint, () -> ThreadLocalRandom.current().nextDouble());
    try {
      if (closedLatch.await(d.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new ChatProviderException.Cancelled(settings.provider(), requestId, null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChatProviderException.Cancelled(settings.provider(), requestId, e);
    }
  }

  private void release() {
    Response r = response;
    response = null;
    if (r != null) {
      try {
        r.close();
      } catch (RuntimeException ignored) {
        // closing after a cancel is best effort
      }
    }
  }

  /** How many retries this stream made so far. */
  public int retriesMade() {
    return attempt;
  }
}
