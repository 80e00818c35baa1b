package io.tracewire.exporters.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Secrets in an OTLP endpoint (user info, an api key in the query) never reach an exception: not
 * its message, not a cause's message, not the printed stack trace. Before this check the SDK's
 * own "must not have a query string: api_key=..." reached the caller, and a malformed URL's
 * {@code URISyntaxException} repeated the whole input.
 */
class OtlpEndpointSecretsTest {
  private static final String SECRET = "s3cr3t-Token-42";

  @Test
  void redactRemovesUserInfoQueryAndFragmentEvenFromMalformedText() {
    assertThat(OtlpEndpoints.redact("https://bob:" + SECRET + "@collector.example:4318/v1/traces"))
        .isEqualTo("https://***@collector.example:4318/v1/traces");
    assertThat(OtlpEndpoints.redact("http://127.0.0.1:4318/v1/traces?api_key=" + SECRET))
        .isEqualTo("http://127.0.0.1:4318/v1/traces?***");
    assertThat(OtlpEndpoints.redact("http://h/x#" + SECRET)).isEqualTo("http://h/x#***");
    assertThat(OtlpEndpoints.redact("http ://bad host:" + SECRET + "@x/?k=" + SECRET)).isEqualTo("http ://***@x/?***");
    assertThat(OtlpEndpoints.redact("bob:" + SECRET + "@host:4318")).isEqualTo("***@host:4318");
    assertThat(OtlpEndpoints.redact("http://host/a@b")).as("an @ in the path is not user info").isEqualTo("http://host/a@b");
    assertThat(OtlpEndpoints.redact("http://h/\u001b[2J\n")).isEqualTo("http://h/?[2J?");
    assertThat(OtlpEndpoints.redact(null)).isEqualTo("null");
    assertThat(OtlpEndpoints.redact("http://h/" + "a".repeat(1000))).hasSize(OtlpEndpoints.MAX_PRINTED + 1).endsWith("\u2026");
    assertThat(OtlpEndpoints.redact("http://127.0.0.1:4318/v1/traces")).isEqualTo("http://127.0.0.1:4318/v1/traces");
  }

  @Test
  void buildersRefuseSecretsInTheUrlWithoutRepeatingThem() {
    List<String> bad = List.of(
        "http://bob:" + SECRET + "@127.0.0.1:4318/v1/traces",
        "http://127.0.0.1:4318/v1/traces?api_key=" + SECRET,
        "http://127.0.0.1:4318/v1/traces#" + SECRET,
        "http ://bad host/?api_key=" + SECRET,
        "ftp://x/?k=" + SECRET);
    for (String endpoint : bad) {
      assertClean(() -> OtelBridge.builder().endpoint(endpoint).build(), endpoint);
      assertClean(() -> closer(OtlpLogSink.builder().endpoint(endpoint).build()), endpoint);
    }
    Throwable t = catchThrowable(() -> OtelBridge.builder().endpoint("http://127.0.0.1:4318/v1/traces?api_key=" + SECRET));
    assertThat(t).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint http://127.0.0.1:4318/v1/traces?*** has a query string, which OTLP endpoints do not take: "
            + "pass credentials as a header (such as Authorization or api-key) instead");
  }

  @Test
  void endpointsFromOtelPropertiesAreCheckedBeforeTheSdkEchoesThem() {
    String key = "otel.exporter.otlp.endpoint";
    String before = System.getProperty(key);
    System.setProperty(key, "http://127.0.0.1:4318?api_key=" + SECRET);
    try {
      Throwable bridge = assertClean(() -> OtelBridge.builder().serviceName("t").build(), "property");
      assertThat(stackTrace(bridge)).contains("OTEL_EXPORTER_OTLP_ENDPOINT (otel.exporter.otlp.endpoint) http://127.0.0.1:4318?***");
      assertClean(() -> closer(OtlpLogSink.builder().build()), "property");
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
  }

  @Test
  void aGrpcEndpointWithAPathNamesItRedacted() {
    assertThatThrownBy(() -> OtelBridge.builder().protocol(OtlpProtocol.GRPC).endpoint("http://127.0.0.1:4317/v1/traces").build())
        .hasMessageContaining("http://127.0.0.1:4317/v1/traces");
  }

  private static Throwable assertClean(Supplier<AutoCloseable> build, String what) {
    Throwable t = catchThrowable(() -> build.get().close());
    assertThat(t).as("%s is refused", what).isNotNull();
    assertThat(stackTrace(t)).as("the whole trace of %s", what).doesNotContain(SECRET);
    return t;
  }

  private static AutoCloseable closer(OtlpLogSink sink) {
    return sink::close;
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
