package io.tracewire.cli;

import io.tracewire.core.model.BaseChatModel;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.BaseMessage;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracewire demo}: the streaming workload from LangChain's streaming guide. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = {"Streams a chat model's answer token by token through prompt | model | parser, printing '|' between chunks.",
        "With no options it uses a deterministic offline model with realistic chunking and pacing."},
    footer = {"", "Examples:", "  tracewire demo", "  tracewire demo --events 4", "  tracewire demo --prompt 'Write a haiku' --delay-ms 0",
        "  tracewire demo --jsonl events.jsonl --otlp-endpoint http://127.0.0.1:4318/v1/traces",
        "  tracewire demo --otlp-protocol grpc --otlp-endpoint http://127.0.0.1:4317 --otlp-logs",
        "  tracewire demo --otlp-endpoint http://127.0.0.1:6006/v1/traces --open-inference   (Arize Phoenix)",
        "  ANTHROPIC_API_KEY=... tracewire demo --provider anthropic"})
final class DemoCommand implements Callable<Integer> {
  static final String DEFAULT_PROMPT = "Write me a 1 verse song about goldfish on the moon";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--prompt", description = "The question (default: ${DEFAULT-VALUE}).", defaultValue = DEFAULT_PROMPT)
  String prompt;

  @Option(names = "--delimiter", description = "Printed after each chunk (default: ${DEFAULT-VALUE}).", defaultValue = "|")
  String delimiter;

  @Option(names = "--events", paramLabel = "N", description = "Also print the first N events as LangChain's guide shows them.",
      defaultValue = "0")
  int events;

  @Option(names = "--delay-ms", description = "Mean pause between chunks of the offline model (default: ${DEFAULT-VALUE}).",
      defaultValue = "25")
  long delayMs;

  @Option(names = "--async", description = "Consume the event stream through its Flow.Publisher form.")
  boolean async;

  @Option(names = "--jsonl", paramLabel = "PATH", description = "Also write every event to this JSONL file (appended).")
  java.nio.file.Path jsonl;

  @Option(names = "--otlp-endpoint", paramLabel = "URL",
      description = "Also export the runs as OpenTelemetry spans over OTLP (see --otlp-protocol): for http/protobuf the "
          + "traces URL, e.g. http://127.0.0.1:4318/v1/traces (Jaeger); for grpc scheme://host:port, e.g. http://127.0.0.1:4317.")
  String otlpEndpoint;

  @CommandLine.Mixin
  OtlpOptions otlp;

  enum Provider { fake, openai, anthropic, ollama }

  @Option(names = "--provider", description = "The chat model: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). "
      + "openai and anthropic read OPENAI_API_KEY / ANTHROPIC_API_KEY.", defaultValue = "fake")
  Provider provider;

  @Option(names = "--model", description = "The provider's model (defaults: openai gpt-4o-mini, anthropic claude-3-haiku-20240307, ollama llama3.2).")
  String modelName;

  @Option(names = "--base-url", paramLabel = "URL", description = "The provider's API root (proxies, compatible servers).")
  String baseUrl;

