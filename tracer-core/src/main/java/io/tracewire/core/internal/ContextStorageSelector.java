package io.tracewire.core.internal;

import io.tracewire.core.context.RunContextStorage;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Chooses the run-context storage once (see {@link RunContextStorage} for the rules). Never
 * throws: any failure falls back to the thread-local storage ({@code null}).
 */
final class ContextStorageSelector {
  private static final Logger LOG = Logger.getLogger(ContextStorageSelector.class.getName());

  private ContextStorageSelector() {}

  static RunContextStorage select() {
    String wanted;
    try {
      wanted = System.getProperty(RunContextStorage.PROPERTY);
    } catch (SecurityException e) {
      wanted = null;
    }
    try {
      Thread t = Thread.currentThread();
      ClassLoader tccl = t.getContextClassLoader();
      RunContextStorage s = select(wanted, tccl != null ? tccl : ContextStorageSelector.class.getClassLoader());
      if (s == null && tccl != null && tccl != ContextStorageSelector.class.getClassLoader()) {
        s = select(wanted, ContextStorageSelector.class.getClassLoader());
      }
      return s;
    } catch (Throwable e) {
      LOG.log(Level.WARNING, "Tracewire: choosing the run-context storage failed; using the thread-local one", e);
      return null;
    }
  }

  /**
   * The storage {@code wanted} names ({@code null}: the first that loads), from {@code loader}'s
   * providers; {@code null} for the thread-local storage.
   */
  static RunContextStorage select(String wanted, ClassLoader loader) {
    String w = wanted == null ? null : wanted.trim();
    if (w != null && (w.isEmpty() || w.equalsIgnoreCase(RunContextStorage.THREAD_LOCAL))) {
      return null;
    }
    return select(w, ServiceLoader.load(RunContextStorage.class, loader).iterator(), loader);
  }

  /** As {@link #select(String, ClassLoader)} over {@code it}, which may throw as ServiceLoader's does. */
  static RunContextStorage select(String w, Iterator<RunContextStorage> it, ClassLoader loader) {
    Level failLevel = w == null ? Level.FINE : Level.WARNING;
    while (true) {
      RunContextStorage s;
      try {
        if (!it.hasNext()) {
          break;
        }
        s = it.next();
      } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
        LOG.log(failLevel, "Tracewire: a run-context storage provider failed to load; skipped", e);
        continue;
      }
      if (w == null || w.equals(s.name()) || w.equals(s.getClass().getName())) {
        return s;
      }
    }
    if (w == null) {
      return null;
    }
    if (w.indexOf('.') > 0) {
      try {
        Class<?> c = Class.forName(w, true, loader);
        return (RunContextStorage) c.getConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        LOG.log(Level.WARNING, "Tracewire: run-context storage " + w + " could not be created; using the thread-local one", e);
        return null;
      }
    }
    LOG.warning("Tracewire: no run-context storage named " + w + " (" + RunContextStorage.PROPERTY + "); using the thread-local one");
    return null;
  }
}
