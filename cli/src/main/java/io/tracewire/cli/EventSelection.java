package io.tracewire.cli;

import io.tracewire.core.event.StreamEvent;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The event filters of {@code tail} (a picocli mixin). All given filters must match. */
final class EventSelection {
  @Option(names = "--event", paramLabel = "NAME", description = "Only events with this name (repeatable), e.g. on_chat_model_stream.")
  List<String> events;

  @Option(names = "--type", paramLabel = "RUN_TYPE", description = "Only runs of this type (repeatable): chain, chat_model, llm, tool, retriever, prompt, parser.")
  List<String> types;

  @Option(names = "--name", paramLabel = "NAME", description = "Only runs with this name (repeatable).")
  List<String> names;

  @Option(names = "--tag", paramLabel = "TAG", description = "Only events carrying this tag (repeatable).")
  List<String> tags;

  @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Only events whose metadata has KEY equal to VALUE (repeatable).")
  Map<String, String> metadata;

  @Option(names = "--run", paramLabel = "RUN_ID", description = "Only this run and its descendants.")
  String runId;

  @Option(names = "--errors", description = "Only error events (on_*_error).")
  boolean errorsOnly;

  boolean matches(StreamEvent e) {
    if (events != null && !events.contains(e.event())) {
      return false;
    }
    if (types != null) {
      String t = e.isCustom() ? "custom" : e.runType() == null ? "?" : e.runType().name();
      if (!types.contains(t)) {
        return false;
      }
    }
    if (names != null && !names.contains(e.name())) {
      return false;
    }
    if (tags != null && e.tags().stream().noneMatch(tags::contains)) {
      return false;
    }
    if (metadata != null) {
      for (Map.Entry<String, String> m : metadata.entrySet()) {
        Object v = e.metadata().get(m.getKey());
        if (v == null || !String.valueOf(v).equals(m.getValue())) {
          return false;
        }
      }
    }
    if (runId != null && !e.runId().equals(runId) && !e.parentIds().contains(runId)) {
      return false;
    }
    return !errorsOnly || e.event().endsWith("_error");
  }
}
