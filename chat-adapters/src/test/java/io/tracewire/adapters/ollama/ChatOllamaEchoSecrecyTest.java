package io.tracewire.adapters.ollama;

import io.tracewire.adapters.ProviderEchoSecrecyContractTest;
import io.tracewire.adapters.Retries;
import io.tracewire.core.model.BaseChatModel;

/** Ollama's key (a bearer token for a proxy or Ollama cloud) has no recognisable shape: only the configured value tells. */
class ChatOllamaEchoSecrecyTest extends ProviderEchoSecrecyContractTest {

  @Override
  protected BaseChatModel model(String baseUrl, String apiKey) {
    return ChatOllama.builder().baseUrl(baseUrl).apiKey(apiKey).model("llama3.2").retries(Retries.NONE).build();
  }

  @Override
  protected String apiKey() {
    return "8f14e45fceea167a5a36dedd4bea2543.Xq7ZpL2mN9vR4tW";
  }

  @Override
  protected String errorBody(String message, String requestId) {
    return "{\"error\":" + quote(message) + (requestId == null ? "" : ",\"request_id\":" + quote(requestId)) + "}";
  }

  @Override
  protected String midStreamError(String message) {
    return "{\"model\":\"llama3.2\",\"created_at\":\"2026-01-01T00:00:02.000000000Z\","
        + "\"message\":{\"role\":\"assistant\",\"content\":\"Yes\"},\"done\":false}\n"
        + "{\"error\":" + quote(message) + "}\n";
  }

  @Override
  protected String successStream(String echo) {
    String model = "{\"model\":" + quote(echo) + ",\"created_at\":\"2026-01-01T00:00:03.000000000Z\",";
    return model + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello there\"},\"done\":false}\n"
        + model + "\"message\":{\"role\":\"assistant\",\"content\":\", sk-like words stay\"},\"done\":false}\n"
        + "{\"model\":" + quote(echo) + ",\"created_at\":" + quote(echo) + ",\"message\":{\"role\":\"assistant\","
        + "\"content\":\"\"},\"done_reason\":" + quote(echo) + ",\"done\":true,\"remote_host\":" + quote(echo)
        + ",\"details\":{\"echo\":[" + quote(echo) + "]},\"prompt_eval_count\":26,\"eval_count\":7}\n";
  }

  @Override
  protected String keyHeaderValue(String key) {
    return "Bearer " + key;
  }

  @Override
  protected String requestIdHeader() {
    return "x-request-id";
  }

  @Override
  protected String streamContentType() {
    return "application/x-ndjson";
  }
}
