package io.tracewire.exporters.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.core.prompt.ChatPromptTemplate;
import io.tracewire.core.RunConfig;
import io.tracewire.core.runnable.Runnable;
import io.tracewire.core.parser.StrOutputParser;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The snippet of docs/jaeger.md, section 2, compiled and run: the endpoint comes from the
 * standard OTLP base-endpoint setting (here the system property twin of
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}), pointed at an in-JVM receiver instead of Jaeger.
 */
class JaegerDocExampleTest {

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void docSnippetSendsTheChainToTheOtlpBaseEndpoint() throws Exception {
    Runnable<Map<String, Object>, String> chain = ChatPromptTemplate.of(ChatPromptTemplate.human("{question}"))
        .pipe((Runnable) new ChatOpenAI()).pipe((Runnable) new StrOutputParser());
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(false)) {
      System.setProperty("otel.exporter.otlp.endpoint", receiver.baseUrl());
      try {
        // --- docs/jaeger.md, section 2 ---
        try (OtelBridge otel = OtelBridge.builder()
                .serviceName("my-llm-app")   // what Jaeger lists under "Service"
                .captureContent(true)        // optional: prompts and completions on the spans
                .build()) {
          chain.invoke(Map.of("question", "What is a goldfish?"),
              RunConfig.builder().listener(otel).build());
        }   // close() flushes; a JVM shutdown hook flushes too
        // ---
      } finally {
        System.clearProperty("otel.exporter.otlp.endpoint");
      }
      assertThat(receiver.spans()).extracting(s -> s.getName())
          .containsExactlyInAnyOrder("RunnableSequence", "ChatPromptTemplate", "chat gpt-4o", "StrOutputParser");
      assertThat(OtlpHttpReceiver.attr(receiver.received.get(0).getResource().getAttributesList(), "service.name"))
          .isEqualTo("my-llm-app");
      assertThat(receiver.spans().stream().filter(s -> s.getName().equals("chat gpt-4o")).findFirst().orElseThrow()
          .getAttributesList()).anySatisfy(kv -> assertThat(kv.getKey()).isEqualTo("gen_ai.input.messages"));
    }
  }
}
