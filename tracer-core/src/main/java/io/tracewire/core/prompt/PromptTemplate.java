package io.tracewire.core.prompt;

import io.tracewire.core.internal.Runs;
import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunType;
import io.tracewire.core.runnable.Runnable;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** A text prompt with {@code {name}} placeholders (a {@code prompt} run producing {@link PromptValue.Text}). Immutable. */
public final class PromptTemplate extends Runnable<Map<String, Object>, PromptValue> {
  private final String template;

  private PromptTemplate(String template) {
    super(null);
    this.template = Objects.requireNonNull(template, "template");
    Templates.variables(template);
  }

  public static PromptTemplate of(String template) {
    return new PromptTemplate(template);
  }

  public Set<String> inputVariables() {
    return Templates.variables(template);
  }

  public PromptValue.Text format(Map<String, ?> values) {
    return new PromptValue.Text(Templates.format(template, values));
  }

  @Override
  protected String defaultName() {
    return "PromptTemplate";
  }

  @Override
  public PromptValue invoke(Map<String, Object> input, RunConfig config) {
    return Runs.call(input, config, Runs.spec(RunType.PROMPT, name()), (in, child, node) -> format(in));
  }

  List<String> parts() {
    return List.of(template);
  }
}
