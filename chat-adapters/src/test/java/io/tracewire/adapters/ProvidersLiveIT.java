package io.tracewire.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.adapters.anthropic.ChatAnthropic;
import io.tracewire.adapters.ollama.ChatOllama;
import io.tracewire.adapters.openai.ChatOpenAI;
import io.tracewire.core.model.BaseChatModel;
import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessage;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.UsageMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Smoke tests against the real providers, run with {@code mvn -Plive -pl chat-adapters -am verify}
 * (the default build leaves them out: CI has no network to the providers). Each runs only when its key (or, for Ollama,
 * {@code OLLAMA_MODEL}) is set in the environment and is reported as skipped, with the missing
 * variable named, otherwise. Model names can be overridden with {@code OPENAI_MODEL},
 * {@code ANTHROPIC_MODEL} and {@code OLLAMA_HOST}.
 */
class ProvidersLiveIT {
  private static final String PROMPT = "Write me a 1 verse song about goldfish on the moon";

  private static String requireEnv(String name, String what) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      String msg = "SKIPPED live " + what + " smoke test: environment variable " + name + " is not set";
      System.out.println(msg);
      Assumptions.abort(msg);
    }
    return v;
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }

  private static void smoke(BaseChatModel model, String provider) {
    List<StreamEvent> events = model.streamEvents(PROMPT).toList();
    assertThat(events.get(0).event()).isEqualTo("on_chat_model_start");
    assertThat(events.get(0).metadata()).containsEntry("ls_provider", provider);
    StreamEvent end = events.get(events.size() - 1);
    assertThat(end.event()).isEqualTo("on_chat_model_end");
    long streamed = events.stream().filter(e -> e.event().equals("on_chat_model_stream")).count();
    assertThat(streamed).isGreaterThan(1);
    Object out = ((Map<?, ?>) end.data()).get("output");
    assertThat(((BaseMessage) out).text()).isNotBlank();
    UsageMetadata usage = out instanceof AIMessageChunk c ? c.usageMetadata() : ((AIMessage) out).usageMetadata();
    assertThat(usage).isNotNull();
    assertThat(usage.outputTokens()).isPositive();
    System.out.println("live " + provider + ": " + streamed + " chunks, usage " + usage);
  }

  @Test
  void openAiStreamsWithUsage() {
    String key = requireEnv(ChatOpenAI.API_KEY_ENV, "OpenAI");
    smoke(ChatOpenAI.builder().apiKey(key).model(env("OPENAI_MODEL", "gpt-4o-mini")).maxTokens(80).build(), "openai");
  }

  @Test
  void anthropicStreamsWithUsage() {
    String key = requireEnv(ChatAnthropic.API_KEY_ENV, "Anthropic");
    smoke(ChatAnthropic.builder().apiKey(key).model(env("ANTHROPIC_MODEL", "claude-3-5-haiku-latest")).maxTokens(80)
        .build(), "anthropic");
  }

  @Test
  void ollamaStreamsWithUsage() {
    String model = requireEnv("OLLAMA_MODEL", "Ollama");
    smoke(ChatOllama.builder().baseUrl(env("OLLAMA_HOST", ChatOllama.DEFAULT_BASE_URL)).model(model).numPredict(80)
        .build(), "ollama");
  }
}
