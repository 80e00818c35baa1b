package io.tracewire.exporters.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.event.StreamEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlReaderTest {
  @TempDir Path dir;
  private final JsonlCodec codec = new JsonlCodec();

  @Test
  void malformedLinesOfEveryKindAreSkippedCountedAndReportedWithFileAndLine() throws Exception {
    String good1 = codec.encodeToString(Events.seed(1, "a"));
    String good2 = codec.encodeToString(Events.seed(2, "b"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((good1 + "\n").getBytes(StandardCharsets.UTF_8));                    // 1 ok
    out.writeBytes((good1.substring(0, 120) + "\n").getBytes(StandardCharsets.UTF_8));  // 2 truncated
    out.writeBytes("this is not json\n".getBytes(StandardCharsets.UTF_8));               // 3 not JSON
    out.writeBytes("{\"hello\":\"world\"}\n".getBytes(StandardCharsets.UTF_8));          // 4 wrong shape
    byte[] huge = new byte[10 * 1024 * 1024];
    Arrays.fill(huge, (byte) 'x');
    out.writeBytes(huge);                                                                  // 5 10 MB long
    out.write('\n');
    byte[] utf = (good1 + "\n").getBytes(StandardCharsets.UTF_8);
    int at = good1.indexOf("tok") >= 0 ? good1.indexOf("tok") : good1.indexOf("\"a\"") + 1;
    utf[at] = (byte) 0xFF;                                                                 // 6 invalid UTF-8
    out.writeBytes(utf);
    out.writeBytes("\n".getBytes(StandardCharsets.UTF_8));                                // 7 blank: ignored
    out.writeBytes((good2 + "\n").getBytes(StandardCharsets.UTF_8));                     // 8 ok
    out.writeBytes(good2.substring(0, 50).getBytes(StandardCharsets.UTF_8));             // 9 truncated, no newline
    Path file = dir.resolve("bad.jsonl");
    Files.write(file, out.toByteArray());

    List<MalformedLine> bad = new ArrayList<>();
    List<StreamEvent> got = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(List.of(file), codec, ReadOptions.DEFAULT.withOnMalformed(bad::add))) {
      r.forEachRemaining(got::add);
      assertThat(r.malformedLines()).isEqualTo(6);
      assertThat(r.eventsRead()).isEqualTo(2);
    }
    assertThat(got).containsExactly(Events.seed(1, "a"), Events.seed(2, "b"));
    assertThat(bad).extracting(MalformedLine::line).containsExactly(2L, 3L, 4L, 5L, 6L, 9L);
    assertThat(bad).allSatisfy(m -> assertThat(m.file()).isEqualTo(file));
    assertThat(bad.get(3).reason()).contains("too long");
    assertThat(bad.get(5).reason()).contains("truncated last line");
    assertThat(bad.get(0).toString()).startsWith(file + ":2: ");
  }

  @Test
  void anUnterminatedButCompleteLastLineIsStillAnEvent() throws Exception {
    Path file = dir.resolve("x.jsonl");
    Files.writeString(file, codec.encodeToString(Events.seed(1, "a")) + "\r\n" + codec.encodeToString(Events.seed(2, "b")));
    try (JsonlReader r = JsonlReader.open(file)) {
      List<StreamEvent> got = new ArrayList<>();
      r.forEachRemaining(got::add);
      assertThat(got).extracting(StreamEvent::seq).containsExactly(1L, 2L);
      assertThat(r.malformedLines()).isZero();
    }
  }
}
