package io.tracewire.examples.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/langchain4j.md honest: every {@code <!-- snippet: NAME -->} code block of the guide
 * equals the region {@code tag::NAME[]} .. {@code end::NAME[]} of one of the compiled, tested
 * sources below (common indentation removed), and every region is quoted.
 */
class LangChain4jGuideSnippetsTest {
  private static final Path GUIDE = Path.of("../../docs/langchain4j.md");
  private static final List<Path> SOURCES = List.of(
      Path.of("src/main/java/io/tracewire/examples/langchain4j/WeatherAssistantExample.java"),
      Path.of("src/test/java/io/tracewire/examples/langchain4j/WeatherAssistantExampleTest.java"),
      Path.of("../../chat-adapters/src/test/java/io/tracewire/adapters/langchain4j/AiServicesOtelTest.java"));
  private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: ([\\w-]+) -->\\n```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern REGION = Pattern.compile("[ \\t]*// tag::([\\w-]+)\\[]\\n(.*?)[ \\t]*// end::\\1\\[]", Pattern.DOTALL);

  static Map<String, String> regions(String source) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = REGION.matcher(source);
    while (m.find()) {
      out.put(m.group(1), dedent(m.group(2)));
    }
    return out;
  }

  /** Removes the indentation common to the non-blank lines. */
  static String dedent(String text) {
    List<String> lines = text.lines().toList();
    int min = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l.isBlank() ? "" : l.substring(min)).append('\n');
    }
    return sb.toString();
  }

  static Map<String, String> snippets(String guide) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = SNIPPET.matcher(guide);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  @Test
  void everySnippetOfTheGuideIsACompiledAndTestedRegionVerbatim() throws IOException {
    Map<String, String> regions = new LinkedHashMap<>();
    for (Path p : SOURCES) {
      regions.putAll(regions(Files.readString(p, StandardCharsets.UTF_8).replace("\r\n", "\n")));
    }
    Map<String, String> snippets = snippets(Files.readString(GUIDE, StandardCharsets.UTF_8).replace("\r\n", "\n"));

    assertThat(regions).as("example regions").hasSizeGreaterThanOrEqualTo(8);
    assertThat(snippets.keySet()).as("snippets quoted by %s", GUIDE).containsExactlyInAnyOrderElementsOf(regions.keySet());
    snippets.forEach((name, text) -> assertThat(text).as("snippet '%s' of %s", name, GUIDE).isEqualTo(regions.get(name)));
  }
}
