package io.tracewire.adapters.langchain4j;

import dev.langchain4j.service.AiServiceContext;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.spi.services.AiServicesFactory;
import java.lang.reflect.Constructor;

/**
 * The zero-code option: registered as LangChain4j's {@link AiServicesFactory}, it makes every
 * {@code AiServices.builder(type)} in the application a {@link TracedAiServices}, including the
 * builders that frameworks call for you (LangChain4j's Spring Boot starter builds its
 * {@code @AiService} beans with {@code AiServices.builder}). Register it with one file on the
 * class path, {@code META-INF/services/dev.langchain4j.spi.services.AiServicesFactory}, whose
 * only line is {@code io.tracewire.adapters.langchain4j.TracingAiServicesFactory}. LangChain4j
 * uses the first factory it finds, so do not combine it with another one.
 *
 * <p>Why reflection: a registered factory replaces LangChain4j's default builder, and the
 * default ({@code DefaultAiServices}) is package-private, so the factory creates it through its
 * constructor once per builder, made accessible (this needs {@code dev.langchain4j} on the class
 * path, not in a module that closes the package). This is the only reflective access of the
 * bridge. Thread-safe; called by LangChain4j.
 */
public final class TracingAiServicesFactory implements AiServicesFactory {
  private static final String DEFAULT_BUILDER = "dev.langchain4j.service.DefaultAiServices";

  /** Called by the {@link java.util.ServiceLoader}. */
  public TracingAiServicesFactory() {}

  @Override
  public <T> AiServices<T> create(AiServiceContext context) {
    return new TracedAiServices<>(context, defaultBuilder(context));
  }

  @SuppressWarnings("unchecked")
  static <T> AiServices<T> defaultBuilder(AiServiceContext context) {
    try {
      Constructor<?> c = Class.forName(DEFAULT_BUILDER, true, AiServices.class.getClassLoader())
          .getDeclaredConstructor(AiServiceContext.class);
      c.setAccessible(true);
      return (AiServices<T>) c.newInstance(context);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("Tracewire cannot create LangChain4j's default AI Service builder ("
          + DEFAULT_BUILDER + "); remove " + TracingAiServicesFactory.class.getName()
          + " from META-INF/services and use LangChain4jTracing.aiServices(type) instead", e);
    }
  }
}
