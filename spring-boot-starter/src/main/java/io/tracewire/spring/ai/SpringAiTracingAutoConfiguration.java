package io.tracewire.spring.ai;

import io.micrometer.context.ContextRegistry;
import io.tracewire.spring.TracewireAutoConfiguration;
import io.tracewire.spring.TracewireProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import reactor.core.publisher.Hooks;

/**
 * The Spring AI bridge. Extension points used, and why:
 *
 * <ul>
 *   <li>A {@link BeanPostProcessor} wraps every {@link ChatModel} bean ({@link TracedChatModel}):
 *       the only place that sees every model call, with or without ChatClient, and every
 *       streamed chunk (Spring AI's chat-model observation sees only the aggregated response).
 *   <li>A {@link ChatClientCustomizer} adds {@link TracingAdvisor} to every ChatClient built from
 *       the auto-configured {@code ChatClient.Builder}: the prompt as the chain run that parents
 *       RAG retrieval, the model rounds and the tool calls of Spring AI's tool-calling loop.
 *   <li>The same post-processor wraps the {@code ToolCallingManager} bean
 *       ({@link TracedToolCallingManager}): it knows the tool call ids that a callback never
 *       sees, and decorates the callbacks of each batch.
 *   <li>It also wraps {@code VectorStore} beans ({@link TracedVectorStore}) so every similarity
 *       search, whichever advisor or retriever issues it, is a retriever run with its documents.
 * </ul>
 *
 * <p>Run context across Reactor threads: see {@link BridgeContext}. The auto-configuration
 * registers its context-propagation accessor and, unless
 * {@code tracewire.spring-ai.reactor-context-propagation=false}, calls
 * {@link Hooks#enableAutomaticContextPropagation()}.
 *
 * <p>Limits: beans are wrapped in JDK proxies (the Spring AI model classes are final), so inject
 * them by interface; a {@code ChatClient} built with {@code ChatClient.builder(model)} by hand
 * gets no chain run unless the {@code tracewireChatClientCustomizer} bean is applied to its
 * builder ({@code customizer.customize(builder)}), and its tool calls are traced only if its
 * {@code ToolCallingManager} is the context's bean.
 */
@AutoConfiguration(after = TracewireAutoConfiguration.class)
@ConditionalOnClass(ChatModel.class)
@ConditionalOnBooleanProperty(name = "tracewire.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "tracewire.spring-ai.enabled", matchIfMissing = true)
public class SpringAiTracingAutoConfiguration {
  private static final AtomicBoolean ACCESSOR_REGISTERED = new AtomicBoolean();

  @Bean
  static BridgeContextHolder tracewireSpringAiContext(Environment env) {
    TracewireProperties props = Binder.get(env).bindOrCreate("tracewire", TracewireProperties.class);
    if (ACCESSOR_REGISTERED.compareAndSet(false, true)) {
      ContextRegistry.getInstance().registerThreadLocalAccessor(new BridgeContext.Accessor());
    }
    if (props.getSpringAi().isReactorContextPropagation()) {
      Hooks.enableAutomaticContextPropagation();
    }
    Map<String, Object> md = new LinkedHashMap<>(props.getMetadata());
    return new BridgeContextHolder(new BridgeContext(props.getTags(), md));
  }

  @Bean
  static BeanPostProcessor tracewireSpringAiPostProcessor(ObjectProvider<BridgeContextHolder> context) {
    return new SpringAiPostProcessor(context);
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ChatClientCustomizer.class)
  static class ChatClientConfiguration {
    @Bean
    ChatClientCustomizer tracewireChatClientCustomizer(BridgeContextHolder holder) {
      TracingAdvisor advisor = new TracingAdvisor(holder.context());
      return builder -> builder.defaultAdvisors(advisor);
    }
  }

  /**
   * {@code tracewire.otel.gen-ai-spans=tracewire}: Tracewire's spans stand for Spring AI's calls,
   * so Spring AI's own observations are turned off (their spans and their Micrometer metrics);
   * other observations (HTTP server and client, for instance) are left alone.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.observation.ObservationPredicate")
  @ConditionalOnBooleanProperty(name = "tracewire.otel.enabled")
  @ConditionalOnProperty(name = "tracewire.otel.gen-ai-spans", havingValue = "tracewire")
  static class TracewireGenAiSpansConfiguration {
    @Bean
    io.micrometer.observation.ObservationPredicate tracewireSpringAiObservationsOff() {
      return (name, context) -> !isSpringAiObservation(name);
    }
  }

  /** The observations Spring AI records for ChatClient, advisors, models, tools and vector stores. */
  static boolean isSpringAiObservation(String name) {
    return name.startsWith("spring.ai.") || name.equals("gen_ai.client.operation")
        || name.equals("db.vector.client.operation");
  }

  /** Holds the bridge's context as a bean (the context class itself stays package-private). */
  static final class BridgeContextHolder {
    private final BridgeContext context;

    BridgeContextHolder(BridgeContext context) {
      this.context = context;
    }

    BridgeContext context() {
      return context;
    }
  }

  /** Wraps ChatModel, ToolCallingManager and VectorStore beans once. */
  static final class SpringAiPostProcessor implements BeanPostProcessor {
    private static final boolean VECTOR_STORE = ClassUtils.isPresent(
        "org.springframework.ai.vectorstore.VectorStore", SpringAiPostProcessor.class.getClassLoader());
    private static final boolean TOOLS = ClassUtils.isPresent(
        "org.springframework.ai.model.tool.ToolCallingManager", SpringAiPostProcessor.class.getClassLoader());

    private final ObjectProvider<BridgeContextHolder> context;

    SpringAiPostProcessor(ObjectProvider<BridgeContextHolder> context) {
      this.context = context;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
      if (bean instanceof ChatModel m && !TracedChatModel.isTraced(bean)) {
        return TracedChatModel.wrap(m, context.getObject().context());
      }
      if (TOOLS && bean instanceof org.springframework.ai.model.tool.ToolCallingManager t
          && !(bean instanceof TracedToolCallingManager)) {
        return new TracedToolCallingManager(t, context.getObject().context());
      }
      if (VECTOR_STORE && bean instanceof org.springframework.ai.vectorstore.VectorStore v
          && !TracedVectorStore.isTraced(bean)) {
        return TracedVectorStore.wrap(v, context.getObject().context());
      }
      return bean;
    }
  }
}
