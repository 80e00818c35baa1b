package io.tracewire.core;

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
    return callWithConfig(input, config, spec(RunType.PROMPT), (in, child, node) -> format(in));
  }

  List<String> parts() {
    return List.of(template);
  }
}
