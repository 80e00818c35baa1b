package io.tracewire.core.runnable;

import io.tracewire.core.internal.Runs;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.RunContext;
import io.tracewire.core.event.RunType;
import io.tracewire.core.internal.Engine;
import io.tracewire.core.internal.RunNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Named branches that all receive the same input and run concurrently; the output maps each
 * name to its branch's output (a {@code chain} run named {@code RunnableParallel<k1,k2,...>}).
 * Each branch is a child tagged {@code map:key:<name>}. Streamed, the input is shared with every
 * branch and the output is a stream of single-entry {@link AddableMap}s in completion order
 * (nondeterministic across branches, ordered within one). At most
 * {@link RunConfig#maxConcurrency()} branches run at a time. Immutable.
 */
public final class RunnableParallel<I> extends Runnable<I, Map<String, Object>> {
  private final Map<String, Runnable<Object, Object>> branches;

  private RunnableParallel(String name, Map<String, Runnable<Object, Object>> branches) {
    super(name);
    if (branches.isEmpty()) {
      throw new IllegalArgumentException("a parallel needs at least one branch");
    }
    this.branches = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(branches));
  }

  /** Branches in the map's iteration order (use a {@link LinkedHashMap} or {@code Map.of} for fixed names). */
  @SuppressWarnings("unchecked")
  public static <I> RunnableParallel<I> of(Map<String, ? extends Runnable<? super I, ?>> branches) {
    Objects.requireNonNull(branches, "branches");
    Map<String, Runnable<Object, Object>> m = new LinkedHashMap<>();
    branches.forEach((k, v) -> m.put(Objects.requireNonNull(k, "branch name"), (Runnable<Object, Object>) Objects.requireNonNull(v, k)));
    return new RunnableParallel<>(null, m);
  }

  /** The branch names, in order. */
  public List<String> keys() {
    return List.copyOf(branches.keySet());
  }

  @Override
  protected String defaultName() {
    return "RunnableParallel<" + String.join(",", branches.keySet()) + ">";
  }

  @Override
  public Map<String, Object> invoke(I input, RunConfig config) {
    return Runs.call(input, config, Runs.spec(RunType.CHAIN, name()), (in, child, node) -> {
      Executor ex = Engine.executor(child);
      Semaphore permits = new Semaphore(child.maxConcurrency() == null ? Integer.MAX_VALUE : child.maxConcurrency());
      Map<String, CompletableFuture<Object>> fs = new LinkedHashMap<>();
      for (Map.Entry<String, Runnable<Object, Object>> e : branches.entrySet()) {
        RunConfig bc = Runs.child(child, node, "map:key:" + e.getKey());
        fs.put(e.getKey(), CompletableFuture.supplyAsync(RunContext.wrapSupplier(() -> {
          permits.acquireUninterruptibly();
          try {
            return e.getValue().invoke(in, bc);
          } finally {
            permits.release();
          }
        }), ex));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      Throwable first = null;
      for (Map.Entry<String, CompletableFuture<Object>> f : fs.entrySet()) {
        try {
          out.put(f.getKey(), f.getValue().join());
        } catch (RuntimeException t) {
          if (first == null) {
            first = t;
          }
        }
      }
      if (first != null) {
        throw Engine.unchecked(first);
      }
      return out;
    });
  }

  @Override
  public CloseableIterator<Map<String, Object>> stream(I input, RunConfig config) {
    return transform(CloseableIterator.single(input), config);
  }

  @Override
  public CloseableIterator<Map<String, Object>> transform(Iterator<? extends I> input, RunConfig config) {
    return Runs.<I, Map<String, Object>>transform(input, config, Runs.spec(RunType.CHAIN, name()), (in, node, child) -> new Merged(in, node, child));
  }

  /** Runs every branch over a shared copy of the input and merges their chunks as they come. */
  private final class Merged implements CloseableIterator<Map<String, Object>> {
    private final Tee<I> tee;
    private final LinkedBlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
    private final List<Future<?>> tasks = new ArrayList<>();
    private final List<CloseableIterator<?>> streams = new ArrayList<>();
    private int running;
    private Map<String, Object> pending;
    // Each branch is pulled one chunk at a time, and only when the consumer asks for more after
    // taking its previous chunk, as LangChain's asyncio.wait loop does: a branch's end then
    // follows the parallel's stream event for its last chunk.
    private final Map<String, Semaphore> demand = new LinkedHashMap<>();
    private String lastKey;
    private boolean started;
    private volatile boolean closed;
    private final RunNode node;
    private final RunConfig child;

    Merged(CloseableIterator<I> in, RunNode node, RunConfig child) {
      this.tee = new Tee<>(in);
      this.node = node;
      this.child = child;
    }

    private void start() {
      started = true;
      Executor ex = Engine.executor(child);
      Semaphore permits = new Semaphore(child.maxConcurrency() == null ? Integer.MAX_VALUE : child.maxConcurrency());
      for (Map.Entry<String, Runnable<Object, Object>> e : branches.entrySet()) {
        String key = e.getKey();
        RunConfig bc = Runs.child(child, node, "map:key:" + key);
        Semaphore want = new Semaphore(1);
        demand.put(key, want);
        running++;
        FutureTask<Void> t = new FutureTask<Void>(RunContext.<Void>wrap((java.util.concurrent.Callable<Void>) () -> {
          try {
            permits.acquire();
          } catch (InterruptedException ie) {
            queue.add(new Object[] {key, null, ie});
            return null;
          }
          try {
            CloseableIterator<Object> s = e.getValue().transform(tee.view(), bc);
            synchronized (streams) {
              streams.add(s);
            }
            while (true) {
              want.acquire();
              if (closed || !s.hasNext()) {
                break;
              }
              AddableMap m = new AddableMap();
              m.put(key, s.next());
              queue.add(new Object[] {key, m, null});
            }
            queue.add(new Object[] {key, null, null});
          } catch (Throwable t2) {
            queue.add(new Object[] {key, null, t2});
          } finally {
            permits.release();
          }
          return null;
        }));
        tasks.add(t);
        ex.execute(t);
      }
    }

    @Override
    public boolean hasNext() {
      if (pending != null) {
        return true;
      }
      if (!started) {
        start();
      }
      if (lastKey != null) {
        demand.get(lastKey).release();
        lastKey = null;
      }
      while (running > 0) {
        Object[] item;
        try {
          item = queue.take();
        } catch (InterruptedException e) {
          close();
          Thread.currentThread().interrupt();
          throw Engine.unchecked(e);
        }
        if (item[2] != null) {
          close();
          throw Engine.unchecked((Throwable) item[2]);
        }
        if (item[1] == null) {
          running--;
          continue;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) item[1];
        pending = m;
        lastKey = (String) item[0];
        return true;
      }
      return false;
    }

    @Override
    public Map<String, Object> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Map<String, Object> m = pending;
      pending = null;
      return m;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      demand.values().forEach(Semaphore::release);
      for (Future<?> t : tasks) {
        t.cancel(true);
      }
      synchronized (streams) {
        for (CloseableIterator<?> s : streams) {
          s.close();
        }
      }
    }
  }

  /** Shares one input iterator between several consumers on several threads. */
  static final class Tee<T> {
    private final CloseableIterator<T> source;
    private final List<T> buffer = new ArrayList<>();
    private boolean exhausted;

    Tee(CloseableIterator<T> source) {
      this.source = source;
    }

    private synchronized boolean fill(int index) {
      while (buffer.size() <= index && !exhausted) {
        if (source.hasNext()) {
          buffer.add(source.next());
        } else {
          exhausted = true;
        }
      }
      return buffer.size() > index;
    }

    private synchronized T get(int index) {
      return buffer.get(index);
    }

    CloseableIterator<Object> view() {
      return new CloseableIterator<>() {
        private int i;

        @Override
        public boolean hasNext() {
          return fill(i);
        }

        @Override
        public Object next() {
          if (!fill(i)) {
            throw new NoSuchElementException();
          }
          return get(i++);
        }

        @Override
        public void close() {}
      };
    }
  }
}
