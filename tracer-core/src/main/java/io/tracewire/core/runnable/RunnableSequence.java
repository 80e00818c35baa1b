package io.tracewire.core.runnable;

import io.tracewire.core.internal.Runs;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Steps run one after another, each fed the previous one's output (a {@code chain} run named
 * {@code RunnableSequence}). Step {@code i} runs as a child tagged {@code seq:step:i} (1-based,
 * not inherited further). Streamed, every step's stream feeds the next lazily, so a streaming
 * step starts as soon as the step before it yields its first chunk. Nested sequences flatten;
 * wrap one with {@code withConfig} or {@code withName} to keep it a run of its own.
 * Immutable; thread-safe if the steps are.
 */
public final class RunnableSequence<I, O> extends Runnable<I, O> {
  private final List<Runnable<Object, Object>> steps;

  private RunnableSequence(String name, List<Runnable<Object, Object>> steps) {
    super(name);
    if (steps.size() < 2) {
      throw new IllegalArgumentException("a sequence needs at least 2 steps, got " + steps.size());
    }
    this.steps = List.copyOf(steps);
  }

  @SuppressWarnings("unchecked")
  static <I, T> RunnableSequence<I, T> of(Runnable<?, ?> first, Runnable<?, ?> next) {
    List<Runnable<Object, Object>> all = new ArrayList<>();
    for (Runnable<?, ?> r : List.of(first, next)) {
      if (r instanceof RunnableSequence<?, ?> s && s.hasDefaultName()) {
        all.addAll(s.steps);
      } else {
        all.add((Runnable<Object, Object>) r);
      }
    }
    return new RunnableSequence<>(null, all);
  }

  /** A sequence of the given steps; the types must line up at run time. */
  @SuppressWarnings("unchecked")
  public static <I, O> RunnableSequence<I, O> of(String name, List<? extends Runnable<?, ?>> steps) {
    Objects.requireNonNull(steps, "steps");
    List<Runnable<Object, Object>> l = new ArrayList<>();
    for (Runnable<?, ?> r : steps) {
      l.add((Runnable<Object, Object>) Objects.requireNonNull(r, "step"));
    }
    return new RunnableSequence<>(name, l);
  }

  private boolean hasDefaultName() {
    return name().equals(defaultName());
  }

  /** The steps, in order. */
  public List<Runnable<?, ?>> steps() {
    return List.copyOf(steps);
  }

  @Override
  protected String defaultName() {
    return "RunnableSequence";
  }

  @Override
  @SuppressWarnings("unchecked")
  public O invoke(I input, RunConfig config) {
    return Runs.call(input, config, Runs.spec(RunType.CHAIN, name()), (in, child, node) -> {
      Object v = in;
      for (int i = 0; i < steps.size(); i++) {
        v = steps.get(i).invoke(v, Runs.child(child, node, stepTag(i)));
      }
      return (O) v;
    });
  }

  @Override
  public CloseableIterator<O> stream(I input, RunConfig config) {
    return transform(CloseableIterator.single(input), config);
  }

  /** LangChain's tag for step {@code i} (from 0): {@code seq:step:<i + 1>}; the first 16 are made once. */
  private static String stepTag(int i) {
    return i < STEP_TAGS.length ? STEP_TAGS[i] : "seq:step:" + (i + 1);
  }

  private static final String[] STEP_TAGS = new String[16];

  static {
    for (int i = 0; i < STEP_TAGS.length; i++) {
      STEP_TAGS[i] = "seq:step:" + (i + 1);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public CloseableIterator<O> transform(Iterator<? extends I> input, RunConfig config) {
    return Runs.transform(input, config, Runs.spec(RunType.CHAIN, name()), (in, node, child) -> {
      CloseableIterator<Object> it = (CloseableIterator<Object>) (CloseableIterator<?>) in;
      for (int i = 0; i < steps.size(); i++) {
        it = steps.get(i).transform(it, Runs.child(child, node, stepTag(i)));
      }
      return (CloseableIterator<O>) it;
    });
  }
}
