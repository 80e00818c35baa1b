package io.tracewire.spring.ai;

import io.tracewire.core.RunConfig;
import io.tracewire.spring.internal.SpringObservedRuns;
import io.tracewire.core.runnable.RunHandle;
import io.tracewire.core.event.RunType;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.UsageMetadata;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import io.tracewire.core.message.ToolCallChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.util.ClassUtils;
import reactor.core.publisher.Flux;

/**
 * Traces a Spring AI {@link ChatModel}: every {@code call(Prompt)} and {@code stream(Prompt)}
 * (and the {@code String}/{@code Message...} conveniences, which go through them) is one
 * {@code chat_model} run named after the model class, with {@code ls_provider},
 * {@code ls_model_name}, {@code ls_model_type}, {@code ls_temperature}, {@code ls_max_tokens} and
 * {@code ls_stop} from the prompt's options over the model's default options.
 *
 * <p>The wrapper is a JDK proxy implementing every interface of the model (a final class such as
 * {@code OpenAiChatModel} cannot be subclassed), so a bean injected by its concrete class is no
 * longer assignable: inject {@code ChatModel}, or exclude the bean from tracing.
 *
 * <p>Blocking calls: start before the provider call on the caller's thread, end with an
 * {@code AIMessage} (text, tool calls, {@code usage_metadata} when the provider reported usage,
 * {@code model_name} and {@code finish_reason}), or end with the error, which reaches the caller
 * unchanged. Streams: the run starts when the {@code Flux} is subscribed, with its parent taken
 * from the Reactor context ({@link BridgeContext}); each {@code ChatResponse} becomes one
 * {@code on_chat_model_stream} event, emitted before the subscriber sees the response; completion
 * ends the run with the merged {@code AIMessageChunk}; as in LangChain, a response that reports
 * usage is a chunk with {@code usage_metadata} (what it adds to the usage reported before, since
 * Spring AI repeats a stream's usage cumulatively), so the chunks' usages add up to the end's, an error ends it with the error, a cancel cancels it. Tracing failures are logged and
 * never reach the application. Thread-safe when the model is.
 */
final class TracedChatModel implements InvocationHandler {
  private static final Logger LOG = Logger.getLogger(TracedChatModel.class.getName());

  private final ChatModel target;
  private final BridgeContext context;
  private final Runs runs;

  private TracedChatModel(ChatModel target, BridgeContext context) {
    this.target = target;
    this.context = context;
    this.runs = new Runs(target.getClass().getSimpleName());
  }

  /** A traced proxy of {@code target} implementing all its interfaces. */
  static ChatModel wrap(ChatModel target, BridgeContext context) {
    Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(target.getClass(), target.getClass().getClassLoader());
    return (ChatModel) Proxy.newProxyInstance(target.getClass().getClassLoader(), interfaces,
        new TracedChatModel(target, context));
  }

  static boolean isTraced(Object bean) {
    return Proxy.isProxyClass(bean.getClass()) && Proxy.getInvocationHandler(bean) instanceof TracedChatModel;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    int n = args == null ? 0 : args.length;
    if (n == 1 && (name.equals("call") || name.equals("stream"))) {
      Object a = args[0];
      boolean call = name.equals("call");
      if (a instanceof Prompt p) {
        return call ? call(p) : stream(p);
      }
      if (a instanceof String s) {
        Prompt p = new Prompt(new UserMessage(s));
        return call ? SpringAiMessages.text(call(p)) : stream(p).map(SpringAiMessages::text);
      }
      if (a instanceof Message[] ms) {
        Prompt p = new Prompt(Arrays.asList(ms));
        return call ? SpringAiMessages.text(call(p)) : stream(p).map(SpringAiMessages::text);
      }
    }
    if (n == 0 && name.equals("toString")) {
      return "Traced(" + target + ")";
    }
    if (n == 0 && name.equals("hashCode")) {
      return System.identityHashCode(proxy);
    }
    if (n == 1 && name.equals("equals")) {
      return proxy == args[0];
    }
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  ChatModel target() {
    return target;
  }

  private RunHandle begin(RunConfig parent, Prompt prompt) {
    try {
      ChatOptions defaults = target.getDefaultOptions();
      RunConfig c = context.config(parent, SpringAiMessages.lsParams(target.getClass(), prompt, defaults));
      Object input = SpringAiMessages.modelInput(prompt);
      SpringObservedRuns.markNextStart();
      try {
        return runs.start(c, RunType.CHAT_MODEL, input);
      } finally {
        SpringObservedRuns.clearMark();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "tracewire: could not start a chat model run; the call goes on untraced", e);
      return null;
    }
  }

  private ChatResponse call(Prompt prompt) {
    RunHandle h = begin(context.parent(), prompt);
    ChatResponse r;
    try {
      r = target.call(prompt);
    } catch (RuntimeException | Error t) {
      if (h != null) {
        h.error(t);
      }
      throw t;
    }
    if (h != null) {
      try {
        h.end(SpringAiMessages.output(r, "lc_run--" + h.runId()));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "tracewire: could not end a chat model run", e);
      }
    }
    return r;
  }

