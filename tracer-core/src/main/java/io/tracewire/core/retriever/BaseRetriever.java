package io.tracewire.core.retriever;

import io.tracewire.core.internal.CurrentRun;
import io.tracewire.core.internal.Runs;
import io.tracewire.core.RunConfig;
import io.tracewire.core.RunContext;
import io.tracewire.core.event.RunType;
import io.tracewire.core.internal.Engine;
import io.tracewire.core.util.Frozen;
import io.tracewire.core.internal.RunNode;
import io.tracewire.core.runnable.Runnable;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A retriever: a query in (a string; other values are turned into their string form for
 * {@link #getRelevantDocuments} but kept as they are in the events), documents out (a
 * {@code retriever} run). Its events carry
 * {@code ls_retriever_name}, the class name without a leading or trailing {@code Retriever},
 * lower-cased, inherited by child runs. Retrievers never stream. Subclasses implement
 * {@link #getRelevantDocuments}; {@link #of} wraps a function.
 */
public abstract class BaseRetriever extends Runnable<Object, List<Document>> {
  private final List<String> tags;
  private final Map<String, Object> metadata;

  protected BaseRetriever() {
    this(null, List.of(), Map.of());
  }

  /** With an explicit name and the retriever's own (non-inherited) tags and metadata. */
  protected BaseRetriever(String name, List<String> tags, Map<String, Object> metadata) {
    super(name);
    this.tags = List.copyOf(tags);
    this.metadata = Frozen.map(metadata);
  }

  /** A retriever over a function, named {@code name}. */
  public static BaseRetriever of(String name, Function<String, List<Document>> fn) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(name, "name");
    return new BaseRetriever(name, List.of(), Map.of()) {
      @Override
      protected List<Document> getRelevantDocuments(String query, RunConfig childConfig) {
        return fn.apply(query);
      }
    };
  }

  /** Finds the documents; called with this run's child config as the current context. */
  protected abstract List<Document> getRelevantDocuments(String query, RunConfig childConfig);

  /** The {@code ls_retriever_name} value. */
  protected String lsRetrieverName() {
    String n = getClass().getSimpleName();
    if (n.isEmpty()) {
      n = name();
    }
    if (n.startsWith("Retriever")) {
      n = n.substring("Retriever".length());
    } else if (n.endsWith("Retriever")) {
      n = n.substring(0, n.length() - "Retriever".length());
    }
    return n.toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public final List<Document> invoke(Object input, RunConfig config) {
    RunConfig c = Runs.ensure(config);
    Object raw = input;
    RunNode.Spec spec = Runs.spec(RunType.RETRIEVER, name());
    spec.inheritableExtraMetadata = Map.of("ls_retriever_name", lsRetrieverName());
    spec.localTags = tags;
    spec.localMetadata = metadata;
    Map<String, Object> in = Frozen.of1("query", raw);
    RunNode node = RunNode.start(c, spec, Frozen.of1("input", in), in);
    RunConfig child = Runs.child(c, node, null);
    List<Document> docs;
    try {
      String query = raw instanceof String s ? s : String.valueOf(raw);
      docs = List.copyOf(CurrentRun.with(child, () -> getRelevantDocuments(query, child)));
    } catch (Throwable t) {
      node.error(t, Frozen.of2("error", t, "input", in));
      throw Engine.unchecked(t);
    }
    node.endWith(Frozen.of2("output", docs, "input", in));
    return docs;
  }
}
