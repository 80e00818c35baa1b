package io.tracewire.core.event;

import io.tracewire.core.Tracewire;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The type of a run ({@code chain}, {@code chat_model}, {@code llm}, {@code tool},
 * {@code retriever}, {@code prompt}, {@code parser}, or any other name a component passes), with
 * its event names precomputed. Instances are interned: compare with {@code ==} or
 * {@link #equals}. Thread-safe.
 */
public final class RunType {
  private static final ConcurrentHashMap<String, RunType> TYPES = new ConcurrentHashMap<>();

  public static final RunType CHAIN = of("chain");
  public static final RunType CHAT_MODEL = of("chat_model");
  public static final RunType LLM = of("llm");
  public static final RunType TOOL = of("tool");
  public static final RunType RETRIEVER = of("retriever");
  public static final RunType PROMPT = of("prompt");
  public static final RunType PARSER = of("parser");

  private final String name;
  private final String startEvent;
  private final String streamEvent;
  private final String endEvent;
  private final String errorEvent;
  private final String cancelEvent;

  private RunType(String name) {
    this.name = name;
    this.startEvent = ("on_" + name + "_start").intern();
    this.streamEvent = ("on_" + name + "_stream").intern();
    this.endEvent = ("on_" + name + "_end").intern();
    this.errorEvent = ("on_" + name + "_error").intern();
    this.cancelEvent = ("on_" + name + "_cancel").intern();
  }

  /** The run type with this name, created on first use. */
  public static RunType of(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || !name.chars().allMatch(c -> c == '_' || Character.isLetterOrDigit(c))) {
      throw new IllegalArgumentException("run type must be a non-empty word of letters, digits and '_': " + name);
    }
    return TYPES.computeIfAbsent(name, RunType::new);
  }

  /** The run type an event name belongs to, or {@code null} for custom events and unknown names. */
  public static RunType ofEvent(String event) {
    if (!event.startsWith("on_") || event.equals(StreamEvent.CUSTOM_EVENT)) {
      return null;
    }
    int last = event.lastIndexOf('_');
    if (last <= 3) {
      return null;
    }
    return TYPES.get(event.substring(3, last));
  }

  public String name() {
    return name;
  }

  /** {@code on_<type>_start}. */
  public String startEvent() {
    return startEvent;
  }

  /** {@code on_<type>_stream}. */
  public String streamEvent() {
    return streamEvent;
  }

  /** {@code on_<type>_end}. */
  public String endEvent() {
    return endEvent;
  }

  /** {@code on_<type>_error}; only {@code on_tool_error} is a LangChain v2 event, the others are Tracewire extensions. */
  public String errorEvent() {
    return errorEvent;
  }

  /** {@code on_<type>_cancel}: a Tracewire extension, sent when a consumer stops a run early. */
  public String cancelEvent() {
    return cancelEvent;
  }

  @Override
  public String toString() {
    return name;
  }
}
