package io.tracewire.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Resolves a FILE|DIR argument to the active JSONL files it means. */
final class LogFiles {
  private LogFiles() {}

  /** A file as is; a directory's {@code *.jsonl} files (not their rotated {@code .N} siblings), by name. */
  static List<Path> resolve(Path arg) throws IOException {
    if (Files.isDirectory(arg)) {
      try (Stream<Path> s = Files.list(arg)) {
        List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl") && Files.isRegularFile(p))
            .sorted().toList();
        if (files.isEmpty()) {
          throw new IOException("no .jsonl files in directory " + arg);
        }
        return files;
      }
    }
    return List.of(arg);
  }
}
