package io.tracewire.spring.agent;

import io.tracewire.core.RunContext;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Boot application with the starter, run by {@code AgentStorageWarningIT} in its own JVM under
 * the OpenTelemetry Java agent: it starts and closes {@code contexts} application contexts one
 * after the other (the warning is per JVM, so a second context must not repeat it), printing
 * {@code STORAGE <name>} and {@code CONTEXT <n> STARTED} on standard output, then exits.
 */
public final class AgentWarningApp {
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  private AgentWarningApp() {}

  public static void main(String[] args) {
    int contexts = Integer.parseInt(args[0]);
    System.out.println("STORAGE " + RunContext.storageName());
    for (int i = 1; i <= contexts; i++) {
      try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
          .run("--spring.main.banner-mode=off", "--spring.ai.model.chat=none", "--spring.ai.model.embedding=none",
              "--spring.ai.model.image=none", "--spring.ai.model.audio.speech=none",
              "--spring.ai.model.audio.transcription=none", "--spring.ai.model.moderation=none")) {
        System.out.println("CONTEXT " + i + " STARTED");
      }
    }
    System.out.flush();
  }
}
