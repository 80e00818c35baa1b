package io.tracewire.exporters.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.CustomEvent;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.exporters.jsonl.TraceLinks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event-to-record mapping, selection, sampling and counters, with the sink driven directly and an in-memory exporter. */
class OtlpLogMappingTest {
  private final InMemoryLogRecordExporter memory = InMemoryLogRecordExporter.create();
  private final List<StreamEvent> seen = new ArrayList<>();

  private RunConfig recorded() {
    return RunConfig.builder().listener(seen::add).build();
  }

  private static String attr(LogRecordData r, String key) {
    Object v = r.getAttributes().get(AttributeKey.stringKey(key));
    return v == null ? null : v.toString();
  }

  private LogRecordData record(String event, String name) {
    List<LogRecordData> l = memory.getFinishedLogRecordItems().stream()
        .filter(r -> event.equals(attr(r, "tracewire.event"))
            && (name.equals(attr(r, "tracewire.run.name")) || name.equals(attr(r, "tracewire.custom_event.name"))))
        .toList();
    assertThat(l).as(event + " " + name).hasSize(1);
    return l.get(0);
  }

  @Test
  void contentCaptureRecordsMessagesArgumentsResultsAndPayloadsRedacted() throws Exception {
    OtlpLogSink sink = OtlpLogSink.builder().exporter(memory).captureContent(true)
        .redactor((key, value) -> value.replace("secret", "[REDACTED]")).build();
    OtlpLogSinkTest.chain().invoke(Map.of("question", "my secret question"), recorded());
    sink.export(seen);

    String input = "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"You are a cat\"}]},"
        + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"my [REDACTED] question\"}]}]";
    assertThat(attr(record("on_chat_model_start", "ChatOpenAI"), "gen_ai.input.messages")).isEqualTo(input);
    LogRecordData details = record("on_chat_model_end", "ChatOpenAI");
    assertThat(details.getEventName()).isEqualTo("gen_ai.client.inference.operation.details");
    assertThat(attr(details, "gen_ai.input.messages")).isEqualTo(input);
    assertThat(attr(details, "gen_ai.output.messages"))
        .isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"hi there\"}],\"finish_reason\":\"stop\"}]");
    assertThat(attr(record("on_tool_start", "get_weather"), "gen_ai.tool.call.arguments")).isEqualTo("{\"city\":\"Oslo\"}");
    LogRecordData toolEnd = record("on_tool_end", "get_weather");
    assertThat(attr(toolEnd, "gen_ai.tool.call.arguments")).isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(attr(toolEnd, "gen_ai.tool.call.result")).isEqualTo("sunny in Oslo");
    assertThat(attr(record("on_chain_start", "RunnableSequence"), "tracewire.run.input"))
        .isEqualTo("{\"question\":\"my [REDACTED] question\"}");
    assertThat(attr(record("on_chain_end", "RunnableSequence"), "tracewire.run.output")).isEqualTo("hi there / sunny in Oslo");
    assertThat(attr(record("on_parser_end", "StrOutputParser"), "tracewire.run.output")).isEqualTo("hi there");
    String payload = attr(record("on_custom_event", "progress"), "tracewire.custom_event.data");
    assertThat(payload).contains("\"step\":1").contains("\"note\":\"[REDACTED]-payload\"");
    assertThat(memory.getFinishedLogRecordItems().toString()).doesNotContain("secret");
    assertThat(sink.stats()).isEqualTo(new OtlpLogStats(13, 13, 13, 0, 0, 1, 0, 0));
  }

  @Test
  void chunksAreSampledByTheFidelityAndTheLastOneIsSentBeforeTheRunsEnd() throws Exception {
    try (var it = new ChatOpenAI(true, () -> { }, "a", "b", "c", "d").stream(List.of(), recorded())) {
      it.forEachRemaining(x -> { });
    }
    assertThat(seen.stream().filter(e -> e.event().equals("on_chat_model_stream"))).hasSize(5);

    OtlpLogSink first = OtlpLogSink.builder().exporter(memory).events(java.util.EnumSet.allOf(LogEventKind.class))
        .chunkFidelity(ChunkFidelity.FIRST_AND_LAST).captureContent(true).build();
    first.export(seen);
    List<LogRecordData> records = memory.getFinishedLogRecordItems();
    assertThat(records).extracting(LogRecordData::getEventName).containsExactly("tracewire.on_chat_model_start",
        "tracewire.on_chat_model_stream", "tracewire.on_chat_model_stream", "gen_ai.client.inference.operation.details");
    assertThat(records.get(1).getAttributes().get(AttributeKey.longKey("tracewire.chunk.index"))).isEqualTo(0L);
    assertThat(attr(records.get(1), "tracewire.chunk.content")).isEqualTo("a");
    assertThat(records.get(1).getSeverity()).isEqualTo(Severity.DEBUG);
    assertThat(records.get(2).getAttributes().get(AttributeKey.longKey("tracewire.chunk.index"))).isEqualTo(4L);
    assertThat(records.get(2).getTimestampEpochNanos()).isEqualTo(seen.get(5).timestampNanos());
    assertThat(records.get(3).getAttributes().get(AttributeKey.longKey("tracewire.stream.chunks"))).isEqualTo(5L);
    assertThat(records.get(3).getAttributes().get(AttributeKey.booleanKey("gen_ai.request.stream"))).isTrue();
    assertThat(first.stats()).isEqualTo(new OtlpLogStats(7, 4, 4, 0, 3, 1, 0, 0));

    memory.reset();
    OtlpLogSink nth = OtlpLogSink.builder().exporter(memory).events(LogEventKind.STREAM)
        .chunkFidelity(ChunkFidelity.everyNth(2)).build();
    nth.export(seen);
    assertThat(memory.getFinishedLogRecordItems()).extracting(r -> r.getAttributes().get(AttributeKey.longKey("tracewire.chunk.index")))
        .containsExactly(0L, 2L, 4L);
    assertThat(memory.getFinishedLogRecordItems()).allSatisfy(r -> assertThat(attr(r, "tracewire.chunk.content")).isNull());
    assertThat(nth.stats()).isEqualTo(new OtlpLogStats(7, 3, 3, 0, 4, 1, 0, 0));

    memory.reset();
    OtlpLogSink none = OtlpLogSink.builder().exporter(memory).events(LogEventKind.STREAM).chunkFidelity(ChunkFidelity.NONE).build();
    none.export(seen);
    assertThat(memory.getFinishedLogRecordItems()).isEmpty();
    assertThat(none.stats()).isEqualTo(new OtlpLogStats(7, 0, 0, 0, 7, 0, 0, 0));
  }

  @Test
  void errorsAreErrorRecordsAndTheirMessageIsContent() throws Exception {
    ChatOpenAI failing = new ChatOpenAI(false, () -> {
      throw new IllegalStateException("boom secret");
    });
    assertThatThrownBy(() -> failing.invoke("hi", recorded())).isInstanceOf(IllegalStateException.class);
    RunnableLambda<String, String> step = RunnableLambda.of("step", (String s) -> {
      throw new IllegalArgumentException("bad " + s);
    });
    assertThatThrownBy(() -> step.invoke("input", recorded())).isInstanceOf(IllegalArgumentException.class);
    assertThat(seen).extracting(StreamEvent::event)
        .containsExactly("on_chat_model_start", "on_chat_model_error", "on_chain_start", "on_chain_error");

    OtlpLogSink plain = OtlpLogSink.builder().exporter(memory).build();
    plain.export(seen);
    LogRecordData model = record("on_chat_model_error", "ChatOpenAI");
    assertThat(model.getEventName()).isEqualTo("gen_ai.client.inference.operation.details");
    assertThat(model.getSeverity()).isEqualTo(Severity.ERROR);
    assertThat(model.getSeverityText()).isEqualTo("ERROR");
    assertThat(attr(model, "error.type")).isEqualTo("java.lang.IllegalStateException");
    assertThat(attr(model, "exception.type")).isEqualTo("java.lang.IllegalStateException");
    assertThat(attr(model, "tracewire.run.outcome")).isEqualTo("error");
    assertThat(attr(model, "gen_ai.provider.name")).isEqualTo("openai");
    assertThat(attr(model, "exception.message")).isNull();
    LogRecordData chain = record("on_chain_error", "step");
    assertThat(chain.getEventName()).isEqualTo("tracewire.on_chain_error");
    assertThat(attr(chain, "error.type")).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(memory.getFinishedLogRecordItems().toString()).doesNotContain("boom").doesNotContain("bad input");

    memory.reset();
    OtlpLogSink content = OtlpLogSink.builder().exporter(memory).captureContent(true)
        .redactor((k, v) -> v.replace("secret", "[REDACTED]")).build();
    content.export(seen);
    assertThat(attr(record("on_chat_model_error", "ChatOpenAI"), "exception.message")).isEqualTo("boom [REDACTED]");
    assertThat(attr(record("on_chain_error", "step"), "exception.message")).isEqualTo("bad input");
  }

  @Test
  void onlyTheSelectedKindsBecomeRecordsAndTheRestIsCountedSkipped() throws Exception {
    OtlpLogSinkTest.chain().invoke(Map.of("question", "q"), recorded());
    OtlpLogSink sink = OtlpLogSink.builder().exporter(memory).events(LogEventKind.END, LogEventKind.CUSTOM).build();
    sink.export(seen);
    assertThat(memory.getFinishedLogRecordItems()).extracting(r -> attr(r, "tracewire.event")).containsExactly(
        "on_prompt_end", "on_chat_model_end", "on_parser_end",
        "on_custom_event", "on_tool_end", "on_chain_end", "on_chain_end");
    assertThat(sink.stats()).isEqualTo(new OtlpLogStats(13, 7, 7, 0, 6, 1, 0, 0));
  }

  @Test
  void anEventThatCannotBeMappedIsSkippedAndCountedAndTheBatchGoesOn() throws Exception {
    Object bomb = new Object() {
      public String getValue() {
        throw new IllegalStateException("no json");
      }

      @Override
      public String toString() {
        throw new IllegalStateException("no string");
      }
    };
    RunnableLambda.of("emitter", (String s) -> {
      CustomEvent.dispatch("bomb", bomb);
      return s;
    }).invoke("x", recorded());
    OtlpLogSink sink = OtlpLogSink.builder().exporter(memory).captureContent(true).build();
    sink.export(seen);
    assertThat(memory.getFinishedLogRecordItems()).extracting(r -> attr(r, "tracewire.event"))
        .containsExactly("on_chain_start", "on_chain_end");
    assertThat(sink.stats()).isEqualTo(new OtlpLogStats(3, 2, 2, 0, 1, 1, 0, 1));
  }

  @Test
  void traceLinksFromAnyLookupSetTheRecordsSpanContext() throws Exception {
    TraceLinks links = runId -> new TraceLinks.Link("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
    RunnableLambda.of("f", (String s) -> s).invoke("x", recorded());
    OtlpLogSink sink = OtlpLogSink.builder().exporter(memory).traceLinks(links).build();
    sink.export(seen);
    assertThat(memory.getFinishedLogRecordItems()).hasSize(2).allSatisfy(r -> {
      assertThat(r.getSpanContext().getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(r.getSpanContext().getSpanId()).isEqualTo("b7ad6b7169203331");
      assertThat(r.getSpanContext().isSampled()).isTrue();
    });

    memory.reset();
    OtlpLogSink throwing = OtlpLogSink.builder().exporter(memory).traceLinks(id -> {
      throw new IllegalStateException("lookup down");
    }).build();
    throwing.export(seen);
    assertThat(memory.getFinishedLogRecordItems()).hasSize(2).allSatisfy(r -> assertThat(r.getSpanContext().isValid()).isFalse());
  }

  @Test
  void anExporterThatFailsOrThrowsFailsTheBatchAndCountsItsRecords() throws Exception {
    RunnableLambda.of("f", (String s) -> s).invoke("x", recorded());
    LogRecordExporter failing = new LogRecordExporter() {
      @Override
      public CompletableResultCode export(Collection<LogRecordData> logs) {
        return CompletableResultCode.ofFailure();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    OtlpLogSink sink = OtlpLogSink.builder().exporter(failing).build();
    assertThatThrownBy(() -> sink.export(seen)).isInstanceOf(IOException.class).hasMessageContaining("2 records failed");
    assertThat(sink.stats()).isEqualTo(new OtlpLogStats(2, 2, 0, 2, 0, 1, 1, 0));

    LogRecordExporter throwing = new LogRecordExporter() {
      @Override
      public CompletableResultCode export(Collection<LogRecordData> logs) {
        throw new IllegalStateException("exporter bug");
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    OtlpLogSink sink2 = OtlpLogSink.builder().exporter(throwing).build();
    assertThatThrownBy(() -> sink2.export(seen)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> sink2.export(seen.subList(0, 1))).isInstanceOf(IOException.class);
    assertThat(sink2.stats()).isEqualTo(new OtlpLogStats(3, 3, 0, 3, 0, 2, 2, 0));
  }

  @Test
  void builderRejectsAnExporterTogetherWithTransportSettingsAndBadValues() {
    assertThatThrownBy(() -> OtlpLogSink.builder().exporter(memory).endpoint("http://localhost:4318").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("transport settings");
    assertThatThrownBy(() -> OtlpLogSink.builder().maxContentLength(10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OtlpLogSink.builder().maxTrackedRuns(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OtlpLogSink.builder().exportTimeout(java.time.Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OtlpLogSink.builder().endpoint(null)).isInstanceOf(NullPointerException.class).hasMessage("endpoint");
  }
}
