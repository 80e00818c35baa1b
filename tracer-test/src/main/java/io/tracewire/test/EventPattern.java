package io.tracewire.test;

import io.tracewire.core.event.StreamEvent;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A pattern one event must match in {@link EventsAssert#containsSubsequence(EventPattern...)}:
 * an event name ({@code "*"} for any), optionally a run name, and further conditions. Immutable
 * and thread-safe; each {@code with...} method returns a new pattern.
 *
 * <p>The short string form {@code "on_chat_model_stream"} or {@code "on_chat_model_stream:model"}
 * (event, colon, run name) is accepted wherever patterns are.
 */
public final class EventPattern implements Predicate<StreamEvent> {
  private final String event;
  private final String name;
  private final String description;
  private final Predicate<StreamEvent> extra;

  private EventPattern(String event, String name, String description, Predicate<StreamEvent> extra) {
    this.event = event;
    this.name = name;
    this.description = description;
    this.extra = extra;
  }

  /** Any event named {@code event} ({@code "*"} for any event). */
  public static EventPattern of(String event) {
    return new EventPattern(Objects.requireNonNull(event, "event"), null, null, null);
  }

  /** An event named {@code event} of the run (or custom event) named {@code name}. */
  public static EventPattern of(String event, String name) {
    return new EventPattern(Objects.requireNonNull(event, "event"), Objects.requireNonNull(name, "name"), null, null);
  }

  /** Parses {@code "event"} or {@code "event:name"}. */
  public static EventPattern parse(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    int colon = pattern.indexOf(':');
    return colon < 0 ? of(pattern) : of(pattern.substring(0, colon), pattern.substring(colon + 1));
  }

  /** This pattern, further requiring the event's tags to contain {@code tag}. */
  public EventPattern withTag(String tag) {
    Objects.requireNonNull(tag, "tag");
    return with("tag " + tag, e -> e.tags().contains(tag));
  }

  /** This pattern, further requiring {@code data} to map {@code key} to a value equal to {@code value}. */
  public EventPattern withData(String key, Object value) {
    Objects.requireNonNull(key, "key");
    return with(key + "=" + Events.abbreviate(value, 30), e -> e.hasData(key) && Objects.equals(e.dataValue(key), value));
  }

  /** This pattern, further requiring the chunk text of a stream event to be {@code text}. */
  public EventPattern withChunkText(String text) {
    Objects.requireNonNull(text, "text");
    return with("chunk \"" + text + "\"", e -> text.equals(Events.chunkText(e.dataValue("chunk"))));
  }

  /** This pattern, further requiring {@code condition}, shown as {@code description} in failure messages. */
  public EventPattern with(String description, Predicate<StreamEvent> condition) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(condition, "condition");
    Predicate<StreamEvent> combined = extra == null ? condition : extra.and(condition);
    String d = this.description == null ? description : this.description + ", " + description;
    return new EventPattern(event, name, d, combined);
  }

  @Override
  public boolean test(StreamEvent e) {
    return ("*".equals(event) || event.equals(e.event()))
        && (name == null || name.equals(e.name()))
        && (extra == null || extra.test(e));
  }

  @Override
  public String toString() {
    return event + (name == null ? "" : ":" + name) + (description == null ? "" : " [" + description + "]");
  }
}
