package io.tracewire.core.event.spi;

import io.tracewire.core.Callbacks;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunListener;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The engine's access to the parts of {@link RunConfig} that are not API (bound call arguments,
 * the stream root marker, LangChain's config-derivation rules): the seam's way back from the
 * engine into the API (see {@link TracerEngine}). {@code RunConfig} installs the only
 * implementation when its class initialises, so the public class keeps no public hooks. The
 * engine's types do not appear here: the parent handle is the API's {@link Callbacks} and the
 * stream-root marker an opaque object, both created by the engine. Not API, may change in any
 * release. Stateless and thread-safe.
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

  /**
   * LangChain's {@code ensure_config}: the context config {@code current} (the thread's, or
   * {@code null} outside any run) overlaid with {@code explicit} ({@code null} allowed).
   */
  public abstract RunConfig ensure(RunConfig current, RunConfig explicit);

  /** The config a run hands to its children ({@code patch_config(callbacks=child)}): {@code config} with {@code callbacks}. */
  public abstract RunConfig child(RunConfig config, Callbacks callbacks);

  /** Shallow replacement: every field {@code explicit} sets replaces {@code base}'s. */
  public abstract RunConfig overlay(RunConfig base, RunConfig explicit);

  /** Splits a config for each item of a batch: a run id applies to the first item only. */
  public abstract List<RunConfig> forBatch(RunConfig config, int n);

  /** Call arguments bound with {@code bind(...)}, or {@code null}. */
  public abstract Map<String, Object> kwargs(RunConfig config);

  /** A config that carries only these bound call arguments. */
  public abstract RunConfig withKwargs(Map<String, Object> kwargs);

  /** The stream root marker (the engine's object), or {@code null}. */
  public abstract Object rootTap(RunConfig config);

  /** {@code config} as the root of a {@code streamEvents} call: its run id, a collector and the marker. */
  public abstract RunConfig asStreamRoot(RunConfig config, UUID rootId, RunListener collector, Object tap);
}
