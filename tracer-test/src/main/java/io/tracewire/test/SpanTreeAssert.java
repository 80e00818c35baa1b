package io.tracewire.test;

import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions over a span tree captured with opentelemetry-sdk-testing's
 * {@link InMemorySpanExporter} (or any list of {@link SpanData}): span names and parent links,
 * rendered as indented text in failure messages. Generic over spans: it knows nothing of how
 * Tracewire maps runs to spans, so it tests any instrumentation.
 *
 * <p>The tree links each span to the span whose id is its parent span id in the same trace;
 * siblings are ordered by start time. A span whose parent is not among the spans is a root.
 * Not thread-safe; use after the spans were exported (end every span, or flush the processor).
 * Needs {@code io.opentelemetry:opentelemetry-sdk-testing} on the test class path (an optional
 * dependency of the kit).
 */
public final class SpanTreeAssert extends AbstractAssert<SpanTreeAssert, List<SpanData>> {
  private final Map<String, SpanData> byId = new HashMap<>();
  private final Map<SpanData, List<SpanData>> children = new LinkedHashMap<>();
  private final List<SpanData> roots = new ArrayList<>();

  private SpanTreeAssert(List<SpanData> spans) {
    super(List.copyOf(spans), SpanTreeAssert.class);
    List<SpanData> sorted = new ArrayList<>(actual);
    sorted.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
    for (SpanData s : sorted) {
      byId.put(key(s.getTraceId(), s.getSpanId()), s);
      children.put(s, new ArrayList<>());
    }
    for (SpanData s : sorted) {
      SpanData p = s.getParentSpanContext().isValid()
          ? byId.get(key(s.getTraceId(), s.getParentSpanId())) : null;
      if (p == null) {
        roots.add(s);
      } else {
        children.get(p).add(s);
      }
    }
  }

  private static String key(String traceId, String spanId) {
    return traceId + "/" + spanId;
  }

  /** Assertions over the spans the exporter holds now. */
  public static SpanTreeAssert assertThatSpans(InMemorySpanExporter exporter) {
    return new SpanTreeAssert(Objects.requireNonNull(exporter, "exporter").getFinishedSpanItems());
  }

  /** Assertions over these spans. */
  public static SpanTreeAssert assertThatSpans(List<SpanData> spans) {
    return new SpanTreeAssert(Objects.requireNonNull(spans, "spans"));
  }

  private void fail(String message) {
    failWithMessage("%s", message + "\nSpan tree:\n" + render(false));
  }

  /** Exactly {@code count} spans. */
  public SpanTreeAssert hasSpanCount(int count) {
    if (actual.size() != count) {
      fail("Expected " + count + " spans, but there are " + actual.size() + ".");
    }
    return this;
  }

  /** A span named {@code name} exists. */
  public SpanTreeAssert hasSpan(String name) {
    span(name);
    return this;
  }

  /** The first span (by start time) named {@code name}; fails when there is none. */
  public SpanData span(String name) {
    Objects.requireNonNull(name, "name");
    for (SpanData s : children.keySet()) {
      if (s.getName().equals(name)) {
        return s;
      }
    }
    fail("Expected a span named '" + name + "', but there is none.");
    throw new IllegalStateException("unreachable");
  }

  /** The first span named {@code name} satisfies {@code requirements} (for example OpenTelemetry's own span assertions). */
  public SpanTreeAssert hasSpanSatisfying(String name, Consumer<SpanData> requirements) {
    Objects.requireNonNull(requirements, "requirements");
    requirements.accept(span(name));
    return this;
  }

  /** Some span named {@code child} has a span named {@code parent} as its parent. */
  public SpanTreeAssert hasSpanWithParent(String child, String parent) {
    Objects.requireNonNull(child, "child");
    Objects.requireNonNull(parent, "parent");
    List<String> parents = new ArrayList<>();
    for (SpanData s : children.keySet()) {
      if (s.getName().equals(child)) {
        SpanData p = parentOf(s);
        if (p != null && p.getName().equals(parent)) {
          return this;
        }
        parents.add(p == null ? "(root)" : p.getName());
      }
    }
    fail("Expected a span '" + child + "' whose parent is '" + parent + "', but "
        + (parents.isEmpty() ? "there is no span '" + child + "'." : "the parents of '" + child + "' spans are " + parents + "."));
    return this;
  }

