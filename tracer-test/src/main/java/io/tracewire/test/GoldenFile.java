package io.tracewire.test;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.exporters.jsonl.JsonlCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Golden files of recorded events: normalised JSON lines, one event a line, compared with a
 * readable line diff.
 *
 * <p>Normalisation makes a recording repeatable: run ids become {@code r0}, {@code r1}, ... in
 * order of first appearance (as run or parent id, and wherever a UUID-shaped run id appears
 * inside data, as in {@code lc_run--r2} message ids), {@code seq} becomes the event's position,
 * and the timestamp is dropped. The JSON shape is the JSONL log format ({@code io.tracewire.exporters.jsonl.JsonlCodec}).
 *
 * <p>Run the tests with {@code -D}{@value #UPDATE_PROPERTY}{@code =true} to write (or rewrite)
 * every golden file instead of comparing; review the change with {@code git diff}. A golden file
 * that does not exist fails the test with that instruction.
 *
 * <p>Stateless; thread-safe. Reads and writes files on the calling thread.
 */
public final class GoldenFile {
  /** The system property that turns comparison into regeneration: {@value}. */
  public static final String UPDATE_PROPERTY = "tracewire.golden.update";

  private static final GoldenEncoder ENCODER = new CodecGoldenEncoder();
  private static final int UUID_LENGTH = 36;

  private GoldenFile() {}

  /** The normalised JSON-lines text of {@code events}, each line ending in {@code \n}. */
  public static String normalise(List<StreamEvent> events) {
    Objects.requireNonNull(events, "events");
    Map<String, String> symbols = RunTree.of(events).symbols();
    List<Map.Entry<String, String>> inData = new ArrayList<>();
    for (Map.Entry<String, String> s : symbols.entrySet()) {
      if (s.getKey().length() == UUID_LENGTH) {
        inData.add(s);
      }
    }
    inData.sort(Comparator.comparing((Map.Entry<String, String> s) -> s.getKey().length()).reversed());
    StringBuilder sb = new StringBuilder();
    long position = 0;
    for (StreamEvent e : events) {
      List<String> parents = new ArrayList<>(e.parentIds().size());
      for (String p : e.parentIds()) {
        parents.add(symbols.get(p));
      }
      StreamEvent n = new StreamEvent(e.event(), e.name(), symbols.get(e.runId()), parents, e.tags(), e.metadata(),
          e.data(), position++, 0L);
      String line = ENCODER.encode(n);
      for (Map.Entry<String, String> s : inData) {
        line = line.replace(s.getKey(), s.getValue());
      }
      sb.append(line).append('\n');
    }
    return sb.toString();
  }

  /**
   * Fails unless the normalised {@code events} equal the golden file at {@code path}; with
   * {@value #UPDATE_PROPERTY}{@code =true} writes the file instead (creating directories).
   *
   * @throws AssertionError with a line diff when they differ, or when the file is missing
   * @throws UncheckedIOException when the file cannot be read or written
   */
  public static void assertMatches(List<StreamEvent> events, Path path) {
    Objects.requireNonNull(path, "path");
    String actual = normalise(events);
    try {
      if (Boolean.getBoolean(UPDATE_PROPERTY)) {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(path, actual, StandardCharsets.UTF_8);
        return;
      }
      if (!Files.exists(path)) {
        throw new AssertionError("Golden file " + path + " does not exist. Run the test with -D" + UPDATE_PROPERTY
            + "=true to create it from this recording:\n" + actual);
      }
      String expected = sameVersion(Files.readString(path, StandardCharsets.UTF_8).replace("\r\n", "\n"));
      if (!expected.equals(actual)) {
        throw new AssertionError("Recorded events differ from golden file " + path + " (- golden, + actual; "
            + "rerun with -D" + UPDATE_PROPERTY + "=true to accept the new recording):\n"
            + LineDiff.diff(lines(expected), lines(actual)) + "Run tree:\n" + RunTree.of(events).render());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("golden file " + path, e);
    }
  }

  /**
   * Golden files written with JSONL schema version 1 still match: for events encoded alone (no
   * writer id), a version-1 line differs from today's only in its {@code "v"}, so that is
   * rewritten before comparing.
   */
  private static String sameVersion(String golden) {
    String old = "{\"v\":1,\"seq\":";
    if (!golden.contains(old)) {
      return golden;
    }
    StringBuilder sb = new StringBuilder(golden.length());
    for (String line : golden.split("\n", -1)) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(line.startsWith(old) ? "{\"v\":" + JsonlCodec.SCHEMA_VERSION + ",\"seq\":" + line.substring(old.length()) : line);
    }
    return sb.toString();
  }

  private static List<String> lines(String text) {
    return text.lines().toList();
  }
}
