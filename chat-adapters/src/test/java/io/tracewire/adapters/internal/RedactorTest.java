package io.tracewire.adapters.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {
  private static final String KEY = "tok-7Hq2Lm9Xz4Rv8Wp3";

  @Test
  void theConfiguredKeyAndEveryLongEnoughPrefixOfItAreRedacted() {
    assertThat(Redactor.redact("a " + KEY + " b " + KEY.substring(0, 8) + " c " + KEY.substring(0, 7), KEY))
        .isEqualTo("a [REDACTED] b [REDACTED] c " + KEY.substring(0, 7));
    assertThat(Redactor.redact(KEY + KEY, KEY)).isEqualTo("[REDACTED][REDACTED]");
  }

  @Test
  void aKeyShorterThanThePrefixLengthIsRedactedWhole() {
    assertThat(Redactor.redact("say abc123 twice abc123", "abc123")).isEqualTo("say [REDACTED] twice [REDACTED]");
  }

  @Test
  void bearerAndHeaderCredentialsKeepTheirNameAndLoseTheirValue() {
    assertThat(Redactor.redact("sent Authorization: Bearer abcdefgh.ijk-lmn; bye", null))
        .isEqualTo("sent Authorization: Bearer [REDACTED]; bye");
    assertThat(Redactor.redact("x-api-key: s3cr3tvalue and {\"api_key\":\"q9w8e7r6\"}", null))
        .isEqualTo("x-api-key: [REDACTED] and {\"api_key\":\"[REDACTED]\"}");
    assertThat(Redactor.redact("basic Zm9vOmJhcmJheg==", null)).isEqualTo("basic [REDACTED]");
  }

  @Test
  void ordinaryWordsNearCredentialNamesAreLeftAlone() {
    assertThat(Redactor.redact("invalid bearer token; the API key is wrong; task-1234567890", null))
        .isEqualTo("invalid bearer token; the API key is wrong; task-1234567890");
  }

  @Test
  void stringsShapedLikeProviderKeysAreRedactedWhoeverOwnsThem() {
    assertThat(Redactor.redact("keys sk-proj-Abc123def456 sk-ant-api03-Xyz_789-000 AIzaSyA1b2C3d4E5f6G7h8I9j0K", null))
        .isEqualTo("keys [REDACTED] [REDACTED] [REDACTED]");
    assertThat(Redactor.redact("sk-short", null)).isEqualTo("sk-short");
  }

  @Test
  void cleaningRedactsBeforeItCutsSoAKeyAcrossTheCutLeavesNothing() {
    String text = "x".repeat(Redactor.MAX_TEXT - 5) + KEY + " end";
    String cleaned = Redactor.clean(text, KEY);
    assertThat(cleaned).doesNotContain(KEY.substring(0, 5)).endsWith("[REDA...")
        .hasSize(Redactor.MAX_TEXT + 3);
  }

  @Test
  void cleaningTurnsControlCharactersIntoSpacesAndKeepsNewlines() {
    assertThat(Redactor.clean("red\u001b[31m\r\nline\ttab\u0000", null)).isEqualTo("red [31m \nline\ttab ");
  }

  @Test
  void cleaningNeverSplitsASurrogatePair() {
    String text = "x".repeat(Redactor.MAX_TEXT - 1) + "\uD83D\uDE00" + "tail";
    assertThat(Redactor.clean(text, null)).isEqualTo("x".repeat(Redactor.MAX_TEXT - 1) + "...");
  }

  @Test
  void plausibleRequestIdsAreKept() {
    for (String id : new String[] {"req_011CSHoEeqs5C35K2UUqR7Fy", "8f1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
        "chatcmpl-abc.1:2/3+4=5@x"}) {
      assertThat(Redactor.requestId(id, KEY)).isEqualTo(id);
    }
  }

  @Test
  void implausibleOrSecretLookingRequestIdsAreDropped() {
    for (String id : new String[] {"", "a".repeat(Redactor.MAX_REQUEST_ID + 1), "req 1", "req_1\n", "req\u0007",
        "Bearer " + KEY, KEY, "req_" + KEY.substring(0, 9), "sk-proj-Abc123def456", "caf\u00e9"}) {
      assertThat(Redactor.requestId(id, KEY)).as("%s", id).isNull();
    }
    assertThat(Redactor.requestId(null, KEY)).isNull();
    assertThat(Redactor.requestId("a".repeat(Redactor.MAX_REQUEST_ID), KEY)).hasSize(Redactor.MAX_REQUEST_ID);
  }

  @Test
  void metadataStringsAreRedactedAtEveryDepthAndOtherValuesAreKept() {
    java.util.Map<String, Object> meta = new java.util.LinkedHashMap<>();
    meta.put("model_name", KEY);
    meta.put("eval_count", 7L);
    meta.put("done", true);
    meta.put("container", java.util.Map.of("id", "c-" + KEY));
    meta.put("echo", java.util.List.of("Bearer abcdefgh12345678", 3, "gpt-4o-mini"));
    meta.put("none", null);
    assertThat(Redactor.metadata(meta, KEY)).isSameAs(meta).hasSize(6).containsEntry("model_name", "[REDACTED]")
        .containsEntry("eval_count", 7L).containsEntry("done", true)
        .containsEntry("container", java.util.Map.of("id", "c-[REDACTED]"))
        .containsEntry("echo", java.util.List.of("Bearer [REDACTED]", 3, "gpt-4o-mini")).containsEntry("none", null);
  }
}
