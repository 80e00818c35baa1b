package io.tracewire.core.prompt;

import io.tracewire.core.internal.Runs;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunType;
import io.tracewire.core.util.Frozen;
import io.tracewire.core.internal.RunNode;
import io.tracewire.core.runnable.Runnable;

import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.HumanMessage;
import io.tracewire.core.message.SystemMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A chat prompt: message templates with {@code {name}} placeholders and message-list
 * placeholders, formatted from a map into a {@link PromptValue.Chat} (a {@code prompt} run that
 * never streams). The template's own tags and metadata are inherited by the runs after it in
 * the same call tree, as in LangChain. Immutable.
 */
public final class ChatPromptTemplate extends Runnable<Map<String, Object>, PromptValue> {
  /** One entry of a chat template. */
  public sealed interface Part permits MessagePart, Placeholder {}

  /** A message with a text template; role is {@code system}, {@code human} or {@code ai}. */
  public record MessagePart(String role, String template) implements Part {
    public MessagePart {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(template, "template");
      if (!Set.of("system", "human", "user", "ai", "assistant").contains(role)) {
        throw new IllegalArgumentException("unknown message role '" + role + "'; use system, human or ai");
      }
      Templates.variables(template);
    }
  }

  /** Inserts the message list found under {@code variable}. */
  public record Placeholder(String variable, boolean optional) implements Part {
    public Placeholder {
      Objects.requireNonNull(variable, "variable");
    }
  }

  private final List<Part> parts;
  private final List<String> tags;
  private final Map<String, Object> metadata;

  private ChatPromptTemplate(String name, List<Part> parts, List<String> tags, Map<String, Object> metadata) {
    super(name);
    this.parts = List.copyOf(parts);
    this.tags = List.copyOf(tags);
    this.metadata = Frozen.map(metadata);
  }

  public static ChatPromptTemplate of(Part... parts) {
    return new ChatPromptTemplate(null, List.of(parts), List.of(), Map.of());
  }

  public static MessagePart system(String template) {
    return new MessagePart("system", template);
  }

  public static MessagePart human(String template) {
    return new MessagePart("human", template);
  }

  public static MessagePart ai(String template) {
    return new MessagePart("ai", template);
  }

  public static Placeholder placeholder(String variable) {
    return new Placeholder(variable, false);
  }

  /** A copy whose runs (and the runs after them) carry these tags and metadata. */
  public ChatPromptTemplate withTemplateTagsAndMetadata(List<String> newTags, Map<String, Object> newMetadata) {
    return new ChatPromptTemplate(super.name().equals(defaultName()) ? null : super.name(), parts, newTags, newMetadata);
  }

  /** The names of the variables the template needs. */
  public Set<String> inputVariables() {
    Set<String> vars = new TreeSet<>();
    for (Part p : parts) {
      if (p instanceof MessagePart m) {
        vars.addAll(Templates.variables(m.template()));
      } else if (p instanceof Placeholder ph && !ph.optional()) {
        vars.add(ph.variable());
      }
    }
    return vars;
  }

  /** Formats without a run. */
  public PromptValue.Chat format(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    List<BaseMessage> out = new ArrayList<>();
    for (Part p : parts) {
      if (p instanceof MessagePart m) {
        String text = Templates.format(m.template(), values);
        switch (m.role()) {
          case "system" -> out.add(new SystemMessage(text));
          case "human", "user" -> out.add(new HumanMessage(text));
          default -> out.add(new AIMessage(text));
        }
      } else if (p instanceof Placeholder ph) {
        Object v = values.get(ph.variable());
        if (v == null) {
          if (!ph.optional()) {
            throw new IllegalArgumentException("missing messages for placeholder '" + ph.variable() + "'");
          }
        } else if (v instanceof List<?> l) {
          for (Object o : l) {
            if (!(o instanceof BaseMessage bm)) {
              throw new IllegalArgumentException("placeholder '" + ph.variable() + "' needs messages, got " + o);
            }
            out.add(bm);
          }
        } else {
          throw new IllegalArgumentException("placeholder '" + ph.variable() + "' needs a list of messages");
        }
      }
    }
    return new PromptValue.Chat(out);
  }

  @Override
  protected String defaultName() {
    return "ChatPromptTemplate";
  }

  @Override
  public PromptValue invoke(Map<String, Object> input, RunConfig config) {
    RunNode.Spec spec = Runs.spec(RunType.PROMPT, name());
    spec.inheritableExtraTags = tags;
    spec.inheritableExtraMetadata = metadata;
    return Runs.call(input, config, spec, (in, child, node) -> format(in));
  }
}
