package io.tracewire.adapters.openai;

import io.tracewire.adapters.ProviderEchoSecrecyContractTest;
import io.tracewire.adapters.Retries;
import io.tracewire.core.model.BaseChatModel;

class ChatOpenAIEchoSecrecyTest extends ProviderEchoSecrecyContractTest {

  @Override
  protected BaseChatModel model(String baseUrl, String apiKey) {
    return ChatOpenAI.builder().baseUrl(baseUrl + "v1").apiKey(apiKey).model("gpt-4o-mini").retries(Retries.NONE)
        .build();
  }

  @Override
  protected String apiKey() {
    return "sk-proj-Q3vT9xLmW2pR7sK4nB8cJ1hF6dY0aE5gU";
  }

  @Override
  protected String errorBody(String message, String requestId) {
    return "{\"error\":{\"message\":" + quote(message)
        + ",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}"
        + (requestId == null ? "" : ",\"request_id\":" + quote(requestId)) + "}";
  }

  @Override
  protected String midStreamError(String message) {
    return "data: {\"id\":\"chatcmpl-T3st03\",\"object\":\"chat.completion.chunk\",\"created\":1735689602,"
        + "\"model\":\"gpt-4.1-2025-04-14\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"The\"},"
        + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
        + "data: {\"error\":{\"message\":" + quote(message) + ",\"type\":\"server_error\",\"param\":null,"
        + "\"code\":null}}\n\n";
  }

  @Override
  protected String successStream(String echo) {
    String head = "data: {\"id\":\"chatcmpl-T3st04\",\"object\":\"chat.completion.chunk\",\"created\":1735689603,"
        + "\"model\":" + quote(echo) + ",\"service_tier\":" + quote(echo) + ",\"system_fingerprint\":" + quote(echo)
        + ",\"choices\":[{\"index\":0,\"delta\":";
    return head + "{\"role\":\"assistant\",\"content\":\"Hello there\"},\"logprobs\":null,\"finish_reason\":null}],"
        + "\"usage\":null}\n\n"
        + head + "{\"content\":\", sk-like words stay\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
        + head + "{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
        + "data: {\"id\":\"chatcmpl-T3st04\",\"object\":\"chat.completion.chunk\",\"created\":1735689603,"
        + "\"model\":" + quote(echo) + ",\"system_fingerprint\":" + quote(echo) + ",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":6,\"total_tokens\":15}}\n\n"
        + "data: [DONE]\n\n";
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
    return "text/event-stream; charset=utf-8";
  }
}
