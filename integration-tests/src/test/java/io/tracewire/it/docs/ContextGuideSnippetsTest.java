package io.tracewire.it.docs;

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
 * Keeps docs/context.md honest: every {@code <!-- snippet: NAME -->} code block equals the region
 * {@code tag::NAME[]} .. {@code end::NAME[]} of {@link ContextGuideExamplesTest} (common
 * indentation removed), and every region is quoted.
 */
class ContextGuideSnippetsTest {
  private static final Path GUIDE = Path.of("../docs/context.md");
  private static final Path EXAMPLES = Path.of("src/test/java/io/tracewire/it/docs/ContextGuideExamplesTest.java");
  private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: ([\\w-]+) -->\\n```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern REGION = Pattern.compile("[ \\t]*// tag::([\\w-]+)\\[]\\n(.*?)[ \\t]*// end::\\1\\[]", Pattern.DOTALL);

  private static Map<String, String> find(Pattern p, String text, boolean dedent) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.put(m.group(1), dedent ? dedent(m.group(2)) : m.group(2));
    }
    return out;
  }

  private static String dedent(String text) {
    List<String> lines = text.lines().toList();
    int min = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l.isBlank() ? "" : l.substring(min)).append('\n');
    }
    return sb.toString();
  }

  @Test
  void everySnippetOfTheGuideIsTheCompiledExampleVerbatim() throws IOException {
    Map<String, String> regions = find(REGION, Files.readString(EXAMPLES, StandardCharsets.UTF_8).replace("\r\n", "\n"), true);
    Map<String, String> snippets = find(SNIPPET, Files.readString(GUIDE, StandardCharsets.UTF_8).replace("\r\n", "\n"), false);
    assertThat(regions).as("example regions").isNotEmpty();
    assertThat(snippets.keySet()).as("snippets quoted by %s", GUIDE).containsExactlyInAnyOrderElementsOf(regions.keySet());
    snippets.forEach((name, text) -> assertThat(text).as("snippet '%s' of %s", name, GUIDE).isEqualTo(regions.get(name)));
  }
}
