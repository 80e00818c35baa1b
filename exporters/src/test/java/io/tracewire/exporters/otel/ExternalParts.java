package io.tracewire.exporters.otel;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The environment variables an end-to-end test needs from the services {@code .ci/run} starts.
 * When one is missing the test is skipped with a message saying what is missing, unless
 * {@code -Dtracewire.requireExternal=true} (CI), where that is a failure.
 */
final class ExternalParts {
  private ExternalParts() {}

  /**
   * The values of {@code names} by name.
   *
   * @param test the test's name, for the message
   * @param missing what is missing when a variable is unset, and how to start it
   */
  static Map<String, String> require(String test, String missing, String... names) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String n : names) {
      String v = System.getenv(n);
      if (v == null) {
        String msg = test + " skipped: " + String.join(", ", names) + " must be set (" + missing + ")";
        System.out.println(msg);
        if (Boolean.getBoolean("tracewire.requireExternal")) {
          throw new AssertionError(msg);
        }
        Assumptions.abort(msg);
      }
      values.put(n, v);
    }
    return values;
  }
}
