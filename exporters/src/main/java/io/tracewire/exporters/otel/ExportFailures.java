package io.tracewire.exporters.otel;

import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * How Tracewire's OTLP paths report export failures: the first one of each kind on one
 * {@code java.util.logging} line naming the cause chain (a stack trace only while the logger is
 * at {@code FINE}), the rest counted. Also keeps the SDK's OTLP exporters, when Tracewire built
 * them, from logging a SEVERE stack trace per failed request ({@link #quietSdkExporterLogs()}).
 * Stateless apart from the one-time logger setup; thread-safe.
 */
final class ExportFailures {
  /** The loggers of the SDK's OTLP/HTTP and OTLP/gRPC exporters (1.68: one static logger per class). */
  static final String[] SDK_EXPORTER_LOGGERS = {
      "io.opentelemetry.exporter.otlp.internal.HttpExporter",
      "io.opentelemetry.exporter.otlp.internal.GrpcExporter"};

  /** Held so that the configured loggers are not collected (java.util.logging keeps loggers weakly). */
  private static final Logger[] QUIETED = new Logger[SDK_EXPORTER_LOGGERS.length];

  private ExportFailures() {}

  /** {@code Class: message} of a throwable and of each of its causes, on one line (at most 8 deep). */
  static String causes(Throwable t) {
    if (t == null) {
      return "no cause given";
    }
    StringBuilder sb = new StringBuilder();
    String previous = "";
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      String one = m == null || m.isBlank() ? t.getClass().getName()
          : t.getClass().getName() + ": " + m.replace('\n', ' ').replace('\r', ' ');
      if (previous.contains(one)) {
        continue; // a wrapper whose message already names this cause
      }
      if (sb.length() > 0) {
        sb.append("; caused by ");
      }
      sb.append(one);
      previous = one;
    }
    return sb.toString();
  }


  /** Logs {@code message: causes} on one line at {@code level}, with the stack trace only while {@code log} is at FINE. */
  static void log(Logger log, Level level, String message, Throwable cause) {
    String line = message + ": " + causes(cause);
    if (cause != null && log.isLoggable(Level.FINE)) {
      log.log(level, line, cause);
    } else {
      log.log(level, line);
    }
  }

  /**
   * Called when Tracewire builds OTLP exporters itself (a standalone bridge, a log sink without
   * {@code exporter(...)}): the SDK exporters' "Failed to export ..." records above FINE (and
   * their throttling notice, "Too many log messages detected ...") are
   * filtered out, because Tracewire counts every failed export and logs the first one on a line of
   * its own. Only a logger the application has not configured is touched (no level and no filter
   * of its own); while that logger is at FINE (debugging the exporter) everything passes. Other
   * SDK messages always pass. Idempotent.
   */
  static synchronized void quietSdkExporterLogs() {
    for (int i = 0; i < SDK_EXPORTER_LOGGERS.length; i++) {
      if (QUIETED[i] != null) {
        continue;
      }
      Logger l = Logger.getLogger(SDK_EXPORTER_LOGGERS[i]);
      if (l.getLevel() != null || l.getFilter() != null) {
        continue;
      }
      l.setFilter(new CountedElsewhere(l));
      QUIETED[i] = l;
    }
  }

  /** Drops the SDK exporter's own export-failure records unless its logger is at FINE. */
  private static final class CountedElsewhere implements Filter {
    private final Logger logger;

    CountedElsewhere(Logger logger) {
      this.logger = logger;
    }

    @Override
    public boolean isLoggable(LogRecord r) {
      if (r.getLevel().intValue() <= Level.FINE.intValue() || logger.isLoggable(Level.FINE)) {
        return true;
      }
      String m = r.getMessage();
      // the second is the SDK's throttling notice about the first
      return m == null || !(m.startsWith("Failed to export") || m.startsWith("Too many log messages detected"));
    }
  }
}
