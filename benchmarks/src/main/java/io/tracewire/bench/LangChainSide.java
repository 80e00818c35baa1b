package io.tracewire.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the LangChain side of the comparison: installs the pinned langchain-core into a virtual
 * environment under {@code ~/.cache/tracewire} (once), runs the bundled script and parses its JSON.
 */
public final class LangChainSide {
  /** The langchain-core version the comparison is pinned to (the conformance reference). */
  public static final String LANGCHAIN_CORE_VERSION = "1.6.0";

  private LangChainSide() {}

  /** Whether {@code python3} can be started. */
  public static boolean pythonAvailable() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Runs the Python workloads and returns their JSON document. Progress goes to stderr. */
  public static JsonNode run(boolean full, int runs) throws IOException, InterruptedException {
    Path venv = Path.of(System.getProperty("user.home"), ".cache", "tracewire", "langchain-core-" + LANGCHAIN_CORE_VERSION);
    Path python = venv.resolve("bin/python");
    if (!Files.isExecutable(python) || exec(List.of(python.toString(), "-c", "import langchain_core"), false) != 0) {
      System.err.println("installing langchain-core==" + LANGCHAIN_CORE_VERSION + " into " + venv);
      Files.createDirectories(venv.getParent());
      check(exec(List.of("python3", "-m", "venv", venv.toString()), true), "python3 -m venv");
      check(exec(List.of(venv.resolve("bin/pip").toString(), "install", "--quiet", "--disable-pip-version-check",
          "langchain-core==" + LANGCHAIN_CORE_VERSION), true), "pip install langchain-core");
    }
    Path script = Files.createTempFile("tracewire-bench-langchain", ".py");
    try (InputStream in = LangChainSide.class.getResourceAsStream("bench_langchain.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    try {
      List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(), "--json", "--runs", String.valueOf(runs)));
      if (full) {
        cmd.add("--full");
      }
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      byte[] out = p.getInputStream().readAllBytes();
      check(p.waitFor(), "bench_langchain.py");
      return new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(script);
    }
  }

  private static int exec(List<String> cmd, boolean showOutput) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(showOutput ? ProcessBuilder.Redirect.to(new java.io.File("/dev/stderr")) : ProcessBuilder.Redirect.DISCARD);
    return pb.start().waitFor();
  }

  private static void check(int code, String what) throws IOException {
    if (code != 0) {
      throw new IOException(what + " failed with exit code " + code);
    }
  }
}
