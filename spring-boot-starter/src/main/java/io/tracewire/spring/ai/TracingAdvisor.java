package io.tracewire.spring.ai;

import io.tracewire.core.RunConfig;
import io.tracewire.spring.internal.SpringObservedRuns;
import io.tracewire.core.runnable.RunHandle;
import io.tracewire.core.event.RunType;
import io.tracewire.core.runnable.RunnableLambda;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.core.Ordered;
import reactor.core.publisher.Flux;

/**
 * The outermost ChatClient advisor (order {@link Ordered#HIGHEST_PRECEDENCE}): one ChatClient
 * prompt is one {@code chain} run named {@value #RUN_NAME}, the parent of every run the rest of
 * the advisor chain causes: retrieval in RAG advisors, each model round of the tool-calling
 * loop, each tool call. Its input is {@code {"messages": [...]}} (the prompt as the application
 * built it), its output the final answer's text.
 *
 * <p>Blocking prompts run the rest of the chain inside the run, on the caller's thread, as the
 * current Tracewire context. Streamed prompts start the run at subscription (its parent is the
 * subscriber's context, see {@link BridgeContext}), write the run's child config into the Reactor
 * context for everything upstream, emit one {@code on_chain_stream} per streamed text piece, and
 * end at completion, error or cancel. Thread-safe.
 */
final class TracingAdvisor implements CallAdvisor, StreamAdvisor {
  static final String RUN_NAME = "ChatClient";
  private static final Logger LOG = Logger.getLogger(TracingAdvisor.class.getName());

  private final BridgeContext context;
  private final Runs runs = new Runs(RUN_NAME);

  TracingAdvisor(BridgeContext context) {
    this.context = context;
  }

  @Override
  public String getName() {
    return "TracewireAdvisor";
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  private static Map<String, Object> input(ChatClientRequest request) {
    return Map.of("messages", SpringAiMessages.messages(request.prompt().getInstructions()));
  }

  @Override
  public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
    RunConfig config;
    Map<String, Object> in;
    try {
      config = context.config(context.parent(), Map.of());
      in = input(request);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "tracewire: could not start a ChatClient run; the call goes on untraced", e);
      return chain.nextCall(request);
    }
    ChatClientResponse[] result = new ChatClientResponse[1];
    SpringObservedRuns.markNextStart();
    try {
      RunnableLambda.<Object, Object>of(RUN_NAME, ignored -> {
        SpringObservedRuns.clearMark();
        result[0] = chain.nextCall(request);
        ChatResponse r = result[0].chatResponse();
        return SpringAiMessages.text(r);
      }).invoke(in, config);
    } finally {
      SpringObservedRuns.clearMark();
    }
    return result[0];
  }

  @Override
  public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
    return Flux.deferContextual(ctx -> {
      RunHandle h;
      try {
        RunConfig config = context.config(context.parent(ctx, null), Map.of());
        SpringObservedRuns.markNextStart();
        try {
          h = runs.start(config, RunType.CHAIN, input(request));
        } finally {
          SpringObservedRuns.clearMark();
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "tracewire: could not start a ChatClient run; the stream goes on untraced", e);
        return chain.nextStream(request);
      }
      RunConfig child = h.childConfig();
      StringBuilder text = new StringBuilder();
      AtomicBoolean done = new AtomicBoolean();
      Flux<ChatClientResponse> upstream;
      RunConfig prev = BridgeContext.THREAD.get();
      BridgeContext.THREAD.set(child);
      try {
        upstream = chain.nextStream(request);
      } catch (RuntimeException | Error t) {
        h.error(t);
        throw t;
      } finally {
        BridgeContext.THREAD.set(prev);
      }
      return upstream
          .doOnNext(r -> {
            String piece = SpringAiMessages.text(r.chatResponse());
            synchronized (text) {
              text.append(piece);
            }
            if (!piece.isEmpty()) {
              h.stream(piece);
            }
          })
          .doOnComplete(() -> {
            if (done.compareAndSet(false, true)) {
              String out;
              synchronized (text) {
                out = text.toString();
              }
              h.end(out);
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
          })
          .contextWrite(c -> c.put(BridgeContext.KEY, child));
    });
  }
}
