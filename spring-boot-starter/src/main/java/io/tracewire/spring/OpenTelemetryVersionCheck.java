package io.tracewire.spring;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Checks, before the OpenTelemetry bridge is built, that the application's OpenTelemetry Java SDK
 * is one the exporters run on: at least {@link #REQUIRED} and with the SDK's HTTP sender SPI.
 * Stateless; thread-safe.
 */
final class OpenTelemetryVersionCheck {
  /** The lowest supported release: the one tracewire-exporters is built and tested with. */
  static final String REQUIRED = "1.68.0";
  static final String SPI = "io.opentelemetry.sdk.common.export.HttpSenderProvider";
  private static final String VERSION_RESOURCE = "io/opentelemetry/sdk/common/version.properties";

  private OpenTelemetryVersionCheck() {}

  /** Throws {@link IncompatibleOpenTelemetryException} when the SDK seen by {@code loader} is too old. */
  static void require(ClassLoader loader) {
    String found = version(loader);
    boolean spi = present(loader, SPI);
    if (!spi || (found != null && compare(found, REQUIRED) < 0)) {
      throw new IncompatibleOpenTelemetryException(found != null ? found : "an unknown version without " + SPI,
          REQUIRED, null);
    }
  }

  /** The {@code sdk.version} of opentelemetry-sdk-common, or {@code null} when it cannot be read. */
  static String version(ClassLoader loader) {
    try (InputStream in = loader.getResourceAsStream(VERSION_RESOURCE)) {
      if (in == null) {
        return null;
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("sdk.version");
      return v == null || v.isBlank() ? null : v.trim();
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Compares dotted numeric versions ({@code 1.55.0} against {@code 1.68.0}); a suffix such as {@code -alpha} is ignored. */
  static int compare(String a, String b) {
    String[] x = a.split("[.-]");
    String[] y = b.split("[.-]");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int c = Integer.compare(number(x, i), number(y, i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int number(String[] parts, int i) {
    if (i >= parts.length) {
      return 0;
    }
    try {
      return Integer.parseInt(parts[i]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean present(ClassLoader loader, String name) {
    try {
      Class.forName(name, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
