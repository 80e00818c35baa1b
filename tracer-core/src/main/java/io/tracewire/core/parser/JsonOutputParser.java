package io.tracewire.core.parser;

import io.tracewire.core.internal.Runs;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunType;
import io.tracewire.core.util.Json;
import io.tracewire.core.runnable.Runnable;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Parses model output as JSON (a {@code parser} run). Given streamed input ({@link #transform}),
 * it yields the partial value
 * parsed so far each time a chunk changes it (LangChain's {@code JsonOutputParser}): objects
 * grow key by key, strings grow as they stream. Text wrapped in a Markdown code fence is
 * accepted. Invoked, it parses the whole text; text that is not JSON fails with
 * {@link IllegalArgumentException}. {@link #stream} of one value is an {@code invoke} yielding one
 * item (no stream event at the root, as in LangChain). Stateless and thread-safe.
 */
public final class JsonOutputParser extends Runnable<Object, Object> {
  public JsonOutputParser() {
    super(null);
  }

  @Override
  protected String defaultName() {
    return "JsonOutputParser";
  }

  static Object parseAll(String text) {
    Object v = Json.parsePartial(text);
    if (v == Json.INCOMPLETE) {
      throw new IllegalArgumentException("no JSON in model output: " + abbreviate(text));
    }
    return v;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  @Override
  public Object invoke(Object input, RunConfig config) {
    return Runs.call(input, config, Runs.spec(RunType.PARSER, name()), (in, child, node) -> parseAll(StrOutputParser.text(in)));
  }

  // stream(...) is Runnable's default, invoke as one chunk: LangChain's parsers only transform, so a
  // parser streamed on its own (at the root, or inside a function) has no stream event

  @Override
  public CloseableIterator<Object> transform(Iterator<?> input, RunConfig config) {
    return Runs.transform(input, config, Runs.spec(RunType.PARSER, name()), (in, node, child) -> new CloseableIterator<Object>() {
      private final StringBuilder text = new StringBuilder();
      private Object last = Json.INCOMPLETE;
      private Object pending = Json.INCOMPLETE;

      @Override
      public boolean hasNext() {
        while (pending == Json.INCOMPLETE) {
          if (!in.hasNext()) {
            return false;
          }
          text.append(StrOutputParser.text(in.next()));
          Object v;
          try {
            v = Json.parsePartial(text.toString());
          } catch (IllegalArgumentException e) {
            continue; // may become valid with more text; invoke reports it at the end
          }
          if (v != Json.INCOMPLETE && !Objects.equals(v, last)) {
            last = v;
            pending = v;
          }
        }
        return true;
      }

      @Override
      public Object next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Object v = pending;
        pending = Json.INCOMPLETE;
        return v;
      }

      @Override
      public void close() {
        in.close();
      }
    });
  }
}
