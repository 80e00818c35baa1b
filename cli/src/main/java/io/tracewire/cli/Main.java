package io.tracewire.cli;

import io.tracewire.core.ChatPromptTemplate;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.Runnable;
import io.tracewire.core.StrOutputParser;
import io.tracewire.core.StreamEvent;
import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The {@code tracewire} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    Runnable<Map<String, Object>, String> chain = ChatPromptTemplate.of(ChatPromptTemplate.human("{topic}"))
        .pipe(GenericFakeChatModel.cycling(List.of(new AIMessage(
            "Here is a 1 verse song about goldfish on the moon: Little orange swimmers float in lunar seas")))
            .withChunkDelay(Duration.ofMillis(20)))
        .pipe(new StrOutputParser());
    try (CloseableIterator<StreamEvent> events = chain.streamEvents(
        Map.of("topic", "Write me a 1 verse song about goldfish on the moon"), null, null)) {
      while (events.hasNext()) {
        StreamEvent e = events.next();
        if (e.event().equals("on_chat_model_stream")) {
          out.print(((io.tracewire.core.message.BaseMessage) e.dataValue("chunk")).text() + "|");
          out.flush();
        }
      }
    }
    out.println();
  }
}
