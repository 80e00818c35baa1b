package io.tracewire.bench;

import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.BaseMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The standard workloads, the same as the Python side's (benchmarks/python/bench_langchain.py):
 * W1 chat stream, W2 chain stream, W3 many small runs, W4 concurrent streams, M1 memory. Each
 * workload has an event-stream body and a baseline body (the same work without events). On JDK 21
 * and newer, W5 adds many concurrent streams on virtual threads (Java only: the Python side has no
 * counterpart).
 */
public final class Workloads {
  private Workloads() {}

  /** One workload: returns the number of events (or chunks, for a baseline) it consumed. */
  @FunctionalInterface
  public interface Body {
    long run() throws Exception;
  }

  /** A workload definition; {@code openRunHeap} is {@code null} except for W5. */
  public record Workload(String name, String description, Body events, Body baseline, OpenRunHeap openRunHeap) {
    public Workload(String name, String description, Body events, Body baseline) {
      this(name, description, events, baseline, null);
    }
  }

  /** A heap measurement in bytes. */
  @FunctionalInterface
  public interface Measure {
    double measure() throws Exception;
  }

  /** Heap per open run with events and per open plain stream (see {@link VirtualThreads#heapPerOpenRun}). */
  public record OpenRunHeap(Measure events, Measure plain) {}

  /** A reply of {@code words} words, as the fake models of every workload give. */
  public static String reply(int words) {
    StringBuilder sb = new StringBuilder(words * 6);
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append("word").append(i % 10);
    }
    return sb.toString();
  }

  static Runnable<Object, BaseMessage> model(int words) {
    return GenericFakeChatModel.cycling(List.of(new AIMessage(reply(words))));
  }

  /** A model whose stream waits 1 ms before each chunk, as a provider's network stream does. */
  static Runnable<Object, BaseMessage> pacedModel(int words) {
    return GenericFakeChatModel.cycling(List.of(new AIMessage(reply(words)))).withChunkDelay(Duration.ofMillis(1));
  }

  static long drainEvents(CloseableIterator<StreamEvent> it) {
    long n = 0;
    try (it) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  static VirtualThreads.Held held(CloseableIterator<?> it) {
    return new VirtualThreads.Held() {
      @Override
      public void open() {
        if (it.hasNext()) {
          it.next();
        }
      }

      @Override
      public long finish() {
        return 1 + drain(it);
      }
    };
  }

  /** Consumes and closes the iterator; returns how many items it gave. */
  public static long drain(CloseableIterator<?> it) {
    long n = 0;
    try (it) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  /** The workloads at a scale: {@code full} is the published table, otherwise about a tenth. */
  public static List<Workload> all(boolean full) {
    int w1Words = full ? 1_000 : 200;
    int w3Runs = full ? 2_000 : 200;
    int w4Streams = full ? 100 : 20;
    int m1Words = full ? 10_000 : 2_000;
    List<Workload> out = new ArrayList<>();

    Runnable<Object, BaseMessage> w1 = model(w1Words);
    out.add(new Workload("W1", "chat stream, " + w1Words + " words",
        () -> drainEvents(w1.streamEvents("hello")), () -> drain(w1.stream("hello"))));

    Runnable<Map<String, Object>, String> w2 = ChatPromptTemplate.of(ChatPromptTemplate.human("{q}"))
        .pipe(model(w1Words)).pipe(new StrOutputParser());
    out.add(new Workload("W2", "prompt | model | parser, " + w1Words + " words",
        () -> drainEvents(w2.streamEvents(Map.of("q", "hello"))), () -> drain(w2.stream(Map.of("q", "hello")))));

    Runnable<Integer, Integer> plus = RunnableLambda.of((Integer x) -> x + 1);
    Runnable<Integer, Integer> w3 = plus.pipe(plus).pipe(plus).pipe(plus).pipe(plus);
    out.add(new Workload("W3", w3Runs + " x streamEvents of 5 piped lambdas", () -> {
      long n = 0;
      for (int i = 0; i < w3Runs; i++) {
        n += drainEvents(w3.streamEvents(i));
      }
      return n;
    }, () -> {
      long n = 0;
      for (int i = 0; i < w3Runs; i++) {
        n += w3.invoke(i);
      }
      return n;
    }));

    Runnable<Object, BaseMessage> w4 = model(100);
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    out.add(new Workload("W4", w4Streams + " concurrent streams of 100 words on " + threads + " threads",
        () -> concurrently(w4Streams, threads, () -> drainEvents(w4.streamEvents("hello"))),
        () -> concurrently(w4Streams, threads, () -> drain(w4.stream("hello")))));

    Optional<VirtualThreads> vt = VirtualThreads.available();
    if (vt.isPresent()) {
      int w5Streams = full ? 10_000 : 1_000;
      Runnable<Object, BaseMessage> w5 = pacedModel(100);
      out.add(new Workload("W5", w5Streams + " concurrent streams of 100 words on virtual threads, 1 ms between chunks",
          () -> vt.get().concurrently(w5Streams, () -> drainEvents(w5.streamEvents("hello"))),
          () -> vt.get().concurrently(w5Streams, () -> drain(w5.stream("hello"))),
          new OpenRunHeap(() -> vt.get().heapPerOpenRun(w5Streams, () -> held(w5.streamEvents("hello"))),
              () -> vt.get().heapPerOpenRun(w5Streams, () -> held(w5.stream("hello"))))));
    }

    Runnable<Object, BaseMessage> m1 = model(m1Words);
    out.add(new Workload("M1", "chat stream, " + m1Words + " words (memory)",
        () -> drainEvents(m1.streamEvents("hello")), () -> drain(m1.stream("hello"))));
    return out;
  }

  static long concurrently(int tasks, int threads, Body body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> fs = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        fs.add(pool.submit(body::run));
      }
      long n = 0;
      for (Future<Long> f : fs) {
        n += f.get();
      }
      return n;
    } finally {
      pool.shutdown();
    }
  }
}
