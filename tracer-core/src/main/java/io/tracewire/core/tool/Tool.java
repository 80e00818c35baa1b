package io.tracewire.core.tool;

import io.tracewire.core.internal.CurrentRun;
import io.tracewire.core.internal.Runs;
import io.tracewire.core.RunConfig;
import io.tracewire.core.RunContext;
import io.tracewire.core.event.RunType;
import io.tracewire.core.internal.Engine;
import io.tracewire.core.util.Frozen;
import io.tracewire.core.internal.PyJson;
import io.tracewire.core.internal.RunNode;
import io.tracewire.core.runnable.Runnable;

import io.tracewire.core.message.ToolCall;
import io.tracewire.core.message.ToolMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A tool a model can call (a {@code tool} run). Input is an argument map, a string (bound to the
 * only argument, or to {@code input}), or a tool call ({@link ToolCall}, or a map with
 * {@code "type": "tool_call"}), whose id becomes the run's {@code tool_call_id}: the output is
 * then a {@link ToolMessage}. A failure emits {@code on_tool_error} with the error, the input and
 * the tool call id, then propagates. Tools never stream. Immutable; thread-safe if the function is.
 */
public final class Tool extends Runnable<Object, Object> {
  private final String description;
  private final Map<String, Object> argsSchema;
  private final BiFunction<Map<String, Object>, RunConfig, Object> fn;
  private final List<String> tags;
  private final Map<String, Object> metadata;

  private Tool(Builder b) {
    super(b.name);
    this.description = b.description;
    this.argsSchema = Frozen.map(b.schema());
    this.fn = b.fn;
    this.tags = List.copyOf(b.tags);
    this.metadata = Frozen.map(b.metadata);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String description() {
    return description;
  }

  /** The arguments' JSON Schema ({@code {"type": "object", "properties": ..., "required": ...}}). */
  public Map<String, Object> argsSchema() {
    return argsSchema;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object invoke(Object input, RunConfig config) {
    RunConfig c = Runs.ensure(config);
    String toolCallId = null;
    Object rawArgs = input;
    if (input instanceof ToolCall tc) {
      rawArgs = tc.args();
      toolCallId = tc.id();
    } else if (input instanceof Map<?, ?> m && "tool_call".equals(m.get("type"))) {
      rawArgs = m.get("args");
      toolCallId = m.get("id") == null ? null : String.valueOf(m.get("id"));
    }
    Map<String, Object> eventInputs;
    Map<String, Object> args;
    if (rawArgs instanceof Map<?, ?> m) {
      args = Frozen.map((Map<String, Object>) m);
      eventInputs = args;
    } else if (rawArgs instanceof String s) {
      Map<String, Object> props = (Map<String, Object>) argsSchema.getOrDefault("properties", Map.of());
      args = Frozen.of1(props.size() == 1 ? props.keySet().iterator().next() : "input", s);
      eventInputs = null;
    } else {
      throw new IllegalArgumentException("tool " + name() + " takes a map of arguments, a string or a tool call, got "
          + (rawArgs == null ? "null" : rawArgs.getClass().getName()));
    }
    RunNode.Spec spec = Runs.spec(RunType.TOOL, name());
    spec.localTags = tags;
    spec.localMetadata = metadata;
    RunNode node = RunNode.start(c, spec, Frozen.of1("input", eventInputs == null ? Frozen.EMPTY : eventInputs), eventInputs);
    RunConfig child = Runs.child(c, node, null);
    Object result;
    try {
      checkRequired(args);
      result = CurrentRun.with(child, () -> fn.apply(args, child));
    } catch (Throwable t) {
      node.error(t, Frozen.of3("error", t, "input", eventInputs, "tool_call_id", toolCallId));
      throw Engine.unchecked(t);
    }
    Object output = result;
    if (toolCallId != null && !(result instanceof ToolMessage)) {
      Object content = result instanceof String || result instanceof List<?> ? result : PyJson.dumps(result);
      output = new ToolMessage(content, toolCallId, name(), "success", null);
    }
    node.endWith(Frozen.of2("output", output, "input", eventInputs));
    return output;
  }

  @SuppressWarnings("unchecked")
  private void checkRequired(Map<String, Object> args) {
    Object req = argsSchema.get("required");
    if (req instanceof List<?> l) {
      for (Object k : l) {
        if (!args.containsKey(k)) {
          throw new IllegalArgumentException("tool " + name() + ": missing required argument '" + k + "'");
        }
      }
    }
  }

  /** Builder. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private String description = "";
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();
    private Map<String, Object> schema;
    private BiFunction<Map<String, Object>, RunConfig, Object> fn;
    private List<String> tags = List.of();
    private Map<String, Object> metadata = Map.of();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** Declares a required argument of a JSON Schema type ({@code "string"}, {@code "integer"}, ...). */
    public Builder arg(String argName, String jsonType, String argDescription) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("type", Objects.requireNonNull(jsonType, "jsonType"));
      if (argDescription != null) {
        p.put("description", argDescription);
      }
      properties.put(Objects.requireNonNull(argName, "argName"), p);
      required.add(argName);
      return this;
    }

    /** Sets the whole argument schema (replaces {@link #arg} declarations). */
    public Builder argsSchema(Map<String, Object> jsonSchema) {
      this.schema = Objects.requireNonNull(jsonSchema, "jsonSchema");
      return this;
    }

    public Builder function(Function<Map<String, Object>, Object> function) {
      Objects.requireNonNull(function, "function");
      this.fn = (a, c) -> function.apply(a);
      return this;
    }

    /** A function that also receives the tool run's child config (for nested calls or custom events). */
    public Builder function(BiFunction<Map<String, Object>, RunConfig, Object> function) {
      this.fn = Objects.requireNonNull(function, "function");
      return this;
    }

    public Builder tags(String... tags) {
      this.tags = List.of(tags);
      return this;
    }

    public Builder metadata(Map<String, Object> metadata) {
      this.metadata = Objects.requireNonNull(metadata, "metadata");
      return this;
    }

    Map<String, Object> schema() {
      if (schema != null) {
        return schema;
      }
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("type", "object");
      s.put("properties", Frozen.map(properties));
      s.put("required", List.copyOf(required));
      return s;
    }

    public Tool build() {
      if (fn == null) {
        throw new IllegalStateException("tool " + name + " needs a function");
      }
      return new Tool(this);
    }
  }
}
