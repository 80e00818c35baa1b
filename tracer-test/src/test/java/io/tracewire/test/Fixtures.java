package io.tracewire.test;

import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.parser.StrOutputParser;
import io.tracewire.core.event.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Chains and hand-made event lists for the kit's own tests. */
final class Fixtures {
  private Fixtures() {}

  static Runnable<Map<String, Object>, String> chain(ScriptedChatModel model) {
    return ChatPromptTemplate.of(ChatPromptTemplate.human("{question}")).pipe(model).pipe(new StrOutputParser());
  }

  static ScriptedChatModel helloModel() {
    return ScriptedChatModel.builder().name("model")
        .respond(ChatScript.builder().text("Hello").text(" world").usage(7, 2).build())
        .build();
  }

  /** Builds synthetic event lists: ids are the given strings, seq counts up from 1. */
  static final class Script {
    private final List<StreamEvent> events = new ArrayList<>();
    private long seq = 1;

    Script add(String event, String name, String runId, String... parents) {
      events.add(new StreamEvent(event, name, runId, List.of(parents), List.of(), Map.of(), Map.of(), seq++, 0L));
      return this;
    }

    Script addWithSeq(long explicitSeq, String event, String name, String runId, String... parents) {
      events.add(new StreamEvent(event, name, runId, List.of(parents), List.of(), Map.of(), Map.of(), explicitSeq, 0L));
      return this;
    }

    List<StreamEvent> events() {
      return List.copyOf(events);
    }
  }

  static Script events() {
    return new Script();
  }
}
