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
  void anIoFailureQuotingTheKeyGetsARedactedStandInCause() {
    IOException quoting = new java.net.ProtocolException("Unexpected status line: HTTP/1.1 401 sk-abc-0123456789");
    ChatProviderException e = Errors.fromIo("p", null, quoting, false, "sk-abc-0123456789");
    assertThat(e.getMessage()).isEqualTo("p: connection failed: Unexpected status line: HTTP/1.1 401 [REDACTED]");
    assertThat(e.getCause()).isNotSameAs(quoting).hasMessageContaining("[REDACTED]").hasNoCause();
    assertThat(e.getCause().toString()).doesNotContain("sk-abc");
    assertThat(e.getCause().getStackTrace()).isEqualTo(quoting.getStackTrace());
    IOException plain = new IOException("unexpected end of stream");
    assertThat(Errors.fromIo("p", null, plain, false, "sk-abc-0123456789").getCause()).isSameAs(plain);
  }

  @Test
  void exceptionsBuiltOutsideTheAdaptersAreHeldToTheKeyShapeRules() {
    ChatProviderException e = new ChatProviderException.ServerError("p", 500, "Bearer sk-ant-api03-abcdef123456",
        "upstream echoed sk-ant-api03-abcdef123456");
    assertThat(e.requestId()).isEmpty();
    assertThat(e.getMessage()).isEqualTo("p: upstream echoed [REDACTED] (status 500)");
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
