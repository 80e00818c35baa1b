package io.tracewire.core.parser;

import io.tracewire.core.internal.Runs;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunType;
import io.tracewire.core.model.Generation;
import io.tracewire.core.model.GenerationChunk;
import io.tracewire.core.runnable.Runnable;

import io.tracewire.core.message.BaseMessage;
import java.util.Iterator;

/**
 * Turns model output into its text (a {@code parser} run): a message's text content, a
 * generation's text, or a string as is. Given streamed input ({@link #transform}, as in a
 * sequence after a model), it yields the text of each chunk as it arrives; {@link #stream} of one
 * value is an {@code invoke} yielding one item, so a parser at the root of {@code streamEvents}
 * emits start and end but no stream event, as in LangChain. Stateless and thread-safe.
 */
public final class StrOutputParser extends Runnable<Object, String> {
  public StrOutputParser() {
    super(null);
  }

  @Override
  protected String defaultName() {
    return "StrOutputParser";
  }

  static String text(Object o) {
    if (o instanceof String s) {
      return s;
    }
    if (o instanceof BaseMessage m) {
      return m.text();
    }
    if (o instanceof GenerationChunk g) {
      return g.text();
    }
    if (o instanceof Generation g) {
      return g.text();
    }
    throw new IllegalArgumentException("StrOutputParser cannot parse " + (o == null ? "null" : o.getClass().getName()));
  }

  @Override
  public String invoke(Object input, RunConfig config) {
    return Runs.call(input, config, Runs.spec(RunType.PARSER, name()), (in, child, node) -> text(in));
  }

  // stream(...) is Runnable's default, invoke as one chunk: LangChain's parsers only transform, so a
  // parser streamed on its own (at the root, or inside a function) has no stream event

  @Override
  public CloseableIterator<String> transform(Iterator<?> input, RunConfig config) {
    return Runs.transform(input, config, Runs.spec(RunType.PARSER, name()), (in, node, child) -> new CloseableIterator<String>() {
      @Override
      public boolean hasNext() {
        return in.hasNext();
      }

      @Override
      public String next() {
        return text(in.next());
      }

      @Override
      public void close() {
        in.close();
      }
    });
  }
}
