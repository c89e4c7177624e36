package io.etcdj.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Restores the invariant of the last segment after replay: every byte after the end of the log
 * is zero, and the file is preallocated to the segment size. A crash can leave a torn frame or
 * later pages of an unsynced batch behind the end; were they left, frames appended later would
 * be followed by garbage that the next replay takes for corruption.
 */
final class TailZeroing {
  private static final int CHUNK = 1 << 20;

  private TailZeroing() {}

  /**
   * Zeroes the non-zero bytes of [end, size) and extends the file with zeros to
   * {@code segmentBytes} if it is shorter; fsyncs if anything changed.
   *
   * @return the repair made, or null if the tail was already all zeros
   */
  static WalContents.TailRepair zeroAfter(FileChannel ch, Path path, long end, long segmentBytes)
      throws IOException {
    long size = ch.size();
    long dirtyEnd = lastNonZeroEnd(ch, end, size);
    boolean changed = false;
    if (dirtyEnd > end) {
      SegmentPreparer.zeroFill(ch, end, dirtyEnd);
      changed = true;
    }
    if (size < segmentBytes) {
      SegmentPreparer.zeroFill(ch, size, segmentBytes);
      changed = true;
    }
    if (changed) {
      ch.force(true);
    }
    return dirtyEnd > end ? new WalContents.TailRepair(path, end, dirtyEnd - end) : null;
  }

  /** The offset just after the last non-zero byte in [from, to), or {@code from} if none. */
  static long lastNonZeroEnd(FileChannel ch, long from, long to) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    long result = from;
    long pos = from;
    while (pos < to) {
      buf.clear().limit((int) Math.min(CHUNK, to - pos));
      int n = 0;
      while (buf.hasRemaining()) {
        int r = ch.read(buf, pos + n);
        if (r < 0) {
          break;
        }
        n += r;
      }
      for (int i = n - 1; i >= 0; i--) {
        if (buf.get(i) != 0) {
          result = pos + i + 1;
          break;
        }
      }
      pos += n;
      if (n == 0) {
        break;
      }
    }
    return result;
  }
}
