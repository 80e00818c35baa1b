package io.tracewire.dashboard;

import java.util.Locale;

/**
 * Filters of the root-run list; {@code null} fields match everything. {@code status} and
 * {@code name} apply to the root run ({@code name} as a case-insensitive substring), {@code type}
 * and {@code tag} to any run of the tree, and {@code text} matches a root id prefix or, case
 * insensitively, part of any run name or tag in the tree. Immutable.
 */
record RunQuery(String text, String tag, String type, String name, String status) {
  static final RunQuery ALL = new RunQuery(null, null, null, null, null);

  boolean matches(RunTree r) {
    StoredRun run = r.run;
    if (status != null && !StoredRun.STATUS[run.status].equals(status)) {
      return false;
    }
    if (name != null && !lower(run.name).contains(lower(name))) {
      return false;
    }
    if (type != null && !r.types.contains(type)) {
      return false;
    }
    if (tag != null && !r.tags.contains(tag)) {
      return false;
    }
    return text == null || matchesText(r, lower(text));
  }

  private static boolean matchesText(RunTree r, String t) {
    if (r.run.id.startsWith(t)) {
      return true;
    }
    for (StoredRun x : r.runs) {
      if (lower(x.name).contains(t)) {
        return true;
      }
    }
    for (String tag : r.tags) {
      if (lower(tag).contains(t)) {
        return true;
      }
    }
    return false;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
