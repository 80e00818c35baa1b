package io.tracewire.exporters.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.core.sink.SinkConfig;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.Tracewire;
import io.tracewire.core.fake.GenericFakeChatModel;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.UsageMetadata;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleSinkTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static final long T0 = 1_764_000_000_000_000_000L;
  private static final String ROOT = "11111111-aaaa-7000-8000-000000000001";
  private static final String M1 = "22222222-bbbb-7000-8000-000000000002";
  private static final String M2 = "33333333-cccc-7000-8000-000000000003";

  private static StreamEvent ev(String event, String name, String runId, List<String> parents, Object data, long msAfter) {
    return new StreamEvent(event, name, runId, parents, List.of(), Map.of(), data, 0, T0 + msAfter * 1_000_000L);
  }

  private static StreamEvent chunk(String runId, String text, long ms) {
    return ev("on_chat_model_stream", "ChatAnthropic", runId, List.of(ROOT), Map.of("chunk", new AIMessageChunk(text)), ms);
  }

  @Test
  void printsTokensAsTheyArriveWithTheDelimiterInsideACompactRunTree() {
    ConsoleSink sink = ConsoleSink.builder().out(out).color(false).build();
    UsageMetadata usage = new UsageMetadata(21, 35, 56, new InputTokenDetails(0L, 0L, null), null);
    List<StreamEvent> events = new ArrayList<>();
    events.add(ev("on_chain_start", "RunnableSequence", ROOT, List.of(), Map.of("input", "x"), 0));
    events.add(ev("on_chat_model_start", "ChatAnthropic", M1, List.of(ROOT), Map.of("input", "x"), 10));
    events.add(chunk(M1, "", 322));
    events.add(chunk(M1, "Here", 330));
    events.add(chunk(M1, " is", 340));
    sink.export(events.subList(0, 4));
    assertThat(text()).isEqualTo("▶ chain RunnableSequence\n  ▶ chat_model ChatAnthropic\n  |Here|");
    events.add(chunk(M1, " a", 350));
    events.add(ev("on_chat_model_end", "ChatAnthropic", M1, List.of(ROOT),
        Map.of("output", new AIMessage("Here is a", null, null, null, null, null, usage)), 1530));
    events.add(ev("on_chain_end", "RunnableSequence", ROOT, List.of(), Map.of("output", "Here is a"), 1600));
    sink.export(events.subList(4, events.size()));
    sink.close();
    assertThat(text()).isEqualTo("""
        ▶ chain RunnableSequence
          ▶ chat_model ChatAnthropic
          |Here| is| a|
          ✔ chat_model ChatAnthropic 1.52 s · first chunk 312 ms · tokens 21 in (cache read 0, cache write 0) / 35 out / 56 total
        ✔ chain RunnableSequence 1.60 s
        """);
  }

  @Test
  void interleavedRunsGetOneLinePerSwitchWithTheRunsNameAndShortId() {
    ConsoleSink sink = ConsoleSink.builder().out(out).color(false).delimiter("/").tree(false).build();
    sink.export(List.of(
        ev("on_chat_model_start", "ChatAnthropic", M1, List.of(), Map.of(), 0),
        ev("on_chat_model_start", "ChatAnthropic", M2, List.of(), Map.of(), 0),
        chunk(M1, "a", 1), chunk(M1, "b", 2), chunk(M2, "x", 3), chunk(M1, "c", 4), chunk(M2, "y", 5)));
    sink.close();
    assertThat(text()).isEqualTo(String.join("\n",
        "  ChatAnthropic·22222222› a/b/",
        "  ChatAnthropic·33333333› x/",
        "  ChatAnthropic·22222222› c/",
        "  ChatAnthropic·33333333› y/", ""));
  }

  @Test
  void errorsAndCancellationsEndTheirRunLine() {
    ConsoleSink sink = ConsoleSink.builder().out(out).color(false).build();
    sink.export(List.of(
        ev("on_chat_model_start", "Fake", M1, List.of(), Map.of(), 0),
        ev("on_chat_model_stream", "Fake", M1, List.of(), Map.of("chunk", new AIMessageChunk("par")), 5),
        ev("on_chat_model_error", "Fake", M1, List.of(), Map.of("error", new IllegalStateException("boom")), 7),
        ev("on_chain_start", "loop", M2, List.of(), Map.of(), 8),
        ev("on_chain_cancel", "loop", M2, List.of(), Map.of(), 9)));
    assertThat(text()).isEqualTo("""
        ▶ chat_model Fake
        par|
        ✖ chat_model Fake 7 ms · first chunk 5 ms IllegalStateException: boom
        ▶ chain loop
        ⊘ chain loop 1 ms cancelled
        """);
  }

  @Test
  void colourIsUsedOnlyWhenAskedOrOnATerminal() {
    ConsoleSink coloured = ConsoleSink.builder().out(out).color(true).build();
    coloured.export(List.of(ev("on_chain_start", "c", ROOT, List.of(), Map.of(), 0)));
    assertThat(text()).contains("\u001b[");
    assertThat(ConsoleSink.builder().build().color()).isEqualTo(System.console() != null);
  }

  @Test
  void showsTokensOfAnInvokedChatModelThroughTheBus() {
    ConsoleSink sink = ConsoleSink.builder().out(out).color(false).build();
    var model = GenericFakeChatModel.cycling(List.of("hello goldfish moon"));
    var chain = RunnableLambda.<String, String>of("ask", q -> model.invoke(q).text());
    try (Tracewire tw = Tracewire.builder().sink(sink, SinkConfig.named("console")).install()) {
      assertThat(chain.invoke("song?")).isEqualTo("hello goldfish moon");
      assertThat(tw.flush(Duration.ofSeconds(30))).isTrue();
    }
    String s = text();
    assertThat(s).startsWith("▶ chain ask\n  ▶ chat_model GenericFakeChatModel\n");
    assertThat(s).contains("  hello| |goldfish| |moon|");
    assertThat(s).contains("  ✔ chat_model GenericFakeChatModel ").endsWith("\n");
    assertThat(s.lines().filter(l -> l.startsWith("✔ chain ask"))).hasSize(1);
  }

  @Test
  void controlCharactersInNamesTokensAndErrorsAreShownEscapedWhileTokenLinesAndTabsStay() {
    String name = "M\u001b]0;pwned\u0007\u001b[2J";
    String shown = "M\\e]0;pwned\\x07\\e[2J";
    for (boolean colour : new boolean[] {false, true}) {
      bytes.reset();
      ConsoleSink sink = ConsoleSink.builder().out(out).color(colour).build();
      sink.export(List.of(
          ev("on_chain_start", name, ROOT, List.of(), Map.of(), 0),
          ev("on_chat_model_start", name, M1, List.of(ROOT), Map.of(), 1),
          ev("on_chat_model_stream", name, M1, List.of(ROOT), Map.of("chunk", new AIMessageChunk("a\n\tb\u001b[1A\rc \u202eevil\u202c 🐟 ü")), 2),
          ev("on_chat_model_stream", name, M2, List.of(ROOT), Map.of("chunk", new AIMessageChunk("\u009b2J")), 3),
          ev("on_chat_model_end", name, M1, List.of(ROOT), Map.of(), 4),
          ev("on_chain_error", name, ROOT, List.of(), Map.of("error", new IllegalStateException("x\u001b[2J\ny")), 5)));
      sink.close();
      String s = text().replaceAll("\u001b\\[[0-9;]*m", "");
      assertThat(s).as("colour " + colour).doesNotContain("\u001b", "\u0007", "\u009b", "\r", "\u202e")
          .contains("▶ chain " + shown + "\n")
          .contains("  a\n\tb\\e[1A\\rc \\u202eevil\\u202c 🐟 ü|\n")
          .contains("  " + shown + "·33333333› \\u009b2J|\n")
          .contains("✖ chain " + shown + " 5 ms IllegalStateException: x\\e[2J\\ny\n");
      if (colour) {
        assertThat(text()).contains("\u001b[1m" + shown + "\u001b[0m");
      }
    }
  }

  @Test
  void indentationIsCappedWithTheDepthShownBeyondTheCap() {
    ConsoleSink sink = ConsoleSink.builder().out(out).color(false).build();
    List<String> parents = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      parents.add("p" + i);
    }
    sink.export(List.of(ev("on_chain_start", "deep", ROOT, parents, Map.of(), 0),
        ev("on_chain_start", "shallow", M1, parents.subList(0, 20), Map.of(), 0)));
    assertThat(text()).isEqualTo(" ".repeat(40) + "[depth 1000] ▶ chain deep\n" + " ".repeat(40) + "▶ chain shallow\n");
  }

  @Test
  void durationsAreHumanReadable() {
    assertThat(ConsoleSink.duration(999)).isEqualTo("0 µs");
    assertThat(ConsoleSink.duration(2_500_000)).isEqualTo("2 ms");
    assertThat(ConsoleSink.duration(1_234_000_000)).isEqualTo("1.23 s");
  }
}
