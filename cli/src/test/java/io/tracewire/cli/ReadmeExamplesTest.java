package io.tracewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Java block in the README compiles against the real API, and the first one runs. */
class ReadmeExamplesTest {
  static final String IMPORTS = String.join("\n",
      "import io.tracewire.core.*;", "import io.tracewire.core.runnable.*;", "import io.tracewire.core.runnable.Runnable;",
      "import io.tracewire.core.event.*;", "import io.tracewire.core.sink.*;", "import io.tracewire.core.model.*;",
      "import io.tracewire.core.prompt.*;", "import io.tracewire.core.parser.*;", "import io.tracewire.core.tool.*;", "import io.tracewire.core.retriever.*;", "import io.tracewire.core.message.*;", "import io.tracewire.core.fake.*;",
      "import io.tracewire.exporters.jsonl.*;", "import io.tracewire.exporters.console.*;", "import io.tracewire.exporters.otel.*;",
      "import io.tracewire.adapters.anthropic.*;", "import io.tracewire.adapters.langchain4j.*;", "import io.tracewire.test.*;",
      "import dev.langchain4j.model.chat.ChatModel;", "import java.util.*;", "import java.nio.file.*;",
      "import org.junit.jupiter.api.Test;", "import org.junit.jupiter.api.extension.ExtendWith;",
      "import static io.tracewire.test.TracewireAssertions.assertThat;", "");
  static final String FREE = "  static Runnable<Map<String, Object>, String> chain;\n  static ChatModel existingLangChain4jModel;\n";

  @TempDir
  Path out;

  static List<String> blocks() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    List<String> l = new ArrayList<>();
    while (m.find()) {
      l.add(m.group(1));
    }
    return l;
  }

  @Test
  void everyReadmeJavaBlockCompilesAndTheFirstRuns() throws Exception {
    List<String> blocks = blocks();
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(4);
    List<JavaFileObject> sources = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      String b = blocks.get(i);
      String src = b.contains("class ") && b.strip().startsWith("@")
          ? IMPORTS + "class Holder" + i + " {}\n" + b.replaceFirst("class (\\w+) \\{", "class $1_" + i + " {\n" + FREE)
          : IMPORTS + "public class Snippet" + i + " {\n" + FREE + "  public static void run() throws Exception {\n" + b + "\n  }\n}\n";
      String name = src.contains("public class Snippet" + i) ? "Snippet" + i : "Holder" + i;
      sources.add(new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return src.replace("class MyChainTest_", "class MyChainTest_");
        }
      });
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
    boolean ok = javac.getTask(null, null, diags, List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"),
        "-proc:none"), null, sources).call();
    assertThat(ok).as("README snippets compile: " + diags.getDiagnostics()).isTrue();

    // Run the first example (a fake model, no network) and check what it prints.
    try (java.net.URLClassLoader cl = new java.net.URLClassLoader(new java.net.URL[] {out.toUri().toURL()},
        getClass().getClassLoader())) {
      Class<?> first = cl.loadClass("Snippet0");
      PrintStream old = System.out;
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      try {
        first.getMethod("run").invoke(null);
      } finally {
        System.setOut(old);
      }
      assertThat(buf.toString(StandardCharsets.UTF_8)).contains("on_chain_start RunnableSequence")
          .contains("on_chat_model_stream GenericFakeChatModel").contains("on_chain_end RunnableSequence");
    }
  }
}