  /** Exactly one root span, named {@code name}, and every span belongs to its trace. */
  public SpanTreeAssert hasSingleRoot(String name) {
    Objects.requireNonNull(name, "name");
    if (roots.size() != 1 || !roots.get(0).getName().equals(name)) {
      fail("Expected a single root span '" + name + "', but the roots are " + roots.stream().map(SpanData::getName).toList() + ".");
    }
    return this;
  }

  /** No span has status {@code ERROR}. */
  public SpanTreeAssert hasNoErrors() {
    List<String> failed = actual.stream().filter(s -> s.getStatus().getStatusCode() == StatusCode.ERROR)
        .map(SpanData::getName).toList();
    if (!failed.isEmpty()) {
      fail("Expected no span with status ERROR, but " + failed + " have it.");
    }
    return this;
  }

  /**
   * The tree has exactly this shape: one span name a line, children indented two spaces under
   * their parent (leading indentation common to all lines is ignored, so a text block works).
   * Sibling order is not compared (concurrent children start in any order).
   */
  public SpanTreeAssert hasTree(String expected) {
    Objects.requireNonNull(expected, "expected");
    String want = canonical(parse(expected));
    String got = canonical(actualNodes());
    if (!want.equals(got)) {
      failWithMessage("%s", "Expected the span tree\n" + expected.stripIndent().stripTrailing().indent(2).stripTrailing()
          + "\nbut it is\n" + render(true) + "\nwith details:\n" + render(false));
    }
    return this;
  }

  private SpanData parentOf(SpanData s) {
    return s.getParentSpanContext().isValid() ? byId.get(key(s.getTraceId(), s.getParentSpanId())) : null;
  }

  /** A name tree, for canonical comparison. */
  private record Node(String name, List<Node> children) {}

  private List<Node> actualNodes() {
    List<Node> out = new ArrayList<>();
    for (SpanData r : roots) {
      out.add(node(r));
    }
    return out;
  }

  private Node node(SpanData s) {
    List<Node> cs = new ArrayList<>();
    for (SpanData c : children.get(s)) {
      cs.add(node(c));
    }
    return new Node(s.getName(), cs);
  }

  private static List<Node> parse(String text) {
    List<Node> roots = new ArrayList<>();
    List<Node> stack = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    for (String line : text.stripIndent().lines().toList()) {
      if (line.isBlank()) {
        continue;
      }
      int indent = line.length() - line.stripLeading().length();
      Node n = new Node(line.strip(), new ArrayList<>());
      while (!depths.isEmpty() && depths.get(depths.size() - 1) >= indent) {
        depths.remove(depths.size() - 1);
        stack.remove(stack.size() - 1);
      }
      if (stack.isEmpty()) {
        roots.add(n);
      } else {
        stack.get(stack.size() - 1).children().add(n);
      }
      stack.add(n);
      depths.add(indent);
    }
    return roots;
  }

  private static String canonical(List<Node> nodes) {
    List<String> parts = new ArrayList<>();
    for (Node n : nodes) {
      parts.add(n.name() + "(" + canonical(n.children()) + ")");
    }
    parts.sort(Comparator.naturalOrder());
    return String.join(",", parts);
  }

  private String render(boolean namesOnly) {
    StringBuilder sb = new StringBuilder();
    for (SpanData r : roots) {
      render(r, 1, namesOnly, sb);
    }
    return sb.length() == 0 ? "  (no spans)" : sb.toString().stripTrailing();
  }

  private void render(SpanData s, int depth, boolean namesOnly, StringBuilder sb) {
    sb.append("  ".repeat(depth)).append(s.getName());
    if (!namesOnly) {
      sb.append(" [").append(s.getKind());
      if (s.getStatus().getStatusCode() != StatusCode.UNSET) {
        sb.append(", ").append(s.getStatus().getStatusCode());
      }
      sb.append(", ").append(s.getAttributes().size()).append(" attributes]");
      if (s.getParentSpanContext().isValid() && parentOf(s) == null) {
        sb.append(" [parent ").append(s.getParentSpanId()).append(" not exported]");
      }
    }
    sb.append('\n');
    for (SpanData c : children.get(s)) {
      render(c, depth + 1, namesOnly, sb);
    }
  }
}
