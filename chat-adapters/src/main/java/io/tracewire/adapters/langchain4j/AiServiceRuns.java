package io.tracewire.adapters.langchain4j;

import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.observability.api.event.AiServiceCompletedEvent;
import dev.langchain4j.observability.api.event.AiServiceErrorEvent;
import dev.langchain4j.observability.api.event.AiServiceRequestIssuedEvent;
import dev.langchain4j.observability.api.event.AiServiceStartedEvent;
import dev.langchain4j.observability.api.listener.AiServiceCompletedListener;
import dev.langchain4j.observability.api.listener.AiServiceErrorListener;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import dev.langchain4j.observability.api.listener.AiServiceRequestIssuedListener;
import dev.langchain4j.observability.api.listener.AiServiceStartedListener;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.RunHandle;
import io.tracewire.core.event.RunType;
import io.tracewire.core.runnable.Runnable;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The open AI Service invocations of the process, keyed by LangChain4j's invocation id, and the
 * listeners that open and close their chain runs.
 *
 * <p>Why a registry: LangChain4j runs one invocation on several threads (the caller, the HTTP
 * client's streaming thread, a tool executor), so the thread's {@link io.tracewire.core.RunContext}
 * cannot carry the parent run. Every hook that knows the invocation (tool executors, content
 * retrievers, the AI Service events) finds the chain run here by id; chat models, whose hooks do
 * not carry the invocation, get it from {@link #takeModelParent()}, which the
 * {@link AiServiceRequestIssuedEvent} (fired on the thread that calls the model, right before
 * the call) hands over. Chat memories find the latest open invocation of their service's
 * memory id: the key under which that service's memory provider made them (the invocation's
 * {@code @MemoryId} argument, {@value dev.langchain4j.service.memory.ChatMemoryService#DEFAULT}
 * without one), never the memory's own {@code id()}, which LangChain4j's usual
 * {@code memoryId -> MessageWindowChatMemory.withMaxMessages(n)} leaves {@code "default"} for
 * every user.
 *
 * <p>Thread-safe. Listener methods never throw into LangChain4j: failures are logged once.
 */
final class AiServiceRuns {
  private static final Logger LOG = Logger.getLogger(AiServiceRuns.class.getName());

  /** Metadata key naming the agent on an AI Service run (read by the OpenTelemetry bridge). */
  static final String LS_AGENT_NAME = "ls_agent_name";

  private static final Map<UUID, Invocation> OPEN = new ConcurrentHashMap<>();
  private static final Map<MemoryKey, Deque<Invocation>> BY_MEMORY = new ConcurrentHashMap<>();
  private static final ThreadLocal<Invocation> NEXT_MODEL_CALL = new ThreadLocal<>();
  private static final Map<String, ChainRunnable> CHAINS = new ConcurrentHashMap<>();
  private static volatile boolean warned;

  private AiServiceRuns() {}

  /**
   * One built AI Service: memories and invocations of different services never meet, even when
   * their memory ids are equal.
   */
  static final class Service {
    final Class<?> type;

    Service(Class<?> type) {
      this.type = type;
    }
  }

  /** A memory id within one service (identity of the service, equality of the id). */
  record MemoryKey(Service service, Object memoryId) {}

  /** One open AI Service method call: its chain run and the config its children take. */
  static final class Invocation {
    final UUID id;
    final MemoryKey memory;
    final RunHandle run;
    final RunConfig childConfig;

    Invocation(UUID id, MemoryKey memory, RunHandle run) {
      this.id = id;
      this.memory = memory;
      this.run = run;
      this.childConfig = run.childConfig();
    }
  }

  /** A chain runnable per service method, so each run carries the method's name. */
  private static final class ChainRunnable extends Runnable<Object, Object> {
    ChainRunnable(String name) {
      super(name);
    }

    RunHandle open(RunConfig config, Object input) {
      return startRun(config, RunType.CHAIN, input);
    }

    /** AI Service runs are opened by LangChain4j's events, never invoked. */
    @Override
    public Object invoke(Object input, RunConfig config) {
      throw new UnsupportedOperationException("an AI Service run is started by the AI Service itself");
    }
  }

  /** The open invocation of this LangChain4j invocation context, or {@code null}. */
  static Invocation of(InvocationContext ctx) {
    if (ctx == null || ctx.invocationId() == null) {
      return null;
    }
    return OPEN.get(ctx.invocationId());
  }

  /** The config for a child of the invocation, or {@code null} (then the thread's context applies). */
  static RunConfig parentConfig(InvocationContext ctx) {
    Invocation inv = of(ctx);
    return inv == null ? null : inv.childConfig;
  }

  /** The invocation announced for the model call this thread is about to make, cleared on read. */
  static RunConfig takeModelParent() {
    Invocation inv = NEXT_MODEL_CALL.get();
    if (inv == null) {
      return null;
    }
    NEXT_MODEL_CALL.remove();
    return OPEN.containsKey(inv.id) ? inv.childConfig : null;
  }

  /** The most recently opened invocation of the service still open on this memory id, or {@code null}. */
  static Invocation ofMemory(MemoryKey memory) {
    Deque<Invocation> d = BY_MEMORY.get(memory);
    if (d == null) {
      return null;
    }
    synchronized (d) {
      return d.peekLast();
    }
  }

  /** The listeners to register on one AI Service (they share the process-wide registry). */
  static List<AiServiceListener<?>> listeners(Service service) {
    AiServiceStartedListener started = e -> started(service, e);
    AiServiceCompletedListener completed = AiServiceRuns::completed;
    AiServiceErrorListener failed = AiServiceRuns::failed;
    AiServiceRequestIssuedListener request = AiServiceRuns::requestIssued;
    return List.of(started, completed, failed, request);
  }

  static String serviceName(String interfaceName, String methodName) {
    String n = interfaceName == null ? "AiService" : interfaceName;
    int cut = Math.max(n.lastIndexOf('.'), n.lastIndexOf('$'));
    return n.substring(cut + 1) + "#" + methodName;
  }

  private static void started(Service service, AiServiceStartedEvent e) {
    try {
      InvocationContext ctx = e.invocationContext();
      if (ctx == null || ctx.invocationId() == null || OPEN.containsKey(ctx.invocationId())) {
        return;
      }
      String name = serviceName(ctx.interfaceName(), ctx.methodName());
      ChainRunnable chain = CHAINS.computeIfAbsent(name, ChainRunnable::new);
      RunConfig config = RunConfig.builder().metadata(LS_AGENT_NAME, name).build();
      RunHandle run = chain.open(config, inputs(service.type, ctx));
      MemoryKey memory = ctx.chatMemoryId() == null ? null : new MemoryKey(service, ctx.chatMemoryId());
      Invocation inv = new Invocation(ctx.invocationId(), memory, run);
      OPEN.put(inv.id, inv);
      if (memory != null) {
        Deque<Invocation> d = BY_MEMORY.computeIfAbsent(memory, k -> new ArrayDeque<>());
        synchronized (d) {
          d.addLast(inv);
        }
      }
    } catch (RuntimeException ex) {
      warn(ex);
    }
  }

  private static void requestIssued(AiServiceRequestIssuedEvent e) {
    try {
      Invocation inv = of(e.invocationContext());
      if (inv != null) {
        NEXT_MODEL_CALL.set(inv);
      }
    } catch (RuntimeException ex) {
      warn(ex);
    }
  }

  private static void completed(AiServiceCompletedEvent e) {
    try {
      Invocation inv = close(e.invocationContext());
      if (inv != null) {
        Object result = e.result().orElse(null);
        // a streamed answer ends with its text, as the blocking method would return it (its usage
        // is the model runs' usage summed, so it is not repeated here)
        inv.run.end(result instanceof ChatResponse r ? (r.aiMessage() == null ? null : r.aiMessage().text()) : result);
      }
    } catch (RuntimeException ex) {
      warn(ex);
    }
  }

  private static void failed(AiServiceErrorEvent e) {
    try {
      Invocation inv = close(e.invocationContext());
      if (inv != null) {
        inv.run.error(e.error());
      }
    } catch (RuntimeException ex) {
      warn(ex);
    }
  }

  private static Invocation close(InvocationContext ctx) {
    if (ctx == null || ctx.invocationId() == null) {
      return null;
    }
    Invocation inv = OPEN.remove(ctx.invocationId());
    if (inv != null && inv.memory != null) {
      BY_MEMORY.computeIfPresent(inv.memory, (k, d) -> {
        synchronized (d) {
          d.remove(inv);
          return d.isEmpty() ? null : d;
        }
      });
    }
    if (NEXT_MODEL_CALL.get() == inv) {
      NEXT_MODEL_CALL.remove();
    }
    return inv;
  }

  /** The method's arguments by parameter name (compiled with {@code -parameters}), else arg0, arg1, ... */
  static Map<String, Object> inputs(Class<?> serviceType, InvocationContext ctx) {
    List<Object> args = ctx.methodArguments();
    Map<String, Object> in = new LinkedHashMap<>();
    Parameter[] params = parameters(serviceType, ctx.methodName(), args.size());
    for (int i = 0; i < args.size(); i++) {
      String key = params != null && params[i].isNamePresent() ? params[i].getName() : "arg" + i;
      in.put(key, args.get(i));
    }
    return in;
  }

  private static Parameter[] parameters(Class<?> type, String methodName, int arity) {
    for (Method m : type.getMethods()) {
      if (m.getName().equals(methodName) && m.getParameterCount() == arity) {
        return m.getParameters();
      }
    }
    return null;
  }

  /** Open invocations, for tests. */
  static int openCount() {
    return OPEN.size();
  }

  private static void warn(RuntimeException ex) {
    if (!warned) {
      warned = true;
      LOG.log(Level.WARNING, "Tracewire: an AI Service event could not be traced (further failures are not logged)", ex);
    }
  }
}
