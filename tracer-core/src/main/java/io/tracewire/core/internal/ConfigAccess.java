package io.tracewire.core.internal;

import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunListener;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The engine's access to the parts of {@link RunConfig} that are not API (bound call arguments,
 * the stream root marker, LangChain's config-derivation rules). {@code RunConfig} installs the
 * only implementation when its class initialises, so the public class keeps no public hooks.
 * Internal: not API, may change in any release. Stateless and thread-safe.
 */
public abstract class ConfigAccess {
  // Stateless implementation: a racy read sees either null (then RunConfig initialises) or the instance.
  private static ConfigAccess instance;

  /** Called once, by {@code RunConfig}'s static initialiser. */
  public static void install(ConfigAccess access) {
    if (instance != null) {
      throw new IllegalStateException("ConfigAccess is installed by RunConfig only");
    }
    instance = access;
  }

  /** The implementation; initialises {@code RunConfig} if nothing has touched it yet. */
  public static ConfigAccess get() {
    ConfigAccess a = instance;
    if (a == null) {
      RunConfig.empty();
      a = instance;
    }
    return a;
  }

  /** LangChain's {@code ensure_config}: the context config overlaid with {@code explicit} ({@code null} allowed). */
  public abstract RunConfig ensure(RunConfig explicit);

  /** The config a run hands to its children ({@code patch_config(callbacks=child)}); {@code tag} may be null. */
  public abstract RunConfig child(RunConfig config, RunNode node, String tag);

  /** Shallow replacement: every field {@code explicit} sets replaces {@code base}'s. */
  public abstract RunConfig overlay(RunConfig base, RunConfig explicit);

  /** Splits a config for each item of a batch: a run id applies to the first item only. */
  public abstract List<RunConfig> forBatch(RunConfig config, int n);

  /** Call arguments bound with {@code bind(...)}, or {@code null}. */
  public abstract Map<String, Object> kwargs(RunConfig config);

  /** A config that carries only these bound call arguments. */
  public abstract RunConfig withKwargs(Map<String, Object> kwargs);

  /** The parent handle, as the engine's type, or {@code null}. */
  public abstract ChildCallbacks callbacks(RunConfig config);

  /** The stream root marker, or {@code null}. */
  public abstract RootTap rootTap(RunConfig config);

  /** {@code config} as the root of a {@code streamEvents} call: its run id, a collector and the marker. */
  public abstract RunConfig asStreamRoot(RunConfig config, UUID rootId, RunListener collector, RootTap tap);
}
