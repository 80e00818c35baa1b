package io.tracewire.cli;

import io.tracewire.core.BaseChatModel;
import io.tracewire.core.ChatPromptTemplate;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.Runnable;
import io.tracewire.core.StrOutputParser;
import io.tracewire.core.StreamEvent;
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
    footer = {"", "Examples:", "  tracewire demo", "  tracewire demo --events 4", "  tracewire demo --prompt 'Write a haiku' --delay-ms 0"})
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

  BaseChatModel model() {
    return new DemoChatModel(Duration.ofMillis(delayMs));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (events < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--events must be >= 0");
    }
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
    if (jsonl != null) {
      tracing = io.tracewire.core.Tracewire.builder()
          .sink(io.tracewire.exporters.jsonl.JsonlFileSink.builder(jsonl).build(),
              io.tracewire.core.SinkConfig.named("jsonl").withPolicy(io.tracewire.core.OverflowPolicy.BLOCK))
          .install();
    }
    try {
      run(chain, input, onEvent);
    } finally {
      if (tracing != null) {
        tracing.close();
        for (io.tracewire.core.SinkStats st : tracing.stats()) {
          if (st.dropped() > 0 || st.failed() > 0) {
            err.println("tracewire: the JSONL sink dropped " + st.dropped() + " and failed " + st.failed() + " events");
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
