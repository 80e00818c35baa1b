package io.tracewire.test;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff for golden-file failures: longest common subsequence, printed as hunks with two
 * lines of context, {@code -} for golden lines, {@code +} for actual lines; golden and context
 * lines carry their golden line number. Quadratic in the line counts, which is fine at golden-file sizes.
 */
final class LineDiff {
  private static final int CONTEXT = 2;

  private LineDiff() {}

  private record Op(char kind, int expectedLine, String text) {}

  static String diff(List<String> expected, List<String> actual) {
    int n = expected.size();
    int m = actual.size();
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] = expected.get(i).equals(actual.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<Op> ops = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && expected.get(i).equals(actual.get(j))) {
        ops.add(new Op(' ', i + 1, expected.get(i)));
        i++;
        j++;
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        ops.add(new Op('-', i + 1, expected.get(i)));
        i++;
      } else {
        ops.add(new Op('+', 0, actual.get(j)));
        j++;
      }
    }
    StringBuilder sb = new StringBuilder();
    int lastPrinted = -1;
    for (int k = 0; k < ops.size(); k++) {
      if (ops.get(k).kind == ' ') {
        continue;
      }
      int from = Math.max(lastPrinted + 1, k - CONTEXT);
      if (lastPrinted >= 0 && from > lastPrinted + 1) {
        sb.append("  ...\n");
      }
      int to = k;
      while (to + 1 < ops.size() && (ops.get(to + 1).kind != ' ' || nextChangeWithin(ops, to + 1))) {
        to++;
      }
      to = Math.min(ops.size() - 1, to + CONTEXT);
      for (int x = from; x <= to; x++) {
        Op o = ops.get(x);
        sb.append(o.kind).append(o.kind == '+' ? "     | " : String.format(" %4d| ", o.expectedLine)).append(o.text).append('\n');
      }
      lastPrinted = to;
      k = to;
    }
    return sb.toString();
  }

  /** Whether a change follows within twice the context, so two hunks merge into one. */
  private static boolean nextChangeWithin(List<Op> ops, int start) {
    for (int x = start; x < ops.size() && x <= start + 2 * CONTEXT; x++) {
      if (ops.get(x).kind != ' ') {
        return true;
      }
    }
    return false;
  }
}
