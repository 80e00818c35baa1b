package io.tracewire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.runnable.RunnableLambda;
import io.tracewire.propagation.TracewirePropagation;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.mcp.ToolContextToMcpMetaConverter;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter's MCP {@code _meta} converter: provided, wrapping the application's, switched off, or absent without MCP. */
class McpMetaConverterTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TracewireAutoConfiguration.class, TracewirePropagationAutoConfiguration.class));

  @Test
  void theStarterProvidesTheConverterThatAddsTheRunContextToTheToolContextEntries() {
    runner.run(ctx -> {
      ToolContextToMcpMetaConverter converter = ctx.getBean(ToolContextToMcpMetaConverter.class);
      assertThat(converter).isInstanceOf(TracingMcpMetaConverter.class);
      Map<String, Object> outside = converter.convert(new ToolContext(Map.of("tenant", "acme")));
      assertThat(outside).isEqualTo(Map.of("tenant", "acme"));

      String[] path = new String[1];
      Map<String, Object> inside = RunnableLambda.of("agent", (String x) -> {
        path[0] = io.tracewire.core.RemoteParent.current().orElseThrow().runId().toString();
        return converter.convert(new ToolContext(Map.of("tenant", "acme")));
      }).invoke("go");
      assertThat(inside).containsEntry("tenant", "acme")
          .containsEntry(TracewirePropagation.BAGGAGE, TracewirePropagation.RUN_PATH_KEY + "=" + path[0]);
    });
  }

  @Test
  void anApplicationConverterIsKeptAndGetsTheRunContextToo() {
    ToolContextToMcpMetaConverter own = toolContext -> Map.of("app", "mine");
    runner.withBean(ToolContextToMcpMetaConverter.class, () -> own).run(ctx -> {
      ToolContextToMcpMetaConverter converter = ctx.getBean(ToolContextToMcpMetaConverter.class);
      assertThat(converter).isInstanceOf(TracingMcpMetaConverter.class);
      assertThat(((TracingMcpMetaConverter) converter).delegate()).isSameAs(own);
      Map<String, Object> inside = RunnableLambda.of("agent", (String x) -> converter.convert(new ToolContext(Map.of())))
          .invoke("go");
      assertThat(inside).containsEntry("app", "mine").containsKey(TracewirePropagation.BAGGAGE);
    });
  }

  @Test
  void theSwitchTurnsItOff() {
    runner.withPropertyValues("tracewire.propagation.mcp.enabled=false")
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(ToolContextToMcpMetaConverter.class));
  }

  @Test
  void withoutSpringAiMcpOnTheClassPathTheStarterStartsWithoutIt() {
    runner.withClassLoader(new FilteredClassLoader(ToolContextToMcpMetaConverter.class))
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean("tracewireMcpMetaConverter")
            .doesNotHaveBean("tracewireMcpMetaConverterPostProcessor").hasSingleBean(TracewirePropagation.class));
  }
}
