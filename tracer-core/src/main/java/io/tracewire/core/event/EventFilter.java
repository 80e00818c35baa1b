package io.tracewire.core.event;

import io.tracewire.core.Tracewire;

import java.util.List;
import java.util.Set;

/**
 * Which events a {@code streamEvents} call passes on, with LangChain's rules: include lists are
 * OR-ed, excludes then win; a {@code null} list is "not given", which differs from an empty list
 * (an empty include list lets nothing through). Types match the run type, or for custom events
 * the custom event's name; tags match any of the event's tags, inherited ones included.
 *
 * <p>{@code includeExtensionEvents} adds the Tracewire-only events ({@code on_<type>_error} for
 * runs other than tools, {@code on_<type>_cancel}); LangChain-exact streams leave it off.
 * Immutable.
 */
public record EventFilter(
    Set<String> includeNames,
    Set<String> includeTypes,
    Set<String> includeTags,
    Set<String> excludeNames,
    Set<String> excludeTypes,
    Set<String> excludeTags,
    boolean includeExtensionEvents) {

  /** Lets every LangChain event through (and no extension events). */
  public static final EventFilter ALL = new EventFilter(null, null, null, null, null, null, false);

  public EventFilter {
    includeNames = copy(includeNames);
    includeTypes = copy(includeTypes);
    includeTags = copy(includeTags);
    excludeNames = copy(excludeNames);
    excludeTypes = copy(excludeTypes);
    excludeTags = copy(excludeTags);
  }

  private static Set<String> copy(Set<String> s) {
    return s == null ? null : Set.copyOf(s);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether the event passes ({@code typeOrName} is the run type, or the custom event's name). */
  public boolean test(String name, String typeOrName, List<String> tags) {
    boolean include = includeNames == null && includeTypes == null && includeTags == null;
    if (includeNames != null) {
      include = include || includeNames.contains(name);
    }
    if (includeTypes != null) {
      include = include || includeTypes.contains(typeOrName);
    }
    if (includeTags != null && !include) {
      for (String t : tags) {
        if (includeTags.contains(t)) {
          include = true;
          break;
        }
      }
    }
    if (excludeNames != null) {
      include = include && !excludeNames.contains(name);
    }
    if (excludeTypes != null) {
      include = include && !excludeTypes.contains(typeOrName);
    }
    if (excludeTags != null && include) {
      for (String t : tags) {
        if (excludeTags.contains(t)) {
          return false;
        }
      }
    }
    return include;
  }

  /** Whether the event passes this filter. */
  public boolean test(StreamEvent e) {
    if (e.isExtension() && !includeExtensionEvents) {
      return false;
    }
    if (includeNames == null && includeTypes == null && includeTags == null && excludeNames == null
        && excludeTypes == null && excludeTags == null) {
      return true;
    }
    RunType type = e.runType();
    return test(e.name(), e.isCustom() || type == null ? e.name() : type.name(), e.tags());
  }

  /** Builder; each setter replaces its list. */
  public static final class Builder {
    private Set<String> includeNames;
    private Set<String> includeTypes;
    private Set<String> includeTags;
    private Set<String> excludeNames;
    private Set<String> excludeTypes;
    private Set<String> excludeTags;
    private boolean extensions;

    private Builder() {}

    public Builder includeNames(String... names) {
      includeNames = Set.of(names);
      return this;
    }

    public Builder includeTypes(String... types) {
      includeTypes = Set.of(types);
      return this;
    }

    public Builder includeTags(String... tags) {
      includeTags = Set.of(tags);
      return this;
    }

    public Builder excludeNames(String... names) {
      excludeNames = Set.of(names);
      return this;
    }

    public Builder excludeTypes(String... types) {
      excludeTypes = Set.of(types);
      return this;
    }

    public Builder excludeTags(String... tags) {
      excludeTags = Set.of(tags);
      return this;
    }

    /** Also pass Tracewire's extension events (errors of every run type, cancellations). */
    public Builder includeExtensionEvents(boolean include) {
      extensions = include;
      return this;
    }

    public EventFilter build() {
      return new EventFilter(includeNames, includeTypes, includeTags, excludeNames, excludeTypes, excludeTags, extensions);
    }
  }
}
