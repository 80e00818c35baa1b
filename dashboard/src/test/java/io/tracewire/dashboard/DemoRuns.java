package io.tracewire.dashboard;

import io.tracewire.core.retriever.BaseRetriever;
import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.tool.Tool;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Real in-process runs for browser tests and screenshots: a small retrieval-and-tool chain. */
final class DemoRuns {
  static final String ANSWER = "Here is a 1 verse song about goldfish on the moon: little orange swimmers "
      + "drift through silver seas, bubbles rising slowly past the craters and the breeze.";

  private DemoRuns() {}

  /** {@code answer_question}: retriever, tool, then prompt | chat model | parser, all nested. */
  static Runnable<String, String> chain(Duration chunkDelay) {
    BaseRetriever docs = BaseRetriever.of("moon_docs", q -> List.of(
        new Document("Goldfish cannot live on the moon.", Map.of("source", "facts.md")),
        new Document("The moon has no seas of water.", Map.of("source", "astro.md"))));
    Tool weather = Tool.builder("lunar_weather").description("Weather on the moon")
        .arg("crater", "string", "crater name")
        .function(args -> "clear skies over " + args.get("crater") + ", -170 C")
        .build();
    Runnable<Map<String, Object>, String> llm = ChatPromptTemplate.of(
            ChatPromptTemplate.system("You write short songs."), ChatPromptTemplate.human("{topic}"))
        .pipe(new DemoChatModel(ANSWER, chunkDelay))
        .pipe(new StrOutputParser());
    return RunnableLambda.of("answer_question", (String question) -> {
      docs.invoke(question);
      weather.invoke(Map.of("crater", "Tycho"));
      return llm.invoke(Map.of("topic", question));
    });
  }

  static String run(Dashboard d, Duration chunkDelay, List<String> tags) {
    return chain(chunkDelay).invoke("Write me a 1 verse song about goldfish on the moon",
        RunConfig.builder().listener(d.listener()).tags(tags).build());
  }
}
