package io.tracewire.test;

import static io.tracewire.test.SpanTreeAssert.assertThatSpans;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpanTreeAssertTest {
  private InMemorySpanExporter exporter;
  private SdkTracerProvider provider;
  private Tracer tracer;

  @BeforeEach
  void sdk() {
    exporter = InMemorySpanExporter.create();
    provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    tracer = provider.get("test");
  }

  @AfterEach
  void close() {
    provider.close();
  }

  private Span start(String name, Span parent) {
    var b = tracer.spanBuilder(name);
    if (parent == null) {
      b.setNoParent();
    } else {
      b.setParent(Context.root().with(parent));
    }
    return b.startSpan();
  }

  /** chain -> (prompt, model -> tool). */
  private void emitChain() {
    Span chain = start("chain", null);
    Span prompt = start("prompt", chain);
    prompt.end();
    Span model = start("model", chain);
    model.setAttribute("gen_ai.request.model", "m1");
    Span tool = start("tool", model);
    tool.end();
    model.end();
    chain.end();
  }

  @Test
  void aMatchingTreePassesWhateverTheSiblingOrder() {
    emitChain();
    assertThatSpans(exporter)
        .hasSpanCount(4)
        .hasSingleRoot("chain")
        .hasSpanWithParent("model", "chain")
        .hasSpanWithParent("tool", "model")
        .hasNoErrors()
        .hasSpanSatisfying("model", s -> assertThat(s.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("m1"))
        .hasTree("""
            chain
              model
                tool
              prompt
            """);
  }

  @Test
  void hasTreeFailsShowingExpectedAndActualTrees() {
    emitChain();
    assertThatThrownBy(() -> assertThatSpans(exporter).hasTree("""
            chain
              prompt
              model
              tool
            """))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected the span tree\n  chain\n    prompt\n    model\n    tool\nbut it is\n  chain\n    prompt\n    model\n      tool")
        .hasMessageContaining("      tool [INTERNAL, 0 attributes]");
  }

  @Test
  void hasSpanWithParentFailsNamingTheActualParents() {
    emitChain();
    assertThatThrownBy(() -> assertThatSpans(exporter).hasSpanWithParent("tool", "chain"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the parents of 'tool' spans are [model]")
        .hasMessageContaining("Span tree:\n  chain [INTERNAL, 0 attributes]\n    prompt")
        .hasMessageContaining("    model [INTERNAL, 1 attributes]");
    assertThatThrownBy(() -> assertThatSpans(exporter).hasSpanWithParent("retriever", "chain"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("there is no span 'retriever'");
  }

  @Test
  void rootCountSpanCountAndMissingSpanFail() {
    emitChain();
    start("stray", null).end();
    assertThatThrownBy(() -> assertThatSpans(exporter).hasSingleRoot("chain"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("but the roots are [chain, stray]");
    assertThatThrownBy(() -> assertThatSpans(exporter).hasSpanCount(4))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected 4 spans, but there are 5.");
    assertThatThrownBy(() -> assertThatSpans(exporter).hasSpan("nope"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected a span named 'nope'")
        .hasMessageContaining("  stray [INTERNAL, 0 attributes]");
  }

  @Test
  void hasNoErrorsFailsOnAnErrorStatus() {
    Span chain = start("chain", null);
    Span model = start("model", chain);
    model.setStatus(StatusCode.ERROR, "boom");
    model.end();
    chain.end();

    assertThatThrownBy(() -> assertThatSpans(exporter.getFinishedSpanItems()).hasNoErrors())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("but [model] have it")
        .hasMessageContaining("    model [INTERNAL, ERROR, 0 attributes]");
  }

  @Test
  void aSpanWhoseParentWasNotExportedIsShownAsARoot() {
    Span chain = start("chain", null);
    start("child", chain).end();

    assertThatThrownBy(() -> assertThatSpans(exporter).hasTree("chain\n  child"))
        .isInstanceOf(AssertionError.class)
        .hasMessageMatching("(?s).*  child \\[INTERNAL, 0 attributes\\] \\[parent [0-9a-f]{16} not exported\\].*");
    chain.end();
    assertThatSpans(exporter).hasTree("chain\n  child");
  }
}
