package io.tracewire.core.event;

import io.tracewire.core.Tracewire;
import io.tracewire.core.util.Frozen;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One event of a run, with LangChain's {@code astream_events} v2 fields plus a process-wide
 * sequence number and a timestamp.
 *
 * <p>{@code data} is, for standard events, an immutable map whose keys are those LangChain sets
 * ({@code input}, {@code output}, {@code chunk}, {@code error}, {@code tool_call_id}): a missing
 * key and a key mapped to {@code null} are different, and both occur. For
 * {@code on_custom_event} it is the user's payload, of any type.
 *
 * <p>{@code seq} increases strictly across the process (gaps mean lost events);
 * {@code timestampNanos} is wall-clock epoch nanoseconds from a monotonic source. Neither takes
 * part in LangChain equality: use {@link #equalsIgnoringSequence}.
 *
 * <p>Immutable and thread-safe when the values inside {@code data} are.
 *
 * @param event {@code on_<run_type>_<start|stream|end>}, {@code on_tool_error},
 *     {@code on_custom_event}, or a Tracewire extension ({@code on_<run_type>_error},
 *     {@code on_<run_type>_cancel})
 * @param name the run's name, or the custom event's name
 * @param runId the run id in canonical lowercase UUID form
 * @param parentIds ancestor run ids, root first, immediate parent last
 * @param tags the run's tags
 * @param metadata the run's metadata, including {@code ls_*} keys for models and retrievers
 * @param data the event payload (see above)
 * @param seq process-wide sequence number
 * @param timestampNanos epoch nanoseconds
 */
public record StreamEvent(
    String event,
    String name,
    String runId,
    List<String> parentIds,
    List<String> tags,
    Map<String, Object> metadata,
    Object data,
    long seq,
    long timestampNanos) {

  /** The event name of custom events. */
  public static final String CUSTOM_EVENT = "on_custom_event";

  public StreamEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(runId, "runId");
    parentIds = List.copyOf(parentIds);
    tags = List.copyOf(tags);
    metadata = Frozen.map(metadata);
    if (data instanceof Map<?, ?> m && !CUSTOM_EVENT.equals(event)) {
      data = Frozen.map(m);
    }
  }

  /** The run type this event belongs to; {@code null} for custom events. */
  public RunType runType() {
    return RunType.ofEvent(event);
  }

  /** Whether this is an {@code on_custom_event}. */
  public boolean isCustom() {
    return CUSTOM_EVENT.equals(event);
  }

  /**
   * Whether this event is a Tracewire extension that LangChain's {@code astream_events} does
   * not emit: errors of runs other than tools, and cancellations.
   */
  public boolean isExtension() {
    return event.endsWith("_cancel") || (event.endsWith("_error") && !event.equals("on_tool_error"));
  }

  /** Whether {@code data} is a map holding {@code key} (possibly mapped to {@code null}). */
  public boolean hasData(String key) {
    return data instanceof Map<?, ?> m && m.containsKey(key);
  }

  /** The value under {@code key} in {@code data}, or {@code null}. */
  public Object dataValue(String key) {
    return data instanceof Map<?, ?> m ? m.get(key) : null;
  }

  /** A copy with other data. */
  public StreamEvent withData(Object newData) {
    return new StreamEvent(event, name, runId, parentIds, tags, metadata, newData, seq, timestampNanos);
  }

  /** Equality of the LangChain fields only ({@code seq} and {@code timestampNanos} ignored). */
  public boolean equalsIgnoringSequence(StreamEvent o) {
    return o != null
        && event.equals(o.event)
        && name.equals(o.name)
        && runId.equals(o.runId)
        && parentIds.equals(o.parentIds)
        && tags.equals(o.tags)
        && metadata.equals(o.metadata)
        && Objects.equals(data, o.data);
  }
}