  BaseChatModel model() {
    switch (provider) {
      case openai -> {
        io.tracewire.adapters.openai.ChatOpenAI.Builder b = io.tracewire.adapters.openai.ChatOpenAI.builder()
            .model(modelName != null ? modelName : "gpt-4o-mini");
        if (baseUrl != null) {
          b.baseUrl(baseUrl);
        }
        return b.build();
      }
      case anthropic -> {
        io.tracewire.adapters.anthropic.ChatAnthropic.Builder b = io.tracewire.adapters.anthropic.ChatAnthropic.builder()
            .model(modelName != null ? modelName : "claude-3-haiku-20240307");
        if (baseUrl != null) {
          b.baseUrl(baseUrl);
        }
        return b.build();
      }
      case ollama -> {
        io.tracewire.adapters.ollama.ChatOllama.Builder b = io.tracewire.adapters.ollama.ChatOllama.builder()
            .model(modelName != null ? modelName : "llama3.2");
        if (baseUrl != null) {
          b.baseUrl(baseUrl);
        }
        return b.build();
      }
      default -> {
        return new DemoChatModel(Duration.ofMillis(delayMs));
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (events < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--events must be >= 0");
    }
    otlp.requireEndpointFor(spec.commandLine(), otlpEndpoint);
    OtlpOptions.Transport transport = otlpEndpoint == null ? null
        : otlp.transport(spec.commandLine(), "--otlp-endpoint", otlpEndpoint);
    Runnable<Map<String, Object>, String> chain = ChatPromptTemplate.of(ChatPromptTemplate.human("{question}"))
        .pipe(model()).pipe(new StrOutputParser()).withName("demo");
    StringBuilder shown = new StringBuilder();
    int[] count = {0};
    java.util.function.Consumer<StreamEvent> onEvent = e -> {
      if (count[0]++ < events) {
        shown.append(Repr.event(e)).append('\n');
      }
      if (e.event().equals("on_chat_model_stream")) {
        out.print(((BaseMessage) e.dataValue("chunk")).text());
        out.print(delimiter);
        out.flush();
      }
    };
    Map<String, Object> input = Map.of("question", prompt);
    io.tracewire.core.Tracewire tracing = null;
    io.tracewire.exporters.otel.OtelBridge bridge = null;
    io.tracewire.exporters.otel.OtlpLogSink logs = null;
    if (otlpEndpoint != null) {
      bridge = otlp.bridge(otlpEndpoint, transport).serviceName("tracewire-demo").build();
      logs = otlp.logSink(otlpEndpoint, transport, bridge, "tracewire-demo", null);
    }
    if (jsonl != null || bridge != null) {
      io.tracewire.core.Tracewire.Builder tb = io.tracewire.core.Tracewire.builder();
      if (bridge != null) {
        tb.listener(bridge);
      }
      if (jsonl != null) {
        io.tracewire.exporters.jsonl.JsonlFileSink.Builder sb = io.tracewire.exporters.jsonl.JsonlFileSink.builder(jsonl);
        if (bridge != null) {
          sb.traceLinks(bridge.traceLinks());
        }
        tb.sink(sb.build(), io.tracewire.core.sink.SinkConfig.named("jsonl").withPolicy(io.tracewire.core.sink.OverflowPolicy.BLOCK));
      }
      if (logs != null) {
        tb.sink(logs, io.tracewire.core.sink.SinkConfig.named(io.tracewire.exporters.otel.OtlpLogSink.DEFAULT_NAME)
            .withPolicy(io.tracewire.core.sink.OverflowPolicy.BLOCK));
      }
      tracing = tb.install();
    }
    try {
      run(chain, input, onEvent);
    } finally {
      if (bridge != null) {
        bridge.flush(Duration.ofSeconds(10));
      }
      if (tracing != null) {
        tracing.close();
        for (io.tracewire.core.sink.SinkStats st : tracing.stats()) {
          if (st.dropped() > 0 || st.failed() > 0) {
            err.println("tracewire: the " + st.name() + " sink dropped " + st.dropped() + " and failed " + st.failed() + " events");
          }
        }
      }
    }
    out.println();
    if (events > 0) {
      out.println();
      out.print(shown);
    }
    if (jsonl != null) {
      err.println("events written to " + jsonl);
    }
    if (bridge != null) {
      io.tracewire.exporters.otel.ExportStats st = bridge.stats();
      bridge.close();
      err.println("spans exported to " + otlpEndpoint + " over " + transport.protocol().otelName() + " (" + st + ")");
      if (logs != null) {
        err.println("log records: " + logs.stats());
      }
    }
    out.flush();
    err.flush();
    return Main.OK;
  }

  private void run(Runnable<Map<String, Object>, String> chain, Map<String, Object> input,
      java.util.function.Consumer<StreamEvent> onEvent) throws Exception {
    if (async) {
      java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
      chain.streamEventsAsync(input, RunConfig.empty(), null).subscribe(new java.util.concurrent.Flow.Subscriber<>() {
        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
          s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(StreamEvent item) {
          onEvent.accept(item);
        }

        @Override
        public void onError(Throwable t) {
          done.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
          done.complete(null);
        }
      });
      done.get();
    } else {
      try (CloseableIterator<StreamEvent> it = chain.streamEvents(input, RunConfig.empty(), null)) {
        while (it.hasNext()) {
          onEvent.accept(it.next());
        }
      }
    }
  }
}
