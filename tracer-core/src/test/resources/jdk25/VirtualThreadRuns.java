import io.tracewire.core.RunContext;
import io.tracewire.core.Tracewire;
import io.tracewire.core.event.RunListener;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.runnable.Runnable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.StructuredTaskScope;

/**
 * Run by VirtualThreadContextIT on JDK 25 (with --enable-preview for StructuredTaskScope). Each
 * scenario is a parent run whose body starts a child run on a virtual thread; prints one line per
 * start event: "START name runId parentIds".
 */
public class VirtualThreadRuns {
  static final Runnable<String, String> CHILD = Tracewire.function("child", s -> s + "!");
  static final ScopedValue<String> USER = ScopedValue.newInstance();

  interface Body {
    Object run() throws Exception;
  }

  static Object traced(String name, Body body) {
    return Tracewire.trace(name, () -> {
      try {
        return body.run();
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    });
  }

  public static void main(String[] args) throws Exception {
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    RunListener listener = events::add;
    try (Tracewire tw = Tracewire.builder().listener(listener).install()) {
      traced("vt-executor-wrapped", () -> {
        try (ExecutorService ex = RunContext.wrap(Executors.newVirtualThreadPerTaskExecutor())) {
          return ex.submit(() -> CHILD.invoke("a")).get();
        }
      });
      traced("vt-factory", () -> {
        try (ExecutorService ex = Executors.newThreadPerTaskExecutor(RunContext.threadFactory(Thread.ofVirtual().factory()))) {
          return ex.submit(() -> CHILD.invoke("b")).get();
        }
      });
      traced("sts-wrapped-task", () -> {
        try (var scope = StructuredTaskScope.open()) {
          var t = scope.fork(RunContext.wrap(() -> CHILD.invoke("c")));
          scope.join();
          return t.get();
        }
      });
      traced("sts-thread-factory", () -> {
        try (var scope = StructuredTaskScope.open(StructuredTaskScope.Joiner.awaitAllSuccessfulOrThrow(),
            cfg -> cfg.withThreadFactory(RunContext.threadFactory(Thread.ofVirtual().factory())))) {
          var t = scope.fork(() -> CHILD.invoke("d"));
          scope.join();
          return t.get();
        }
      });
      traced("scoped-value", () -> ScopedValue.where(USER, "u1").call(() -> CHILD.invoke("e" + USER.get())));
      traced("async-on-virtual-thread", () -> {
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
          // the async method captures the caller's context itself
          return CHILD.invokeAsync("f", io.tracewire.core.RunConfig.builder().executor(ex).build()).get();
        }
      });
      // many at once: each virtual thread is its own parent with one child
      try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<Object>> fs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
          String n = "many-" + i;
          fs.add(ex.submit(() -> traced(n, () -> {
            Thread.sleep(1);
            return CHILD.invoke(n);
          })));
        }
        for (Future<Object> f : fs) {
          f.get();
        }
      }
      traced("vt-unwrapped", () -> {
        Thread t = Thread.ofVirtual().start(() -> CHILD.invoke("g"));
        t.join();
        return null;
      });
    }
    for (StreamEvent e : events) {
      if (e.event().endsWith("_start")) {
        System.out.println("START " + e.name() + " " + e.runId() + " " + String.join(",", e.parentIds()));
      }
    }
  }
}
