package io.tracewire.core.runnable;

import io.tracewire.core.internal.Runs;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunType;
import io.tracewire.core.internal.LazyIterator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Passes its input through unchanged (a {@code chain} run); streamed, it yields each input chunk
 * as it arrives. {@link #assign} builds a step that adds computed keys to a map input.
 */
public final class RunnablePassthrough<T> extends Runnable<T, T> {
  private RunnablePassthrough() {
    super(null);
  }

  public static <T> RunnablePassthrough<T> create() {
    return new RunnablePassthrough<>();
  }

  /**
   * {@code RunnableAssign<k1,...>}: the map input plus, for each entry, the key computed by that
   * runnable from the input (the computations run as one {@link RunnableParallel} child).
   */
  public static Runnable<Map<String, Object>, Map<String, Object>> assign(
      Map<String, ? extends Runnable<? super Map<String, Object>, ?>> computed) {
    return new Assign(RunnableParallel.of(computed));
  }

  @Override
  protected String defaultName() {
    return "RunnablePassthrough";
  }

  @Override
  public T invoke(T input, RunConfig config) {
    return Runs.call(input, config, Runs.spec(RunType.CHAIN, name()), (in, child, node) -> in);
  }

  @Override
  public CloseableIterator<T> stream(T input, RunConfig config) {
    return transform(CloseableIterator.single(input), config);
  }

  @Override
  public CloseableIterator<T> transform(Iterator<? extends T> input, RunConfig config) {
    return Runs.<T, T>transform(input, config, Runs.spec(RunType.CHAIN, name()), (in, node, child) -> in);
  }

  /** {@code RunnablePassthrough.assign(...)}. */
  static final class Assign extends Runnable<Map<String, Object>, Map<String, Object>> {
    private final RunnableParallel<Map<String, Object>> mapper;

    Assign(RunnableParallel<Map<String, Object>> mapper) {
      super(null);
      this.mapper = mapper;
    }

    @Override
    protected String defaultName() {
      return "RunnableAssign<" + String.join(",", mapper.keys()) + ">";
    }

    @Override
    public Map<String, Object> invoke(Map<String, Object> input, RunConfig config) {
      return Runs.call(input, config, Runs.spec(RunType.CHAIN, name()), (in, child, node) -> {
        Map<String, Object> out = new LinkedHashMap<>(in);
        out.putAll(mapper.invoke(in, child));
        return out;
      });
    }

    @Override
    public CloseableIterator<Map<String, Object>> stream(Map<String, Object> input, RunConfig config) {
      return transform(CloseableIterator.single(input), config);
    }

    @Override
    public CloseableIterator<Map<String, Object>> transform(Iterator<? extends Map<String, Object>> input, RunConfig config) {
      return Runs.transform(input, config, Runs.spec(RunType.CHAIN, name()), (in, node, child) -> new LazyIterator<>(() -> {
        List<Map<String, Object>> seen = new ArrayList<>();
        List<Map<String, Object>> passthrough = new ArrayList<>();
        while (in.hasNext()) {
          Map<String, Object> chunk = in.next();
          if (chunk == null) {
            throw new IllegalArgumentException("RunnableAssign needs map input, got null");
          }
          seen.add(chunk);
          AddableMap filtered = new AddableMap();
          chunk.forEach((k, v) -> {
            if (!mapper.keys().contains(k)) {
              filtered.put(k, v);
            }
          });
          if (!filtered.isEmpty()) {
            passthrough.add(filtered);
          }
        }
        CloseableIterator<Map<String, Object>> mapped = mapper.transform(seen.iterator(), child);
        Iterator<Map<String, Object>> first = passthrough.iterator();
        return new CloseableIterator<Map<String, Object>>() {
          @Override
          public boolean hasNext() {
            return first.hasNext() || mapped.hasNext();
          }

          @Override
          public Map<String, Object> next() {
            return first.hasNext() ? first.next() : mapped.next();
          }

          @Override
          public void close() {
            mapped.close();
          }
        };
      }));
    }
  }
}
