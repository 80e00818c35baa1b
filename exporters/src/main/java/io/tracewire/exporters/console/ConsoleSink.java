package io.tracewire.exporters.console;

import io.tracewire.core.sink.EventSink;
import io.tracewire.core.model.GenerationChunk;
import io.tracewire.core.model.LLMResult;
import io.tracewire.core.event.RunType;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.InputTokenDetails;
import io.tracewire.core.message.UsageMetadata;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A live, human view of runs on a console, after LangChain's streaming guide: chat-model and LLM
 * tokens are printed as they arrive, each followed by a delimiter ({@code "|"} by default:
 * {@code Here| is| a| song|}), inside a compact run tree: one line when a run starts and one when
 * it ends, with its duration, the time to its first chunk and its token usage, indented by depth.
 *
 * <pre>
 * ▶ chain RunnableSequence
 *   ▶ chat_model ChatAnthropic
 *   Here| is| a| song|
 *   ✔ chat_model ChatAnthropic 1.52 s · first chunk 312 ms · tokens 21 in (cache read 0) / 35 out / 56 total
 * ✔ chain RunnableSequence 1.60 s
 * </pre>
 *
 * <p>Concurrent runs stay readable: a token line belongs to one run; when tokens of another run
 * arrive, the line is ended and the new line starts with that run's name and short id
 * ({@code ChatAnthropic·0193a1b2› }). Errors end with {@code ✖} and the error's type and message,
 * cancelled runs with {@code ⊘}.
 *
 * <p>Names, run ids, tokens and error messages are untrusted: they are printed through
 * {@link TerminalText} so that control characters in them show as escapes ({@code \e[2J}) instead
 * of acting on the terminal; tokens keep their line feeds and tabs. Runs deeper than 20 levels
 * are indented like level 20, after a {@code [depth N] } marker, so a line's width does not grow
 * with the depth.
 *
 * <p>ANSI colour is used only when the output is a terminal ({@code System.console() != null}),
 * unless {@link Builder#color(boolean)} says otherwise. Install it on an {@code EventBus}; it asks
 * chat models to stream tokens even when they are invoked ({@link #streamsTokens()}). Threading:
 * called by one bus worker; prints each batch with one write and flushes.
 */
public final class ConsoleSink implements EventSink {
  /** The default token delimiter, as in LangChain's guide. */
  public static final String DEFAULT_DELIMITER = "|";
  private static final int MAX_TRACKED_RUNS = 10_000;
  /** Runs deeper than this (a root is at depth 0) are not indented further but marked with their depth. */
  private static final int MAX_INDENT_DEPTH = 20;

  private static final String RESET = "\u001b[0m";
  private static final String DIM = "\u001b[2m";
  private static final String GREEN = "\u001b[32m";
  private static final String RED = "\u001b[31m";
  private static final String YELLOW = "\u001b[33m";
  private static final String CYAN = "\u001b[36m";
  private static final String BOLD = "\u001b[1m";

  private final PrintStream out;
  private final String delimiter;
  private final boolean color;
  private final boolean tree;
  private final StringBuilder sb = new StringBuilder(4096);
  private final Map<String, RunState> runs = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, RunState> eldest) {
      return size() > MAX_TRACKED_RUNS;
    }
  };
  /** The run whose tokens the current (unterminated) line holds, or null when at a line start. */
  private String tokenLineRun;
  /** The run whose start line was printed last (its tokens need no prefix). */
  private String lastStartRun;

  private static final class RunState {
    final long startNanos;
    long firstChunkNanos = -1;
    UsageMetadata usage;

    RunState(long startNanos) {
      this.startNanos = startNanos;
    }
  }

  private ConsoleSink(Builder b) {
    this.out = b.out;
    this.delimiter = b.delimiter;
    this.color = b.color != null ? b.color : System.console() != null;
    this.tree = b.tree;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether this sink writes ANSI colour codes. */
  public boolean color() {
    return color;
  }

  @Override
  public boolean streamsTokens() {
    return true;
  }

  @Override
  public void export(List<StreamEvent> batch) {
    sb.setLength(0);
    for (StreamEvent e : batch) {
      handle(e);
    }
    if (sb.length() > 0) {
      out.print(sb);
      out.flush();
    }
  }

  @Override
  public void flush() {
    out.flush();
  }

  @Override
  public void close() {
    if (tokenLineRun != null) {
      out.println();
      tokenLineRun = null;
    }
    out.flush();
  }

  private void handle(StreamEvent e) {
    if (e.isCustom()) {
      return;
    }
    RunType type = e.runType();
    if (type == null) {
      return;
    }
    String ev = e.event();
    if (ev.equals(type.startEvent())) {
      runs.put(e.runId(), new RunState(e.timestampNanos()));
      if (tree) {
        endTokenLine();
        indent(e);
        paint(DIM, "▶ ");
        sb.append(type.name()).append(' ');
        paint(BOLD, TerminalText.escape(e.name()));
        sb.append('\n');
        lastStartRun = e.runId();
      }
    } else if (ev.equals(type.streamEvent())) {
      onStream(e, type);
    } else if (ev.equals(type.endEvent())) {
      finish(e, type, GREEN, "✔ ", null);
    } else if (ev.equals(type.errorEvent())) {
      Object err = e.dataValue("error");
      finish(e, type, RED, "✖ ", err == null ? "error" : TerminalText.escape(describe(err)));
    } else if (ev.equals(type.cancelEvent())) {
      finish(e, type, YELLOW, "⊘ ", "cancelled");
    }
  }

  private void onStream(StreamEvent e, RunType type) {
    if (type != RunType.CHAT_MODEL && type != RunType.LLM) {
      return;
    }
    Object chunk = e.dataValue("chunk");
    RunState st = runs.get(e.runId());
    if (st != null) {
      if (st.firstChunkNanos < 0) {
        st.firstChunkNanos = e.timestampNanos();
      }
      if (chunk instanceof io.tracewire.core.message.AIMessageChunk c && c.usageMetadata() != null) {
        st.usage = UsageMetadata.add(st.usage, c.usageMetadata());
      }
    }
    String text;
    if (chunk instanceof BaseMessage m) {
      text = m.text();
    } else if (chunk instanceof GenerationChunk g) {
      text = g.text();
    } else if (chunk instanceof String s) {
      text = s;
    } else {
      return;
    }
    if (!e.runId().equals(tokenLineRun)) {
      endTokenLine();
      indent(e);
      if (!e.runId().equals(lastStartRun)) {
        paint(CYAN, TerminalText.escape(e.name()) + "·" + TerminalText.escape(shortId(e.runId())) + "› ");
      }
      tokenLineRun = e.runId();
      lastStartRun = null;
    }
    sb.append(TerminalText.escapeMultiline(text));
    paint(DIM, delimiter);
  }

  private void finish(StreamEvent e, RunType type, String colour, String mark, String problem) {
    RunState st = runs.remove(e.runId());
    if (!tree) {
      if (e.runId().equals(tokenLineRun)) {
        endTokenLine();
      }
      return;
    }
    endTokenLine();
    lastStartRun = null;
    indent(e);
    paint(colour, mark);
    sb.append(type.name()).append(' ');
    paint(BOLD, TerminalText.escape(e.name()));
    if (st != null) {
      sb.append(' ').append(duration(e.timestampNanos() - st.startNanos));
      if (st.firstChunkNanos >= 0) {
        sb.append(" · first chunk ").append(duration(st.firstChunkNanos - st.startNanos));
      }
    }
    UsageMetadata usage = usageOf(e.dataValue("output"));
    if (usage == null && st != null) {
      usage = st.usage;
    }
    if (usage != null) {
      sb.append(" · tokens ").append(usage.inputTokens()).append(" in");
      InputTokenDetails d = usage.inputTokenDetails();
      if (d != null && (d.cacheRead() != null || d.cacheCreation() != null)) {
        sb.append(" (");
        if (d.cacheRead() != null) {
          sb.append("cache read ").append(d.cacheRead());
        }
        if (d.cacheCreation() != null) {
          sb.append(d.cacheRead() != null ? ", " : "").append("cache write ").append(d.cacheCreation());
        }
        sb.append(')');
      }
      sb.append(" / ").append(usage.outputTokens()).append(" out / ").append(usage.totalTokens()).append(" total");
    }
    if (problem != null) {
      sb.append(' ');
      paint(colour, problem);
    }
    sb.append('\n');
  }

  private static UsageMetadata usageOf(Object output) {
    if (output instanceof AIMessage m) {
      return m.usageMetadata();
    }
    if (output instanceof io.tracewire.core.message.AIMessageChunk c) {
      return c.usageMetadata();
    }
    if (output instanceof LLMResult r && r.llmOutput() != null && r.llmOutput().get("usage_metadata") instanceof UsageMetadata u) {
      return u;
    }
    return null;
  }

  private static String describe(Object err) {
    if (err instanceof Throwable t) {
      return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
    if (err instanceof io.tracewire.exporters.jsonl.ErrorValue ev) {
      return ev.type().substring(ev.type().lastIndexOf('.') + 1) + ": " + ev.message();
    }
    if (err instanceof Map<?, ?> m && m.get("type") != null) {
      return m.get("type") + ": " + m.get("message");
    }
    return String.valueOf(err);
  }

  private void endTokenLine() {
    if (tokenLineRun != null) {
      sb.append('\n');
      tokenLineRun = null;
    }
  }

  private void indent(StreamEvent e) {
    int depth = e.parentIds().size();
    for (int i = Math.min(depth, MAX_INDENT_DEPTH); i > 0; i--) {
      sb.append("  ");
    }
    if (depth > MAX_INDENT_DEPTH) {
      sb.append("[depth ").append(depth).append("] ");
    }
  }

  private void paint(String code, String text) {
    if (color) {
      sb.append(code).append(text).append(RESET);
    } else {
      sb.append(text);
    }
  }

  private static String shortId(String runId) {
    return runId.length() > 8 ? runId.substring(0, 8) : runId;
  }

  static String duration(long nanos) {
    if (nanos < 0) {
      nanos = 0;
    }
    if (nanos < 1_000_000L) {
      return String.format(Locale.ROOT, "%d µs", nanos / 1_000);
    }
    if (nanos < 1_000_000_000L) {
      return String.format(Locale.ROOT, "%d ms", nanos / 1_000_000);
    }
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  /** Configures a {@link ConsoleSink}. Not thread-safe. */
  public static final class Builder {
    private PrintStream out = System.out;
    private String delimiter = DEFAULT_DELIMITER;
    private Boolean color;
    private boolean tree = true;

    private Builder() {}

    /** Where to print; {@code System.out} by default. */
    public Builder out(PrintStream out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    /** Printed after every token; {@value ConsoleSink#DEFAULT_DELIMITER} by default, may be empty. */
    public Builder delimiter(String delimiter) {
      this.delimiter = Objects.requireNonNull(delimiter, "delimiter");
      return this;
    }

    /** Forces ANSI colour on or off; by default on only when {@code System.console() != null}. */
    public Builder color(boolean enabled) {
      this.color = enabled;
      return this;
    }

    /** Whether to print run start and end lines (default) or only the tokens. */
    public Builder tree(boolean enabled) {
      this.tree = enabled;
      return this;
    }

    public ConsoleSink build() {
      return new ConsoleSink(this);
    }
  }
}
