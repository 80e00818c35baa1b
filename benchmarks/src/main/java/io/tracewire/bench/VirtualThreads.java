package io.tracewire.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Virtual-thread executors for the W5 workload, found reflectively so that this module still
 * compiles for Java 17: on JDK 21 and newer {@link #available()} gives one, on 17 it is empty and
 * W5 is left out. One task per stream, all submitted at once.
 */
final class VirtualThreads {
  private final Method factory;

  private VirtualThreads(Method factory) {
    this.factory = factory;
  }

  static Optional<VirtualThreads> available() {
    try {
      return Optional.of(new VirtualThreads(java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor")));
    } catch (NoSuchMethodException e) {
      return Optional.empty();
    }
  }

  ExecutorService executor() {
    try {
      return (ExecutorService) factory.invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("virtual threads are not usable here", e);
    }
  }

  /** Runs {@code tasks} copies of {@code body}, each on its own virtual thread, and sums their counts. */
  long concurrently(int tasks, Workloads.Body body) throws Exception {
    ExecutorService ex = executor();
    try {
      List<Future<Long>> fs = new ArrayList<>(tasks);
      for (int i = 0; i < tasks; i++) {
        fs.add(ex.submit(body::run));
      }
      long n = 0;
      for (Future<Long> f : fs) {
        n += f.get();
      }
      return n;
    } finally {
      ex.shutdown();
    }
  }

  /** A stream held open mid-way: {@link #open} pulls its first item, {@link #finish} drains the rest. */
  interface Held {
    void open() throws Exception;

    long finish() throws Exception;
  }

  /**
   * Heap per open run: {@code tasks} streams are started and each pulled once (its run and its
   * virtual thread alive, parked), then the used heap after a GC, less the heap before, is
   * divided by {@code tasks}. Then every stream is drained.
   */
  double heapPerOpenRun(int tasks, java.util.function.Supplier<Held> streams) throws Exception {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = mem.getHeapMemoryUsage().getUsed();
    CountDownLatch opened = new CountDownLatch(tasks);
    CountDownLatch release = new CountDownLatch(1);
    long used;
    ExecutorService ex = executor();
    try {
      List<Future<Long>> fs = new ArrayList<>(tasks);
      for (int i = 0; i < tasks; i++) {
        fs.add(ex.submit(() -> {
          Held h = streams.get();
          try {
            h.open();
          } finally {
            opened.countDown();
          }
          release.await();
          return h.finish();
        }));
      }
      opened.await();
      System.gc();
      used = mem.getHeapMemoryUsage().getUsed();
      release.countDown();
      for (Future<Long> f : fs) {
        f.get();
      }
    } finally {
      ex.shutdown();
    }
    return Math.max(0, used - before) / (double) tasks;
  }
}
