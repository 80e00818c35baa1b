package io.tracewire.test;

import io.tracewire.core.RunConfig;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving each test its own {@link EventRecorder}: declare a parameter of type
 * {@link EventRecorder} (or {@link RunConfig}, which is {@code recorder.config()}: the recorder
 * attached and sequential run ids) on a test or {@code @BeforeEach} method. The recorder is
 * created on first use within a test and dropped after it, so run ids restart at
 * {@code ...0001} in every test.
 *
 * <pre>{@code
 * @ExtendWith(TracewireExtension.class)
 * class MyChainTest {
 *   @Test
 *   void answers(EventRecorder recorder) {
 *     chain.invoke(input, recorder.config());
 *     assertThat(recorder).isWellFormed().hasNoErrors();
 *   }
 * }
 * }</pre>
 *
 * <p>With {@code @RegisterExtension}, {@link #streamingTokens()} and {@link #requiringWellFormed()}
 * give variants. The extension holds no state itself (recorders live in JUnit's per-test store),
 * so one instance serves tests run in parallel.
 */
public final class TracewireExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TracewireExtension.class);

  private final boolean streamingTokens;
  private final boolean requireWellFormed;

  /** The default extension: production-like recorders, no check after each test. */
  public TracewireExtension() {
    this(false, false);
  }

  private TracewireExtension(boolean streamingTokens, boolean requireWellFormed) {
    this.streamingTokens = streamingTokens;
    this.requireWellFormed = requireWellFormed;
  }

  /** A copy whose recorders ask chat models to stream tokens ({@link EventRecorder#streamingTokens()}). */
  public TracewireExtension streamingTokens() {
    return new TracewireExtension(true, requireWellFormed);
  }

  /** A copy that, after each test that used a recorder, fails unless its recording is well formed. */
  public TracewireExtension requiringWellFormed() {
    return new TracewireExtension(streamingTokens, true);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> t = parameterContext.getParameter().getType();
    return t == EventRecorder.class || t == RunConfig.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    EventRecorder r = recorder(extensionContext);
    return parameterContext.getParameter().getType() == RunConfig.class ? r.config() : r;
  }

  private EventRecorder recorder(ExtensionContext context) {
    return context.getStore(NS).getOrComputeIfAbsent(EventRecorder.class,
        k -> streamingTokens ? EventRecorder.streamingTokens() : EventRecorder.create(), EventRecorder.class);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    EventRecorder r = context.getStore(NS).get(EventRecorder.class, EventRecorder.class);
    if (requireWellFormed && r != null) {
      TracewireAssertions.assertThat(r).as("recording of " + context.getDisplayName()).isWellFormed();
    }
  }
}
