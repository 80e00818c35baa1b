package io.tracewire.adapters.anthropic;

import io.tracewire.adapters.ProviderEchoSecrecyContractTest;
import io.tracewire.adapters.Retries;
import io.tracewire.core.model.BaseChatModel;

class ChatAnthropicEchoSecrecyTest extends ProviderEchoSecrecyContractTest {

  @Override
  protected BaseChatModel model(String baseUrl, String apiKey) {
    return ChatAnthropic.builder().baseUrl(baseUrl).apiKey(apiKey).model("claude-sonnet-4-5").retries(Retries.NONE)
        .build();
  }

  @Override
  protected String apiKey() {
    return "sk-ant-api03-Zk4Qw8Ex2Rt6Yu1Io5Pa9Sd3Fg7Hj0Kl-AbCdEfAA";
  }

  @Override
  protected String errorBody(String message, String requestId) {
    return "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":" + quote(message) + "}"
        + (requestId == null ? "" : ",\"request_id\":" + quote(requestId)) + "}";
  }

  @Override
  protected String midStreamError(String message) {
    return "event: message_start\n"
        + "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01TestErr\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5-20250929\",\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n"
        + "event: content_block_start\n"
        + "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
        + "event: content_block_delta\n"
        + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Partial\"}}\n\n"
        + "event: error\n"
        + "data: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":" + quote(message) + "}}\n\n";
  }

  @Override
  protected String successStream(String echo) {
    return "event: message_start\n"
        + "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01TestOk\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"content\":[],\"model\":" + quote(echo) + ",\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n"
        + "event: content_block_start\n"
        + "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
        + "event: content_block_delta\n"
        + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello there\"}}\n\n"
        + "event: content_block_delta\n"
        + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
        + "\"text\":\", sk-like words stay\"}}\n\n"
        + "event: content_block_stop\n"
        + "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        + "event: message_delta\n"
        + "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":" + quote(echo) + ",\"stop_sequence\":"
        + quote(echo) + ",\"container\":{\"id\":" + quote(echo) + "}},\"usage\":{\"output_tokens\":6}}\n\n"
        + "event: message_stop\n"
        + "data: {\"type\":\"message_stop\"}\n\n";
  }

  @Override
  protected String keyHeaderValue(String key) {
    return key;
  }

  @Override
  protected String requestIdHeader() {
    return "request-id";
  }

  @Override
  protected String streamContentType() {
    return "text/event-stream; charset=utf-8";
  }
}
