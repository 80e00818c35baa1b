package io.tracewire.test;

import static io.tracewire.test.TracewireAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewire.core.RunConfig;
import io.tracewire.core.event.StreamEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenFileTest {
  /** Written with JSONL schema version 1: it still matches (GoldenFile rewrites the version). */
  private static final String GOLDEN = "src/test/resources/golden/tool-call-chain.jsonl";
  @TempDir Path dir;
  private String savedUpdate;

  /** These tests set the update property themselves; a global -D must not turn their failures into writes. */
  @BeforeEach
  void clearUpdateProperty() {
    savedUpdate = System.clearProperty(GoldenFile.UPDATE_PROPERTY);
  }

  @AfterEach
  void restoreUpdateProperty() {
    if (savedUpdate == null) {
      System.clearProperty(GoldenFile.UPDATE_PROPERTY);
    } else {
      System.setProperty(GoldenFile.UPDATE_PROPERTY, savedUpdate);
    }
  }

  private static List<StreamEvent> record(RunConfig.Builder config, EventRecorder recorder) {
    ScriptedChatModel model = ScriptedChatModel.builder().name("model")
        .respond(ChatScript.builder().text("Let me look").toolCallChunk("search", "{\"q\":", "call_1", 0)
            .toolCallChunk(null, "\"cats\"}", null, 0).usage(11, 5).build())
        .build();
    Fixtures.chain(model).invoke(Map.of("question", "cats?"), config.tags("golden").build());
    return recorder.events();
  }

  private static List<StreamEvent> recordDeterministically() {
    EventRecorder recorder = EventRecorder.streamingTokens();
    return record(recorder.configBuilder(), recorder);
  }

  @Test
  void aChainWithToolCallChunksMatchesItsGoldenFile() {
    // Under -Dtracewire.golden.update=true this test (re)writes the file instead.
    System.setProperty(GoldenFile.UPDATE_PROPERTY, String.valueOf(Boolean.parseBoolean(savedUpdate)));
    assertThatEvents(recordDeterministically()).isWellFormed().matchesGolden(GOLDEN);
  }

  private static EventsAssert assertThatEvents(List<StreamEvent> events) {
    return TracewireAssertions.assertThatEvents(events);
  }

  @Test
  void normalisedTextDoesNotDependOnRunIdsSeqOrTimes() {
    EventRecorder other = EventRecorder.streamingTokens();
    List<StreamEvent> withRandomIds = record(RunConfig.builder().listener(other), other);

    assertThat(withRandomIds.get(0).runId()).doesNotStartWith("00000000-0000");
    assertThat(GoldenFile.normalise(withRandomIds)).isEqualTo(GoldenFile.normalise(recordDeterministically()));
  }

  @Test
  void runIdsBecomeSymbolsEvenInsideData() {
    String text = GoldenFile.normalise(recordDeterministically());

    assertThat(text).doesNotContain("00000000-0000");
    assertThat(text).contains("\"run_id\":\"r2\",\"parent_ids\":[\"r0\"]").contains("\"id\":\"lc_run--r2\"");
    assertThat(text).startsWith("{\"v\":2,\"seq\":0,\"ts\":0,\"event\":\"on_chain_start\",\"name\":\"RunnableSequence\",\"run_id\":\"r0\",\"parent_ids\":[],\"tags\":[\"golden\"],");
    assertThat(text.lines()).hasSize(recordDeterministically().size());
  }

  @Test
  void errorsAreWrittenAsTypeAndMessageWithoutStackTraces() {
    EventRecorder recorder = EventRecorder.create();
    ScriptedChatModel model = ScriptedChatModel.builder().name("m")
        .respond(ChatScript.builder().failWith(new IllegalStateException("quota")).build()).build();
    assertThatThrownBy(() -> model.invoke("hi", recorder.config())).isInstanceOf(IllegalStateException.class);

    assertThat(GoldenFile.normalise(recorder.events()))
        .contains("\"error\":{\"type\":\"java.lang.IllegalStateException\",\"message\":\"quota\"}")
        .doesNotContain("stackTrace");
  }

  @Test
  void aDifferentRecordingFailsWithALineDiffAndTheTree() throws IOException {
    Path golden = dir.resolve("chain.jsonl");
    String good = GoldenFile.normalise(recordDeterministically());
    Files.writeString(golden, good.replace("\"content\":\"Let me look\"", "\"content\":\"Let me see\""), StandardCharsets.UTF_8);

    assertThatThrownBy(() -> GoldenFile.assertMatches(recordDeterministically(), golden))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Recorded events differ from golden file " + golden)
        .hasMessageContaining("rerun with -Dtracewire.golden.update=true")
        .hasMessageMatching("(?s).*\\n-    5\\| \\{\"v\":2,\"seq\":4,\"ts\":0,\"event\":\"on_chat_model_stream\"[^\\n]*Let me see.*")
        .hasMessageMatching("(?s).*\\n\\+     \\| \\{\"v\":2,\"seq\":4,\"ts\":0,\"event\":\"on_chat_model_stream\"[^\\n]*Let me look.*")
        .hasMessageContaining("    chat_model model (r2) tags=[seq:step:2, golden] ended, 5 chunks \"Let me look\"");
  }

  @Test
  void aMissingGoldenFailsSayingHowToCreateIt() {
    Path golden = dir.resolve("missing.jsonl");
    assertThatThrownBy(() -> GoldenFile.assertMatches(recordDeterministically(), golden))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("does not exist. Run the test with -Dtracewire.golden.update=true to create it")
        .hasMessageContaining("{\"v\":2,\"seq\":0,\"ts\":0,\"event\":\"on_chain_start\"");
    assertThat(golden).doesNotExist();
  }

  @Test
  void theUpdatePropertyWritesTheGoldenInsteadOfComparing() throws IOException {
    Path golden = dir.resolve("nested/dir/chain.jsonl");
    System.setProperty(GoldenFile.UPDATE_PROPERTY, "true");
    GoldenFile.assertMatches(recordDeterministically(), golden);
    System.clearProperty(GoldenFile.UPDATE_PROPERTY);

    assertThat(Files.readString(golden)).isEqualTo(GoldenFile.normalise(recordDeterministically()));
    GoldenFile.assertMatches(recordDeterministically(), golden);
  }

  @Test
  void windowsLineEndingsInTheGoldenAreAccepted() throws IOException {
    Path golden = dir.resolve("crlf.jsonl");
    Files.writeString(golden, GoldenFile.normalise(recordDeterministically()).replace("\n", "\r\n"));
    assertThat(recordDeterministically()).isNotEmpty();
    GoldenFile.assertMatches(recordDeterministically(), golden);
  }

  @Test
  void lineDiffShowsChangesWithContextAndGoldenLineNumbers() {
    String diff = LineDiff.diff(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"), List.of("a", "b", "c", "X", "e", "f", "g", "h", "i", "j"));

    assertThat(diff).isEqualTo(String.join("\n",
        "     2| b",
        "     3| c",
        "-    4| d",
        "+     | X",
        "     5| e",
        "     6| f",
        "  ...",
        "     8| h",
        "     9| i",
        "+     | j",
        ""));
  }

  @Test
  void theRecorderAssertionDelegatesToTheGoldenFile() throws IOException {
    EventRecorder recorder = EventRecorder.streamingTokens();
    record(recorder.configBuilder(), recorder);
    Path golden = dir.resolve("via-assert.jsonl");
    Files.writeString(golden, "{}\n");

    assertThatThrownBy(() -> assertThat(recorder).matchesGolden(golden))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("-    1| {}");
  }
}
