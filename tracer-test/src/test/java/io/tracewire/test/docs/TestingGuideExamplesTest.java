package io.tracewire.test.docs;

import static io.tracewire.test.SpanTreeAssert.assertThatSpans;
import static io.tracewire.test.TracewireAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.event.EventFilter;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.test.ChatScript;
import io.tracewire.test.EventPattern;
import io.tracewire.test.EventRecorder;
import io.tracewire.test.LifecycleValidator;
import io.tracewire.test.ScriptedChatModel;
import io.tracewire.test.TracewireExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The examples of docs/testing.md. Each region between {@code tag::} and {@code end::} markers is
 * quoted verbatim by the guide ({@link TestingGuideSnippetsTest} checks it). It lives in its own
 * package so it can use only the kit's public API, as a user's test does.
 */
// tag::extension[]
@ExtendWith(TracewireExtension.class)
class TestingGuideExamplesTest {
  // end::extension[]

  // tag::chain[]
  static Runnable<Map<String, Object>, String> topicChain(ScriptedChatModel model) {
    return ChatPromptTemplate.of(ChatPromptTemplate.human("Tell me about {topic}"))
        .pipe(model)
        .pipe(new StrOutputParser());
  }
  // end::chain[]

  // tag::first-test[]
  @Test
  void topicChainAnswersAndTracesWell(EventRecorder recorder) {
    ScriptedChatModel model = ScriptedChatModel.builder().name("model")
        .respond(ChatScript.builder().text("Cats").text(" purr.").usage(12, 3).build())
        .build();

    String answer = topicChain(model).invoke(Map.of("topic", "cats"),
        recorder.configBuilder().tags("docs").build());

    assertThat(answer).isEqualTo("Cats purr.");
    assertThat(recorder)
        .isWellFormed()
        .hasNoErrors()
        .hasUsageTotals(12, 3, 15)
        .containsSubsequence(
            "on_chain_start:RunnableSequence",
            "on_chat_model_start:model",
            "on_chat_model_end:model",
            "on_chain_end:RunnableSequence");
    assertThat(recorder).hasRun("model", "chat_model")
        .isChildOf("RunnableSequence")
        .hasTags("docs")
        .hasMetadata("ls_provider", "scripted");
  }
  // end::first-test[]

  // tag::streaming[]
  @Test
  void theModelStreamsItsTokens() {
    ScriptedChatModel model = ScriptedChatModel.builder().name("model")
        .respond(ChatScript.of("Cats", " purr", "."))
        .build();

    EventRecorder events = EventRecorder.create()
        .recordAll(topicChain(model).streamEvents(Map.of("topic", "cats"), RunConfig.empty(), EventFilter.ALL));

    assertThat(events).hasRun("model")
        .hasStreamedChunkCount(4) // three scripted chunks and the closing empty one
        .hasStreamedText("Cats purr.");
    assertThat(events).containsSubsequence(
        EventPattern.of("on_chat_model_stream").withChunkText("Cats"),
        EventPattern.of("on_parser_stream").withChunkText("Cats"),
        EventPattern.of("on_chain_stream", "RunnableSequence").withChunkText(" purr"));
  }
  // end::streaming[]

  // tag::failure[]
  @Test
  void aStreamThatBreaksMidwayIsRecordedAsAnError(EventRecorder recorder) {
    ScriptedChatModel model = ScriptedChatModel.builder().name("model")
        .respond(ChatScript.builder()
            .text("Cats")
            .pause(Duration.ofMillis(5))
            .failWith(new IllegalStateException("connection reset"))
            .build())
        .build();

    try (CloseableIterator<String> answer = topicChain(model).stream(Map.of("topic", "cats"), recorder.config())) {
      assertThat(answer.next()).isEqualTo("Cats");
      assertThatThrownBy(answer::next).hasMessage("connection reset");
    }

    assertThat(recorder).isWellFormed()
        .hasRun("model").hasFailedWith(IllegalStateException.class).hasStreamedText("Cats");
    assertThat(recorder).hasRun("RunnableSequence").hasFailedWith(IllegalStateException.class);
  }
  // end::failure[]

  // tag::golden[]
  @Test
  void theTopicChainKeepsItsEventSequence(EventRecorder recorder) {
    ScriptedChatModel model = ScriptedChatModel.builder().name("model")
        .respond(ChatScript.builder()
            .text("Let me check.")
            .toolCallChunk("search", "{\"q\": ", "call_1", 0)
            .toolCallChunk(null, "\"cats\"}", null, 0)
            .build())
        .build();

    topicChain(model).invoke(Map.of("topic", "cats"), recorder.config());

    assertThat(recorder).matchesGolden("src/test/resources/golden/docs-topic-chain.jsonl");
  }
  // end::golden[]

  // tag::validator[]
  @Test
  void everyRunIsClosedExactlyOnce() {
    LifecycleValidator validator = LifecycleValidator.create();
    ScriptedChatModel model = ScriptedChatModel.replying("Cats purr.", "Dogs bark.");
    RunConfig config = RunConfig.builder().listener(validator).build();

    topicChain(model).batch(java.util.List.of(Map.of("topic", "cats"), Map.of("topic", "dogs")), config);

    validator.assertComplete();
  }
  // end::validator[]

  // tag::spans[]
  @Test
  void spansFormTheExpectedTree() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
      Tracer tracer = provider.get("docs");
      // In a real test, your instrumentation makes these spans while the chain runs.
      Span chain = tracer.spanBuilder("RunnableSequence").startSpan();
      Context inChain = Context.root().with(chain);
      tracer.spanBuilder("ChatPromptTemplate").setParent(inChain).startSpan().end();
      tracer.spanBuilder("chat model").setParent(inChain).startSpan().end();
      chain.end();

      assertThatSpans(exporter)
          .hasSingleRoot("RunnableSequence")
          .hasSpanWithParent("chat model", "RunnableSequence")
          .hasTree("""
              RunnableSequence
                ChatPromptTemplate
                chat model
              """);
    }
  }
  // end::spans[]

  @Test
  void recordedEventsAreRecordsForCustomChecks(EventRecorder recorder) {
    topicChain(ScriptedChatModel.replying("ok")).invoke(Map.of("topic", "x"), recorder.config());
    assertThat(recorder.events()).extracting(StreamEvent::event).first().isEqualTo("on_chain_start");
  }
}
