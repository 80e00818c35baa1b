package io.tracewire.dashboard;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The events of one run tree, append-only, in compact columns: per event its sequence number,
 * timestamp, run index in the tree, event-name code, name reference and the offset of its
 * {@code data} JSON in one byte buffer. No object is kept per event. When the tree has finished
 * the buffer is deflated ({@link #pack}); a late event unpacks it again. Not thread-safe: the
 * {@link RunStore} lock guards it.
 */
final class EventLog {
  /** Rough bytes per event of the columns, for the store's byte budget. */
  private static final int COLUMN_BYTES = 36;

  long[] seq = new long[8];
  long[] ts = new long[8];
  int[] run = new int[8];
  int[] code = new int[8];
  int[] name = new int[8];
  int[] off = new int[9];
  byte[] buf = new byte[512];
  int n;
  byte[] packed;
  int unpackedLength;

  void add(long s, long t, int r, int c, int nm, byte[] data) {
    if (n == seq.length) {
      resize(n * 2);
    }
    int len = off[n];
    if (len + data.length > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + data.length));
    }
    System.arraycopy(data, 0, buf, len, data.length);
    seq[n] = s;
    ts[n] = t;
    run[n] = r;
    code[n] = c;
    name[n] = nm;
    off[n + 1] = len + data.length;
    n++;
  }

  /** The data JSON of event {@code i}, from {@code from} (an inflated buffer) or the live buffer. */
  byte[] data(int i, byte[] from) {
    byte[] b = from != null ? from : buf;
    return Arrays.copyOfRange(b, off[i], off[i + 1]);
  }

  void pack() {
    if (packed != null || n == 0) {
      return;
    }
    int len = off[n];
    Deflater d = new Deflater(Deflater.BEST_SPEED);
    try {
      d.setInput(buf, 0, len);
      d.finish();
      byte[] out = new byte[Math.max(64, len / 2)];
      int total = 0;
      while (!d.finished()) {
        if (total == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        total += d.deflate(out, total, out.length - total);
      }
      packed = Arrays.copyOf(out, total);
    } finally {
      d.end();
    }
    unpackedLength = len;
    buf = null;
    resize(n);
  }

  /** Sets the capacity of the columns to {@code cap} events. */
  private void resize(int cap) {
    seq = Arrays.copyOf(seq, cap);
    ts = Arrays.copyOf(ts, cap);
    run = Arrays.copyOf(run, cap);
    code = Arrays.copyOf(code, cap);
    name = Arrays.copyOf(name, cap);
    off = Arrays.copyOf(off, cap + 1);
  }

  byte[] inflate() {
    Inflater inf = new Inflater();
    try {
      inf.setInput(packed);
      byte[] out = new byte[unpackedLength];
      int total = 0;
      while (total < unpackedLength && !inf.finished()) {
        total += inf.inflate(out, total, unpackedLength - total);
      }
      return out;
    } catch (DataFormatException e) {
      throw new IllegalStateException("corrupt packed event log", e);
    } finally {
      inf.end();
    }
  }

  void unpack() {
    byte[] b = inflate();
    packed = null;
    buf = b;
    if (seq.length == n) {
      resize(Math.max(8, n * 2));
    }
  }

  long cost() {
    long data = packed != null ? packed.length : buf.length;
    return data + (long) seq.length * COLUMN_BYTES + 64;
  }
}
