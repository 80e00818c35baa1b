package io.tracewire.test;

import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.StreamEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Checks the run lifecycle as events happen, as micrometer's {@code ObservationValidator} does
 * for observations. Attach it like any listener ({@code RunConfig.builder().listener(validator)})
 * or check a finished recording with {@link #validate(List)}.
 *
 * <p>The rules (every breach is one {@link Violation}):
 * <ul>
 *   <li>every event name is a lifecycle event ({@code on_<type>_<start|stream|end|error|cancel>})
 *       or {@code on_custom_event};
 *   <li>a run starts once, before any other event of it;
 *   <li>a run is closed exactly once, by {@code on_<type>_end}, {@code on_<type>_error} or
 *       {@code on_<type>_cancel}, and nothing of it follows; a run open at the end of the
 *       recording is reported by {@link #assertComplete()} and {@link #validate(List)};
 *   <li>a parent starts before its children and does not end or fail while a child is open
 *       (a cancel may precede its children's cancels: closing a stream cancels from the
 *       outside in); a child does not start under a closed parent;
 *   <li>no orphans: a run whose immediate parent never started while an outer ancestor did
 *       (a run whose ancestors are all unknown is a root of the recording, as when the listener
 *       was attached inside an outer run);
 *   <li>{@code seq} increases within each run and is never repeated. (Across concurrent runs,
 *       events may arrive out of {@code seq} order; that is allowed.)
 *   <li>a custom event is not dispatched inside a run that is already closed.
 * </ul>
 *
 * <p>Thread-safe: {@link #onEvent} may be called from many run threads; state is guarded by a
 * lock that is never held while user code (the violation callback) runs. It never blocks beyond
 * that lock. With {@link Builder#failFast(boolean)}, {@link #onEvent} throws an
 * {@link AssertionError} at the first violation; the runtime isolates listener failures, so this
 * shows as a logged warning whose stack names the offending call, while the run goes on and
 * {@link #assertNoViolations()} still fails the test.
 *
 * <p>It keeps a little state per run and per event ({@code seq} uniqueness) for its whole life:
 * one validator per test, not one per process.
 */
public final class LifecycleValidator implements RunListener {
  private final boolean failFast;
  private final Consumer<Violation> onViolation;

  private final Object lock = new Object();
  private final Map<String, RunState> runs = new LinkedHashMap<>();
  private final Map<String, String> symbols = new HashMap<>();
  private final Set<Long> seqs = new HashSet<>();
  private final List<Violation> violations = new ArrayList<>();

  private LifecycleValidator(Builder b) {
    this.failFast = b.failFast;
    this.onViolation = b.onViolation;
  }

  /** A validator that collects violations. */
  public static LifecycleValidator create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every violation in a finished recording, including runs never closed. Does not throw. */
  public static List<Violation> validate(List<StreamEvent> events) {
    Objects.requireNonNull(events, "events");
    LifecycleValidator v = create();
    for (StreamEvent e : events) {
      v.onEvent(e);
    }
    return v.completeViolations();
  }

  private static final class RunState {
    final String symbol;
    final StreamEvent first;
    StreamEvent start;
    StreamEvent terminal;
    long lastSeq = Long.MIN_VALUE;
    final List<RunState> openChildren = new ArrayList<>();
    RunState parent;

    RunState(String symbol, StreamEvent first) {
      this.symbol = symbol;
      this.first = first;
    }
  }

  @Override
  public void onEvent(StreamEvent e) {
    if (e == null) {
      return;
    }
    List<Violation> found = new ArrayList<>(1);
    synchronized (lock) {
      check(e, found);
      violations.addAll(found);
    }
    for (Violation v : found) {
      if (onViolation != null) {
        onViolation.accept(v);
      }
    }
    if (failFast && !found.isEmpty()) {
      throw new AssertionError("run lifecycle violation: " + found.get(0));
    }
  }

  private String symbol(String runId) {
    return symbols.computeIfAbsent(runId, id -> "r" + symbols.size());
  }

  private void check(StreamEvent e, List<Violation> out) {
    String sym = symbol(e.runId());
    for (String p : e.parentIds()) {
      symbol(p);
    }
    if (!seqs.add(e.seq())) {
      out.add(new Violation(sym, "seq " + e.seq() + " was already used by another event", e));
    }
    RunState run = runs.get(e.runId());
    if (e.isCustom()) {
      if (run != null && run.terminal != null) {
        out.add(new Violation(sym, "custom event after its run was closed by " + run.terminal.event(), e));
      }
      return;
    }
    String phase = Events.phase(e);
    if (phase == null) {
      out.add(new Violation(sym, "not a lifecycle event name (on_<type>_<start|stream|end|error|cancel>)", e));
      return;
    }
    if (run == null) {
      run = new RunState(sym, e);
      runs.put(e.runId(), run);
      if (!Events.START.equals(phase)) {
        out.add(new Violation(sym, e.event() + " without a prior start", e));
      }
      linkParent(run, e, out);
    } else {
      if (e.seq() <= run.lastSeq) {
        out.add(new Violation(sym, "seq " + e.seq() + " does not increase (previous event of this run had " + run.lastSeq + ")", e));
      }
      String firstType = Events.type(run.first);
      if (!firstType.equals(Events.type(e))) {
        out.add(new Violation(sym, "run type changed from " + firstType + " to " + Events.type(e), e));
      }
      if (run.terminal != null) {
        out.add(new Violation(sym, e.event() + " after the run was closed by " + run.terminal.event() + " (seq " + run.terminal.seq() + ")", e));
        run.lastSeq = Math.max(run.lastSeq, e.seq());
        return;
      }
      if (Events.START.equals(phase)) {
        out.add(new Violation(sym, run.start != null ? "started twice" : "start after other events of the run", e));
      }
    }
    run.lastSeq = Math.max(run.lastSeq, e.seq());
    if (Events.START.equals(phase) && run.start == null) {
      run.start = e;
    }
    if (Events.isTerminal(phase)) {
      run.terminal = e;
      // Cancellation travels from the consumer inwards: a parent's cancel precedes its children's.
      for (RunState c : Events.CANCEL.equals(phase) ? List.<RunState>of() : run.openChildren) {
        out.add(new Violation(sym, "closed while its child " + c.symbol + " ('" + c.first.name() + "') is still open", e));
      }
      if (run.parent != null) {
        run.parent.openChildren.remove(run);
      }
    }
  }

  private void linkParent(RunState run, StreamEvent e, List<Violation> out) {
    List<String> ancestors = e.parentIds();
    if (ancestors.isEmpty()) {
      return;
    }
    String parentId = ancestors.get(ancestors.size() - 1);
    RunState parent = runs.get(parentId);
    if (parent == null) {
      for (int i = ancestors.size() - 2; i >= 0; i--) {
        if (runs.containsKey(ancestors.get(i))) {
          out.add(new Violation(run.symbol, "orphan: parent " + symbol(parentId)
              + " never started, though ancestor " + symbol(ancestors.get(i)) + " did", e));
          break;
        }
      }
      return;
    }
    run.parent = parent;
    if (parent.start == null) {
      out.add(new Violation(run.symbol, "started before its parent " + parent.symbol + " started", e));
    } else if (parent.start.seq() >= e.seq()) {
      out.add(new Violation(run.symbol, "start seq " + e.seq() + " is not after its parent " + parent.symbol
          + "'s start seq " + parent.start.seq(), e));
    }
    if (parent.terminal != null) {
      out.add(new Violation(run.symbol, "started after its parent " + parent.symbol + " was closed by " + parent.terminal.event(), e));
    } else {
      parent.openChildren.add(run);
    }
  }

  /** The violations found so far (runs still open are not violations yet). A snapshot. */
  public List<Violation> violations() {
    synchronized (lock) {
      return List.copyOf(violations);
    }
  }

  /** {@link #violations()} plus one for every run that has not been closed. A snapshot. */
  public List<Violation> completeViolations() {
    synchronized (lock) {
      List<Violation> out = new ArrayList<>(violations);
      for (RunState r : runs.values()) {
        if (r.terminal == null) {
          out.add(new Violation(r.symbol, "never closed: no end, error or cancel event after "
              + r.first.event() + " '" + r.first.name() + "'", null));
        }
      }
      return out;
    }
  }

  /** Fails with every violation found so far. */
  public void assertNoViolations() {
    fail(violations());
  }

  /** Fails with every violation, counting runs still open; call when all runs should have finished. */
  public void assertComplete() {
    fail(completeViolations());
  }

  private static void fail(List<Violation> vs) {
    if (!vs.isEmpty()) {
      throw new AssertionError(describe(vs));
    }
  }

  static String describe(List<Violation> vs) {
    StringBuilder sb = new StringBuilder("run lifecycle violations (" + vs.size() + "):");
    for (Violation v : vs) {
      sb.append("\n  - ").append(v);
    }
    return sb.toString();
  }

  /** Builder. Not thread-safe. */
  public static final class Builder {
    private boolean failFast;
    private Consumer<Violation> onViolation;

    private Builder() {}

    /** Throw an {@link AssertionError} from {@link #onEvent} at the first violation (default {@code false}). */
    public Builder failFast(boolean failFast) {
      this.failFast = failFast;
      return this;
    }

    /** Called, on the run's thread and outside any lock, with each violation as it is found. Must not block. */
    public Builder onViolation(Consumer<Violation> callback) {
      this.onViolation = Objects.requireNonNull(callback, "callback");
      return this;
    }

    public LifecycleValidator build() {
      return new LifecycleValidator(this);
    }
  }
}
