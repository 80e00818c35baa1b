package io.tracewire.adapters.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewire.adapters.ChatProviderException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class ErrorsTest {

  @Test
  void statusesMapToTheTaxonomy() {
    assertThat(Errors.fromResponse("p", 400, null, "{}", null, null)).isInstanceOf(ChatProviderException.BadRequest.class);
    assertThat(Errors.fromResponse("p", 401, null, "{}", null, null)).isInstanceOf(ChatProviderException.Authentication.class);
    assertThat(Errors.fromResponse("p", 403, null, "{}", null, null)).isInstanceOf(ChatProviderException.PermissionDenied.class);
    assertThat(Errors.fromResponse("p", 404, null, "{}", null, null)).isInstanceOf(ChatProviderException.NotFound.class);
    assertThat(Errors.fromResponse("p", 422, null, "{}", null, null)).isInstanceOf(ChatProviderException.BadRequest.class);
    assertThat(Errors.fromResponse("p", 429, null, "{}", null, null)).isInstanceOf(ChatProviderException.RateLimited.class);
    assertThat(Errors.fromResponse("p", 500, null, "{}", null, null)).isInstanceOf(ChatProviderException.ServerError.class);
    assertThat(Errors.fromResponse("p", 529, null, "{}", null, null)).isInstanceOf(ChatProviderException.Overloaded.class);
    assertThat(Errors.fromResponse("p", 408, null, "", null, null)).isInstanceOf(ChatProviderException.Timeout.class);
  }

  @Test
  void messagesAndRequestIdComeFromTheBodyWithTheKeyRedacted() {
    ChatProviderException e = Errors.fromResponse("anthropic", 400, null,
        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad sk-abc\"},\"request_id\":\"req_9\"}",
        null, "sk-abc");
    assertThat(e.getMessage()).isEqualTo("anthropic: bad [REDACTED] (status 400) [request id req_9]");
    assertThat(Errors.fromResponse("o", 500, null, "plain text failure", null, null).getMessage())
        .contains("plain text failure");
  }

  @Test
  void ioFailuresMapToTimeoutConnectionOrCancelled() {
    assertThat(Errors.fromIo("p", null, new SocketTimeoutException("timeout"), false, null))
        .isInstanceOf(ChatProviderException.Timeout.class);
    assertThat(Errors.fromIo("p", null, new IOException("unexpected end of stream"), false, null))
        .isInstanceOf(ChatProviderException.Connection.class);
    assertThat(Errors.fromIo("p", null, new IOException("Canceled"), true, null))
        .isInstanceOf(ChatProviderException.Cancelled.class);
  }

  @Test
  void inStreamErrorTypesMapToTheTaxonomy() {
    assertThat(Errors.inStream("a", "overloaded_error", "Overloaded", "r", null))
        .isInstanceOf(ChatProviderException.Overloaded.class);
    assertThat(Errors.inStream("o", "server_error", "boom", null, null))
        .isInstanceOf(ChatProviderException.ServerError.class);
    assertThat(Errors.inStream("a", "rate_limit_error", "slow", null, null))
        .isInstanceOf(ChatProviderException.RateLimited.class);
  }
}