  private Flux<ChatResponse> stream(Prompt prompt) {
    RunConfig assembled = context.parent();
    return Flux.deferContextual(ctx -> {
      RunHandle h = begin(context.parent(ctx, assembled), prompt);
      if (h == null) {
        return target.stream(prompt);
      }
      Accumulator acc = new Accumulator("lc_run--" + h.runId());
      AtomicBoolean done = new AtomicBoolean();
      Flux<ChatResponse> upstream;
      try {
        upstream = target.stream(prompt);
      } catch (RuntimeException | Error t) {
        h.error(t);
        throw t;
      }
      return upstream
          .doOnNext(r -> {
            AIMessageChunk c;
            try {
              c = acc.add(r);
            } catch (RuntimeException e) {
              LOG.log(Level.FINE, "tracewire: could not record a stream chunk", e);
              return;
            }
            h.stream(c);
          })
          .doOnComplete(() -> {
            if (done.compareAndSet(false, true)) {
              h.end(acc.merged());
            }
          })
          .doOnError(t -> {
            if (done.compareAndSet(false, true)) {
              h.error(t);
            }
          })
          .doOnCancel(() -> {
            if (done.compareAndSet(false, true)) {
              h.cancel();
            }
          });
    });
  }

  /**
   * What a stream's end event reports, built as the responses arrive (linear in the stream's
   * length; merging chunk records pairwise would copy the text on every chunk): the text, the
   * tool calls, the first provider id, the last model name and finish reason, the usage (the sum
   * of what each response added to it, which the chunks carry). Guarded by its monitor (signals of one stream are serial,
   * but completion may come on another thread).
   */
  static final class Accumulator {
    private final String fallbackId;
    private final StringBuilder text = new StringBuilder();
    private final List<ToolCallChunk> toolCalls = new ArrayList<>();
    private String id;
    private String model;
    private String finish;
    private UsageMetadata usage;

    Accumulator(String fallbackId) {
      this.fallbackId = fallbackId;
    }

    synchronized AIMessageChunk add(ChatResponse r) {
      UsageMetadata u = SpringAiMessages.usage(r);
      UsageMetadata delta = u == null ? null : increment(usage, u);
      if (delta != null) {
        usage = UsageMetadata.add(usage, delta);
      }
      // as LangChain: the chunk that brought usage carries it, and the chunks' usages add up to the end's
      AIMessageChunk c = SpringAiMessages.chunk(r, fallbackId, delta);
      text.append(c.text());
      for (ToolCallChunk tc : c.toolCallChunks()) {
        toolCalls.add(new ToolCallChunk(tc.name(), tc.args(), tc.id(), toolCalls.size()));
      }
      if (id == null) {
        id = SpringAiMessages.providerId(r);
      }
      Map<String, Object> meta = SpringAiMessages.responseMetadata(r);
      if (meta.get("model_name") != null) {
        model = meta.get("model_name").toString();
      }
      if (meta.get("finish_reason") != null) {
        finish = meta.get("finish_reason").toString();
      }
      return c;
    }

    /**
     * What {@code reported} adds to {@code sofar}: Spring AI repeats a stream's usage cumulatively
     * (each report the total so far), so a report that grows no count adds nothing; one that is
     * smaller in some count is not cumulative and adds itself.
     */
    static UsageMetadata increment(UsageMetadata sofar, UsageMetadata reported) {
      if (sofar == null) {
        return reported;
      }
      long in = reported.inputTokens() - sofar.inputTokens();
      long out = reported.outputTokens() - sofar.outputTokens();
      long total = reported.totalTokens() - sofar.totalTokens();
      if (in < 0 || out < 0 || total < 0) {
        return reported;
      }
      return in == 0 && out == 0 && total == 0 ? null : new UsageMetadata(in, out, total);
    }

    synchronized AIMessageChunk merged() {
      Map<String, Object> meta = new LinkedHashMap<>();
      if (model != null) {
        meta.put("model_name", model);
      }
      if (finish != null) {
        meta.put("finish_reason", finish);
      }
      return new AIMessageChunk(text.toString(), id != null ? id : fallbackId, null, null, meta, toolCalls, usage,
          null);
    }
  }
}
