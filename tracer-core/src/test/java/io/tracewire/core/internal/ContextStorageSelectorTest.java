package io.tracewire.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.RunConfig;
import io.tracewire.core.context.RunContextStorage;
import java.lang.reflect.InvocationTargetException;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import org.junit.jupiter.api.Test;

/** How the run-context storage is chosen: property first, then the first provider that loads, else the thread-local. */
class ContextStorageSelectorTest {
  /** A provider that works. */
  public static final class GoodStorage implements RunContextStorage {
    @Override
    public String name() {
      return "good";
    }

    @Override
    public RunConfig current() {
      return null;
    }

    @Override
    public Object attach(RunConfig config) {
      return this;
    }

    @Override
    public void restore(Object token) {}
  }

  /** A provider whose dependencies are missing. */
  public static final class BrokenStorage implements RunContextStorage {
    public BrokenStorage() {
      throw new NoClassDefFoundError("io/opentelemetry/context/Context");
    }

    @Override
    public String name() {
      return "broken";
    }

    @Override
    public RunConfig current() {
      return null;
    }

    @Override
    public Object attach(RunConfig config) {
      return this;
    }

    @Override
    public void restore(Object token) {}
  }

  /** What ServiceLoader's iterator does: instantiates in next(), a failure is a ServiceConfigurationError. */
  private static Iterator<RunContextStorage> providers(Class<?>... classes) {
    Iterator<Class<?>> names = List.of(classes).iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return names.hasNext();
      }

      @Override
      public RunContextStorage next() {
        Class<?> c = names.next();
        try {
          return (RunContextStorage) c.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
          throw new ServiceConfigurationError(RunContextStorage.class.getName() + ": Provider " + c.getName()
              + " could not be instantiated", e instanceof InvocationTargetException i ? i.getCause() : e);
        }
      }
    };
  }

  private static RunContextStorage select(String wanted, Iterator<RunContextStorage> providers) {
    String w = wanted == null ? null : wanted.trim();
    if (w != null && w.equals(RunContextStorage.THREAD_LOCAL)) {
      return ContextStorageSelector.select(w, ContextStorageSelectorTest.class.getClassLoader());
    }
    return ContextStorageSelector.select(w, providers, ContextStorageSelectorTest.class.getClassLoader());
  }

  @Test
  void withoutProviderTheThreadLocalIsUsed() {
    assertThat(select(null, providers())).isNull();
    assertThat(CurrentRun.storageName()).isEqualTo(RunContextStorage.THREAD_LOCAL);
  }

  @Test
  void theFirstProviderThatLoadsWins() {
    assertThat(select(null, providers(BrokenStorage.class, GoodStorage.class)))
        .isInstanceOf(GoodStorage.class);
  }

  @Test
  void aProviderThatFailsFallsBackToTheThreadLocal() {
    assertThat(select(null, providers(BrokenStorage.class))).isNull();
    assertThat(select("broken", providers(BrokenStorage.class))).isNull();
  }

  @Test
  void thePropertyChoosesByNameOrClassOrThreadLocal() {
    assertThat(select("threadlocal", providers(GoodStorage.class))).isNull();
    assertThat(select(" good ", providers(GoodStorage.class))).isInstanceOf(GoodStorage.class);
    assertThat(select(GoodStorage.class.getName(), providers(GoodStorage.class))).isInstanceOf(GoodStorage.class);
    assertThat(select(GoodStorage.class.getName(), providers())).as("by class name without a service entry")
        .isInstanceOf(GoodStorage.class);
    assertThat(select("nope", providers(GoodStorage.class))).isNull();
    assertThat(select("com.example.Missing", providers(GoodStorage.class))).isNull();
  }
}
