package io.tracewire.core.model;

import io.tracewire.core.internal.CurrentRun;
import io.tracewire.core.internal.Runs;
import io.tracewire.core.CloseableIterator;
import io.tracewire.core.RunConfig;
import io.tracewire.core.RunContext;
import io.tracewire.core.event.RunType;
import io.tracewire.core.internal.Engine;
import io.tracewire.core.util.Frozen;
import io.tracewire.core.internal.LazyIterator;
import io.tracewire.core.internal.Py;
import io.tracewire.core.internal.RunNode;
import io.tracewire.core.prompt.PromptValue;
import io.tracewire.core.runnable.Runnable;

import io.tracewire.core.message.BaseMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The base of text-completion models (an {@code llm} run): a prompt string in, a string out.
 * Events carry {@code ls_*} metadata with {@code ls_model_type = "llm"}. LLMs do not stream when
 * invoked; {@link #stream} streams when {@link #supportsStreaming()}. Input is a string, a
 * {@link PromptValue} or a list of messages (rendered as {@code "Role: text"} lines).
 */
public abstract class BaseLLM extends Runnable<Object, String> {
  protected BaseLLM() {
    super(null);
  }

  protected BaseLLM(String name) {
    super(name);
  }

  /** The completion of one prompt. */
  protected abstract String call(String prompt, List<String> stop);

  protected boolean supportsStreaming() {
    return false;
  }

  /** The completion as chunks; only called when {@link #supportsStreaming()}. */
  protected CloseableIterator<GenerationChunk> streamText(String prompt, List<String> stop) {
    throw new IllegalStateException(getClass().getName() + " claims streaming support but does not stream");
  }

  /** The {@code ls_provider} value: the class name without the {@code LLM} suffix, lower-cased. */
  protected String lsProvider() {
    String n = getClass().getSimpleName();
    if (n.endsWith("LLM")) {
      n = n.substring(0, n.length() - 3);
    }
    return n.toLowerCase(Locale.ROOT);
  }

  static String toPrompt(Object input) {
    if (input instanceof String s) {
      return s;
    }
    if (input instanceof PromptValue p) {
      return p.toText();
    }
    if (input instanceof List<?> l) {
      return BaseMessage.bufferString(BaseChatModel.toMessages(l));
    }
    throw new IllegalArgumentException("LLM input must be a String, a PromptValue or a list of messages, got "
        + (input == null ? "null" : input.getClass().getName()));
  }

  @SuppressWarnings("unchecked")
  private RunNode start(RunConfig c, String prompt) {
    RunNode.Spec spec = Runs.spec(RunType.LLM, name());
    LinkedHashMap<String, Object> ls = new LinkedHashMap<>();
    ls.put("ls_provider", lsProvider());
    ls.put("ls_model_type", "llm");
    Object st = Runs.kwargs(c) == null ? null : Runs.kwargs(c).get("stop");
    if (!Py.falsy(st)) {
      ls.put("ls_stop", st);
    }
    spec.inheritableExtraMetadata = ls;
    spec.selfTapped = true;
    Map<String, Object> in = Frozen.of1("prompts", List.of(prompt));
    return RunNode.start(c, spec, null, in);
  }

  @SuppressWarnings("unchecked")
  private static List<String> stop(RunConfig c) {
    Object st = Runs.kwargs(c) == null ? null : Runs.kwargs(c).get("stop");
    return st instanceof String s ? List.of(s) : st instanceof List<?> l ? (List<String>) l : null;
  }

  @Override
  public String invoke(Object input, RunConfig config) {
    RunConfig c = Runs.ensure(config);
    String prompt = toPrompt(input);
    RunNode node = start(c, prompt);
    RunConfig child = Runs.child(c, node, null);
    String text;
    try {
      text = CurrentRun.with(child, () -> call(prompt, stop(c)));
    } catch (Throwable t) {
      node.error(t, Frozen.of2("error", t, "input", node.startInput));
      throw Engine.unchecked(t);
    }
    node.endWith(Frozen.of2("output", new LLMResult(List.of(List.of(new Generation(text))), null), "input", node.startInput));
    return text;
  }

  @Override
  public CloseableIterator<String> stream(Object input, RunConfig config) {
    if (!supportsStreaming()) {
      return super.stream(input, config);
    }
    RunConfig c = Runs.ensure(config);
    return new LazyIterator<>(() -> {
      String prompt = toPrompt(input);
      RunNode node = start(c, prompt);
      RunConfig child = Runs.child(c, node, null);
      CurrentRun.Binding pulls = new CurrentRun.Binding(child);
      CloseableIterator<GenerationChunk> chunks = pulls.with(() -> streamText(prompt, stop(c)));
      return new CloseableIterator<String>() {
        private GenerationChunk merged;
        private String pending;
        private boolean done;

        @Override
        public boolean hasNext() {
          if (pending != null) {
            return true;
          }
          if (done) {
            return false;
          }
          try {
            Object pulled = pulls.pull(chunks);
            if (pulled != CurrentRun.Binding.END) {
              GenerationChunk g = (GenerationChunk) pulled;
              merged = merged == null ? g : merged.add(g);
              node.emitStream(node.rootTapped ? g.text() : g);
              pending = g.text();
              return true;
            }
            done = true;
            chunks.close();
            Generation gen = new Generation(merged == null ? "" : merged.text(), merged == null ? null : merged.generationInfo());
            node.endWith(Frozen.of2("output", new LLMResult(List.of(List.of(gen)), null), "input", node.startInput));
            return false;
          } catch (Throwable t) {
            done = true;
            chunks.close();
            node.error(t, Frozen.of3("error", t, "output", merged, "input", node.startInput));
            throw Engine.unchecked(t);
          }
        }

        @Override
        public String next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          String p = pending;
          pending = null;
          return p;
        }

        @Override
        public void close() {
          if (!done) {
            done = true;
            node.cancel();
          }
          chunks.close();
        }
      };
    });
  }
}
