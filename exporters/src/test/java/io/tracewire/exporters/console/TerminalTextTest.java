package io.tracewire.exporters.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
  @Test
  void printableTextIsReturnedUnchangedAndNotCopied() {
    String s = "agent ünïcode 日本語 🐟 \\e is not an escape ~ ÿ \u00a0 \u200b \ufeff";
    assertThat(TerminalText.escape(s)).isSameAs(s);
    assertThat(TerminalText.escapeMultiline(s)).isSameAs(s);
    assertThat(TerminalText.escape(new StringBuilder("plain"))).isEqualTo("plain");
    assertThat(TerminalText.escape("")).isEmpty();
  }

  @Test
  void everyC0ControlIsEscapedWithEscapeAsBackslashE() {
    for (char c = 0; c < 0x20; c++) {
      String shown = TerminalText.escape("a" + c + "b");
      String expected = switch (c) {
        case '\u001b' -> "\\e";
        case '\n' -> "\\n";
        case '\t' -> "\\t";
        case '\r' -> "\\r";
        default -> String.format("\\x%02x", (int) c);
      };
      assertThat(shown).as("U+%04X", (int) c).isEqualTo("a" + expected + "b");
    }
    assertThat(TerminalText.escape("\u0000\u0007\u0008\u000b\u000c\u001f")).isEqualTo("\\x00\\x07\\x08\\x0b\\x0c\\x1f");
  }

  @Test
  void deleteAndEveryC1ControlAreEscaped() {
    assertThat(TerminalText.escape("\u007f")).isEqualTo("\\x7f");
    for (char c = 0x80; c <= 0x9f; c++) {
      assertThat(TerminalText.escape(String.valueOf(c))).as("U+%04X", (int) c).isEqualTo(String.format("\\u%04x", (int) c));
    }
    assertThat(TerminalText.escape("\u00a0\u00ff")).isEqualTo("\u00a0\u00ff");
  }

  @Test
  void ansiSequencesLoseTheirEscapeCharacterAndStayReadable() {
    assertThat(TerminalText.escape("M\u001b]0;pwned\u0007\u001b[2J")).isEqualTo("M\\e]0;pwned\\x07\\e[2J");
    assertThat(TerminalText.escape("\u001b[31mred\u001b[0m")).isEqualTo("\\e[31mred\\e[0m");
    assertThat(TerminalText.escape("\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\"))
        .isEqualTo("\\e]8;;https://evil.example\\e\\click\\e]8;;\\e\\");
    assertThat(TerminalText.escape("\u009b2J")).isEqualTo("\\u009b2J");
  }

  @Test
  void bidiControlsAndLineSeparatorsAreEscaped() {
    for (char c : new char[] {'\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u2028', '\u2029'}) {
      assertThat(TerminalText.escape("x" + c)).as("U+%04X", (int) c).isEqualTo(String.format("x\\u%04x", (int) c));
    }
    assertThat(TerminalText.escape("\u2027\u202f\u2065\u206a")).isEqualTo("\u2027\u202f\u2065\u206a");
  }

  @Test
  void validSurrogatePairsAreKeptAndLoneSurrogatesEscaped() {
    assertThat(TerminalText.escape("🐟\u001b🌙")).isEqualTo("🐟\\e🌙");
    assertThat(TerminalText.escape("\ud83d")).isEqualTo("\\ud83d");
    assertThat(TerminalText.escape("\udc1f")).isEqualTo("\\udc1f");
    assertThat(TerminalText.escape("a\ud83db")).isEqualTo("a\\ud83db");
    assertThat(TerminalText.escape("\udc1f\ud83d")).isEqualTo("\\udc1f\\ud83d");
    assertThat(TerminalText.escape("\ud83d\ud83d\udc1f")).isEqualTo("\\ud83d🐟");
    assertThat(TerminalText.escape("🐟".substring(0, 1) + "\n")).isEqualTo("\\ud83d\\n");
  }

  @Test
  void theMultilineVariantKeepsLineFeedsAndTabsOnly() {
    assertThat(TerminalText.escapeMultiline("one\n\ttwo")).isEqualTo("one\n\ttwo");
    assertThat(TerminalText.escapeMultiline("a\r\nb\rc\u000bd\u000ce\u0008f\u001b[1Ag\u0085h"))
        .isEqualTo("a\\r\nb\\rc\\x0bd\\x0ce\\x08f\\e[1Ag\\u0085h");
    assertThat(TerminalText.escape("one\n\ttwo")).isEqualTo("one\\n\\ttwo");
  }

  @Test
  void nullIsShownAsNull() {
    assertThat(TerminalText.escape(null)).isEqualTo("null");
    assertThat(TerminalText.escapeMultiline(null)).isEqualTo("null");
  }
}
