package io.tracewire.core;

import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.spi.ConfigAccess;
import io.tracewire.core.event.spi.TracerEngine;
import io.tracewire.core.util.Frozen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The configuration of one call: LangChain's {@code RunnableConfig}. Immutable; build with
 * {@link #builder()}. A field left unset ({@code null} from the builder's point of view) takes
 * the value of the current run context, then the default.
 *
 * <p>Inheritance follows LangChain: {@code tags} and {@code metadata} reach every descendant
 * run; {@code runName} and {@code runId} name and identify only the run that consumes this
 * config; {@code maxConcurrency}, {@code recursionLimit}, {@code configurable},
 * {@code executor} and {@code runIdGenerator} are passed down unchanged; listeners are attached
 * to the run and all its descendants.
 *
 * <p>{@link #merge} combines a bound config ({@code withConfig}) with a call's config with
 * LangChain's {@code merge_configs} rules.
 */
public final class RunConfig {
  private static final Logger LOG = Logger.getLogger(RunConfig.class.getName());

  /** LangChain's default recursion limit, {@value}. */
  public static final int DEFAULT_RECURSION_LIMIT = 25;

  static {
    // before EMPTY: nothing RunConfig's initialisation touches may find the engine's access missing
    ConfigAccess.install(new Access());
  }

  private static final RunConfig EMPTY = new Builder().build();

  final List<String> tags;
  final Map<String, Object> metadata;
  final String runName;
  final UUID runId;
  final Integer maxConcurrency;
  final Integer recursionLimit;
  final Map<String, Object> configurable;
  final List<RunListener> listeners;
  final Callbacks callbacks;
  final Executor executor;
  final RunIdGenerator runIdGenerator;
  // Internal: call arguments bound with bind(...) (for models: stop, temperature, ...); consumed by the run.
  final Map<String, Object> kwargs;
  // Internal: marks the root of a streamEvents call; consumed by the run whose id it names.
  final Object rootTap;

  private RunConfig(Builder b) {
    this.tags = b.tags == null ? null : List.copyOf(b.tags);
    this.metadata = b.metadata == null ? null : Frozen.map(b.metadata);
    this.runName = b.runName;
    this.runId = b.runId;
    this.maxConcurrency = b.maxConcurrency;
    this.recursionLimit = b.recursionLimit;
    this.configurable = b.configurable == null ? null : Frozen.map(b.configurable);
    this.listeners = b.listeners == null ? null : List.copyOf(b.listeners);
    this.callbacks = b.callbacks;
    this.executor = b.executor;
    this.runIdGenerator = b.runIdGenerator;
    this.kwargs = b.kwargs == null ? null : Frozen.map(b.kwargs);
    this.rootTap = b.rootTap;
  }

  /**
   * The config a run hands to its children ({@link #child}): {@code parent}'s fields as they are
   * (already frozen: no copy per run), its callbacks replaced, and what only the run itself
   * consumes cleared (run name and id, listeners, bound arguments, the stream-root mark).
   */
  private RunConfig(RunConfig parent, Callbacks callbacks) {
    this.tags = parent.tags;
    this.metadata = parent.metadata;
    this.runName = null;
    this.runId = null;
    this.maxConcurrency = parent.maxConcurrency;
    this.recursionLimit = parent.recursionLimit;
    this.configurable = parent.configurable;
    this.listeners = null;
    this.callbacks = callbacks;
    this.executor = parent.executor;
    this.runIdGenerator = parent.runIdGenerator;
    this.kwargs = null;
    this.rootTap = null;
  }

  /** A config with nothing set. */
  public static RunConfig empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The config of the run executing on this thread, as a child config (its descendants'
   * parent is that run), or an empty config outside any run. Lambdas and tools may pass it to
   * nested calls explicitly; calls without a config use it implicitly.
   */
  public static RunConfig current() {
    RunConfig c = TracerEngine.INSTANCE.currentConfig();
    return c == null ? EMPTY : c;
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.tags = tags;
    b.metadata = metadata;
    b.runName = runName;
    b.runId = runId;
    b.maxConcurrency = maxConcurrency;
    b.recursionLimit = recursionLimit;
    b.configurable = configurable;
    b.listeners = listeners;
    b.callbacks = callbacks;
    b.executor = executor;
    b.runIdGenerator = runIdGenerator;
    b.kwargs = kwargs;
    b.rootTap = rootTap;
    return b;
  }

  /** Tags; empty when unset. */
  public List<String> tags() {
    return tags == null ? List.of() : tags;
  }

  /** Metadata; empty when unset. */
  public Map<String, Object> metadata() {
    return metadata == null ? Frozen.EMPTY : metadata;
  }

  /** The name of the run that consumes this config, or {@code null}. */
  public String runName() {
    return runName;
  }

  /** The id of the run that consumes this config, or {@code null} for a generated id. */
  public UUID runId() {
    return runId;
  }

  /** Bound on concurrent work in batch and parallel calls, or {@code null} for no bound. */
  public Integer maxConcurrency() {
    return maxConcurrency;
  }

  public int recursionLimit() {
    return recursionLimit == null ? DEFAULT_RECURSION_LIMIT : recursionLimit;
  }

  /** Runtime values for configurable fields; empty when unset. */
  public Map<String, Object> configurable() {
    return configurable == null ? Frozen.EMPTY : configurable;
  }

  /** Listeners attached by this config (not those inherited from a parent run). */
  public List<RunListener> listeners() {
    return listeners == null ? List.of() : listeners;
  }

  /** The parent-run handle this config carries (LangChain's callbacks), or {@code null}. */
  public Callbacks callbacks() {
    return callbacks;
  }

  /** The executor for async work, or {@code null} for Tracewire's default. */
  public Executor executor() {
    return executor;
  }

  public RunIdGenerator runIdGenerator() {
    return runIdGenerator == null ? RunIdGenerator.uuidV7() : runIdGenerator;
  }

  /** A copy whose consuming run gets this id. */
  public RunConfig withRunId(UUID id) {
    return toBuilder().runId(id).build();
  }

  /** A copy whose consuming run gets this name. */
  public RunConfig withRunName(String name) {
    return toBuilder().runName(name).build();
  }

  /**
   * LangChain's {@code merge_configs(earlier, later)}: tags are a sorted set union, metadata and
   * configurable merge with later keys winning, listeners concatenate, two callbacks handles merge
   * (the earlier one's parent wins), a later recursion limit wins only when it is not the
   * default, and the other fields take the later value when set.
   */
  public static RunConfig merge(RunConfig earlier, RunConfig later) {
    if (later == null || later == EMPTY) {
      return earlier == null ? EMPTY : earlier;
    }
    if (earlier == null || earlier == EMPTY) {
      return later;
    }
    Builder b = earlier.toBuilder();
    if (later.tags != null) {
      java.util.TreeSet<String> set = new java.util.TreeSet<>(earlier.tags());
      set.addAll(later.tags);
      b.tags = new ArrayList<>(set);
    }
    if (later.metadata != null) {
      b.metadata = mergeMaps(earlier.metadata, later.metadata);
    }
    if (later.configurable != null) {
      b.configurable = mergeMaps(earlier.configurable, later.configurable);
    }
    if (later.listeners != null) {
      List<RunListener> l = new ArrayList<>(earlier.listeners());
      l.addAll(later.listeners);
      b.listeners = l;
    }
    if (later.callbacks != null) {
      b.callbacks = earlier.callbacks == null ? later.callbacks : TracerEngine.INSTANCE.mergeHandles(earlier.callbacks, later.callbacks);
    }
    if (later.recursionLimit != null && later.recursionLimit != DEFAULT_RECURSION_LIMIT) {
      b.recursionLimit = later.recursionLimit;
    }
    if (later.kwargs != null) {
      b.kwargs = mergeMaps(earlier.kwargs, later.kwargs);
    }
    if (later.runName != null) {
      b.runName = later.runName;
    }
    if (later.runId != null) {
      b.runId = later.runId;
    }
    if (later.maxConcurrency != null) {
      b.maxConcurrency = later.maxConcurrency;
    }
    if (later.executor != null) {
      b.executor = later.executor;
    }
    if (later.runIdGenerator != null) {
      b.runIdGenerator = later.runIdGenerator;
    }
    if (later.rootTap != null) {
      b.rootTap = later.rootTap;
    }
    return b.build();
  }

  private static Map<String, Object> mergeMaps(Map<String, Object> a, Map<String, Object> b) {
    if (a == null || a.isEmpty()) {
      return b;
    }
    LinkedHashMap<String, Object> m = new LinkedHashMap<>(a);
    m.putAll(b);
    return m;
  }

  /** Shallow replacement ({@code {**a, **b}}): every field {@code b} sets replaces {@code a}'s. */
  private static RunConfig overlay(RunConfig a, RunConfig explicit) {
    Builder b = a.toBuilder();
    if (explicit.tags != null) b.tags = explicit.tags;
    if (explicit.metadata != null) b.metadata = explicit.metadata;
    if (explicit.runName != null) b.runName = explicit.runName;
    if (explicit.runId != null) b.runId = explicit.runId;
    if (explicit.maxConcurrency != null) b.maxConcurrency = explicit.maxConcurrency;
    if (explicit.recursionLimit != null) b.recursionLimit = explicit.recursionLimit;
    if (explicit.configurable != null) b.configurable = explicit.configurable;
    if (explicit.listeners != null) b.listeners = explicit.listeners;
    if (explicit.callbacks != null) b.callbacks = explicit.callbacks;
    if (explicit.executor != null) b.executor = explicit.executor;
    if (explicit.runIdGenerator != null) b.runIdGenerator = explicit.runIdGenerator;
    if (explicit.kwargs != null) b.kwargs = mergeMaps(a.kwargs, explicit.kwargs);
    if (explicit.rootTap != null) b.rootTap = explicit.rootTap;
    return b.build();
  }

  /**
   * Whether {@code explicit} sets every field that {@code ctx} sets (bound arguments aside,
   * which {@link #ensure} drops from the context): then overlaying it on the context gives its
   * own fields, and {@link #ensure} can return it as it is instead of building two configs. That
   * is the case of the config a run hands to a child step while its own child config is current
   * (a sequence's steps), whose fields come from the same parent.
   */
  private static boolean setsAllOf(RunConfig explicit, RunConfig ctx) {
    return (ctx.tags == null || explicit.tags != null)
        && (ctx.metadata == null || explicit.metadata != null)
        && (ctx.runName == null || explicit.runName != null)
        && (ctx.runId == null || explicit.runId != null)
        && (ctx.maxConcurrency == null || explicit.maxConcurrency != null)
        && (ctx.recursionLimit == null || explicit.recursionLimit != null)
        && (ctx.configurable == null || explicit.configurable != null)
        && (ctx.listeners == null || explicit.listeners != null)
        && (ctx.callbacks == null || explicit.callbacks != null)
        && (ctx.executor == null || explicit.executor != null)
        && (ctx.runIdGenerator == null || explicit.runIdGenerator != null)
        && (ctx.rootTap == null || explicit.rootTap != null);
  }

  /**
   * LangChain's {@code ensure_config}: the context config first, then every field this config
   * sets replaces it; {@code configurable.model} and {@code configurable.checkpoint_ns} strings
   * are copied into metadata when absent there. {@code ctx} is the thread's context config, or
   * {@code null}.
   */
  private static RunConfig ensure(RunConfig ctx, RunConfig explicit) {
    RunConfig c;
    if (ctx == null) {
      c = explicit == null ? EMPTY : explicit;
    } else if (explicit == null || explicit == EMPTY) {
      c = ctx;
    } else if (setsAllOf(explicit, ctx)) {
      c = explicit; // what the overlay below would build, field by field: a child config of the context's run
    } else {
      c = overlay(ctx.toBuilder().kwargs(null).build(), explicit);
    }
    if (c.configurable != null && !c.configurable.isEmpty()) {
      Map<String, Object> md = null;
      for (String k : new String[] {"model", "checkpoint_ns"}) {
        Object v = c.configurable.get(k);
        if (v instanceof String && !c.metadata().containsKey(k)) {
          if (md == null) {
            md = new LinkedHashMap<>(c.metadata());
          }
          md.put(k, v);
        }
      }
      if (md != null) {
        c = c.toBuilder().metadata(md).build();
      }
    }
    return c;
  }

  /** The config a run hands to its children: LangChain's {@code patch_config(callbacks=child)}. */
  private RunConfig child(Callbacks callbacks) {
    return new RunConfig(this, callbacks);
  }

  /** Splits a config for each item of a batch: a run id applies to the first item only. */
  private static List<RunConfig> forBatch(RunConfig c, int n) {
    List<RunConfig> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (i > 0 && c.runId != null) {
        if (i == 1) {
          LOG.log(Level.WARNING, "a batch config with a run id applies it to the first input only");
        }
        out.add(c.toBuilder().runId(null).build());
      } else {
        out.add(c);
      }
    }
    return out;
  }

  /** The engine's view of the non-API parts (see {@link ConfigAccess}). */
  private static final class Access extends ConfigAccess {
    @Override
    public RunConfig ensure(RunConfig current, RunConfig explicit) {
      return RunConfig.ensure(current, explicit);
    }

    @Override
    public RunConfig child(RunConfig config, Callbacks callbacks) {
      return config.child(callbacks);
    }

    @Override
    public RunConfig overlay(RunConfig base, RunConfig explicit) {
      return RunConfig.overlay(base, explicit);
    }

    @Override
    public List<RunConfig> forBatch(RunConfig config, int n) {
      return RunConfig.forBatch(config, n);
    }

    @Override
    public Map<String, Object> kwargs(RunConfig config) {
      return config.kwargs;
    }

    @Override
    public RunConfig withKwargs(Map<String, Object> kwargs) {
      return new Builder().kwargs(kwargs).build();
    }

    @Override
    public Object rootTap(RunConfig config) {
      return config.rootTap;
    }

    @Override
    public RunConfig asStreamRoot(RunConfig config, UUID rootId, RunListener collector, Object tap) {
      return config.toBuilder().runId(rootId).listener(collector).rootTap(tap).build();
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("RunConfig{");
    if (tags != null) sb.append("tags=").append(tags).append(", ");
    if (metadata != null) sb.append("metadata=").append(metadata).append(", ");
    if (runName != null) sb.append("runName=").append(runName).append(", ");
    if (runId != null) sb.append("runId=").append(runId).append(", ");
    if (maxConcurrency != null) sb.append("maxConcurrency=").append(maxConcurrency).append(", ");
    if (recursionLimit != null) sb.append("recursionLimit=").append(recursionLimit).append(", ");
    if (configurable != null) sb.append("configurable=").append(configurable.keySet()).append(", ");
    if (callbacks != null) sb.append("parent=").append(callbacks.parentRunId()).append(", ");
    if (sb.charAt(sb.length() - 1) == ' ') sb.setLength(sb.length() - 2);
    return sb.append('}').toString();
  }

  /** Builder. Not thread-safe. Setters validate at once. */
  public static final class Builder {
    private List<String> tags;
    private Map<String, Object> metadata;
    private String runName;
    private UUID runId;
    private Integer maxConcurrency;
    private Integer recursionLimit;
    private Map<String, Object> configurable;
    private List<RunListener> listeners;
    private Callbacks callbacks;
    private Executor executor;
    private RunIdGenerator runIdGenerator;
    private Map<String, Object> kwargs;
    private Object rootTap;

    private Builder() {}

    public Builder tags(String... tags) {
      return tags(List.of(tags));
    }

    public Builder tags(List<String> tags) {
      Objects.requireNonNull(tags, "tags");
      this.tags = new ArrayList<>(new LinkedHashSet<>(tags));
      return this;
    }

    public Builder metadata(Map<String, ?> metadata) {
      Objects.requireNonNull(metadata, "metadata");
      this.metadata = new LinkedHashMap<>(metadata);
      return this;
    }

    public Builder metadata(String key, Object value) {
      Objects.requireNonNull(key, "key");
      Map<String, Object> m = metadata == null ? new LinkedHashMap<>() : new LinkedHashMap<>(metadata);
      m.put(key, value);
      this.metadata = m;
      return this;
    }

    public Builder runName(String runName) {
      this.runName = runName;
      return this;
    }

    public Builder runId(UUID runId) {
      this.runId = runId;
      return this;
    }

    public Builder maxConcurrency(int maxConcurrency) {
      if (maxConcurrency < 1) {
        throw new IllegalArgumentException("maxConcurrency must be >= 1, got " + maxConcurrency);
      }
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    public Builder recursionLimit(int recursionLimit) {
      this.recursionLimit = recursionLimit;
      return this;
    }

    public Builder configurable(Map<String, ?> configurable) {
      Objects.requireNonNull(configurable, "configurable");
      this.configurable = new LinkedHashMap<>(configurable);
      return this;
    }

    public Builder configurable(String key, Object value) {
      Objects.requireNonNull(key, "key");
      Map<String, Object> m = configurable == null ? new LinkedHashMap<>() : new LinkedHashMap<>(configurable);
      m.put(key, value);
      this.configurable = m;
      return this;
    }

    /** Attaches a listener to the run and all its descendants. */
    public Builder listener(RunListener listener) {
      Objects.requireNonNull(listener, "listener");
      List<RunListener> l = listeners == null ? new ArrayList<>() : new ArrayList<>(listeners);
      l.add(listener);
      this.listeners = l;
      return this;
    }

    /**
     * Makes the consuming run a child of the run behind this handle, as LangChain's
     * {@code callbacks=} argument (for example a tool binding a model to its own run).
     */
    public Builder callbacks(Callbacks callbacks) {
      if (callbacks != null && !TracerEngine.INSTANCE.isHandle(callbacks)) {
        throw new IllegalArgumentException("callbacks: pass a handle from RunConfig.callbacks(), not an own implementation ("
            + callbacks.getClass().getName() + ")");
      }
      this.callbacks = callbacks;
      return this;
    }

    /**
     * Makes the consuming run a child of a run in another process (replacing any
     * {@link #callbacks} handle): its {@code parent_ids} become the remote run's
     * {@link RemoteParent#path() path}, and its metadata gets {@link RemoteParent#METADATA_KEY}.
     * Its descendants nest under it as usual. The run's listeners are the global ones installed
     * when this is called, plus the config's own.
     */
    public Builder remoteParent(RemoteParent parent) {
      Objects.requireNonNull(parent, "parent");
      this.callbacks = TracerEngine.INSTANCE.remoteHandle(parent);
      return this;
    }

    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public Builder runIdGenerator(RunIdGenerator generator) {
      this.runIdGenerator = Objects.requireNonNull(generator, "generator");
      return this;
    }

    Builder kwargs(Map<String, Object> kwargs) {
      this.kwargs = kwargs;
      return this;
    }

    Builder rootTap(Object tap) {
      this.rootTap = tap;
      return this;
    }

    public RunConfig build() {
      return new RunConfig(this);
    }
  }
}
