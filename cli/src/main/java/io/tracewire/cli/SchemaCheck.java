package io.tracewire.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.tracewire.exporters.jsonl.JsonlCodec;
import io.tracewire.exporters.jsonl.ReadOptions;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Checks lines of a JSONL log against the published JSON Schema ({@code jsonl-schema.json}, the
 * copy on the exporters' class path) with a JSON Schema 2020-12 validator. Only lines that the
 * reader decoded are checked (the others are already reported as malformed); each line is
 * reported once, with its first error. The check runs on a thread with a large stack, because
 * the schema's value definition is recursive and lines may nest up to the reader's depth limit.
 */
final class SchemaCheck {
  /** The stack of the checking thread: deep enough for the reader's nesting limit. */
  private static final long STACK_BYTES = 512L * 1024 * 1024;

  private final Consumer<String> violations;
  private final Schema schema;
  private final ObjectMapper mapper;

  SchemaCheck(Consumer<String> violations) {
    this.violations = violations;
    try (InputStream in = JsonlCodec.class.getResourceAsStream("jsonl-schema.json")) {
      if (in == null) {
        throw new IllegalStateException("jsonl-schema.json is missing from the exporters jar");
      }
      this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.mapper = new ObjectMapper(JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(Integer.MAX_VALUE).maxNestingDepth(1000).build())
        .build());
  }

  /** Checks the decoded lines ({@code decoded}: line numbers per file) of {@code files}; the lines that failed. */
  long check(List<Path> files, Map<Path, BitSet> decoded) throws IOException, InterruptedException {
    long[] failed = {0};
    AtomicReference<Throwable> problem = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        for (Path f : files) {
          BitSet lines = decoded.get(f);
          if (lines != null && !lines.isEmpty()) {
            failed[0] += checkFile(f, lines);
          }
        }
      } catch (Throwable e) {
        problem.set(e);
      }
    }, "tracewire-validate-schema", STACK_BYTES);
    t.start();
    t.join();
    Throwable e = problem.get();
    if (e instanceof IOException io) {
      throw io;
    }
    if (e instanceof RuntimeException re) {
      throw re;
    }
    if (e instanceof java.lang.Error err) {
      throw err;
    }
    return failed[0];
  }

  private long checkFile(Path f, BitSet lines) throws IOException {
    long failed = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
      long number = 1;
      boolean tooLong = false;
      int b;
      while (true) {
        b = in.read();
        if (b == '\n' || b < 0) {
          if (b < 0 && line.size() == 0 && !tooLong) {
            break;
          }
          if (!tooLong && number <= Integer.MAX_VALUE && lines.get((int) number)) {
            failed += checkLine(f, number, line.toByteArray());
          }
          if (b < 0) {
            break;
          }
          line.reset();
          tooLong = false;
          number++;
        } else if (!tooLong) {
          if (line.size() >= ReadOptions.DEFAULT_MAX_LINE_BYTES) {
            tooLong = true;
            line.reset();
          } else {
            line.write(b);
          }
        }
      }
    }
    return failed;
  }

  private int checkLine(Path f, long number, byte[] bytes) {
    JsonNode node;
    try {
      node = mapper.readTree(bytes);
    } catch (IOException e) {
      return 0; // the reader decoded it, so this does not happen; the reader's verdict stands
    }
    List<Error> errors;
    try {
      errors = schema.validate(node);
    } catch (StackOverflowError deep) {
      violations.accept("schema: " + f + ":" + number + ": nested too deeply to check against the schema");
      return 1;
    }
    if (errors.isEmpty()) {
      return 0;
    }
    Error first = errors.get(0);
    violations.accept("schema: " + f + ":" + number + ": " + first.getInstanceLocation() + ": " + first.getMessage()
        + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
    return 1;
  }
}
