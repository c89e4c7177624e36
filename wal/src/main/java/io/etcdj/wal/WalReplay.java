package io.etcdj.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a WAL directory: lists its segments and feeds the verified records of a run of them,
 * in order, to a visitor, carrying the crc chain from one segment into the next. It never
 * writes; repairing a torn tail is the caller's business (see {@link End}).
 */
final class WalReplay {
  /** Receives each verified record. */
  interface Visitor {
    void record(WalRecord record, Path segment) throws IOException;
  }

  /**
   * Where the replayed log ends.
   *
   * @param segment the last segment read
   * @param offset the offset just after its last verified frame
   * @param lastCrc the crc of that frame
   * @param how whether it ended at a clean end or a torn frame
   */
  record End(Path segment, long offset, int lastCrc, SegmentReader.End how) {}

  private WalReplay() {}

  /** The segments in the directory in sequence order; sequence numbers must be consecutive. */
  static List<SegmentName> listSegments(Path dir) throws IOException {
    List<SegmentName> names = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.wal")) {
      for (Path f : files) {
        SegmentName.parse(f.getFileName().toString()).ifPresent(names::add);
      }
    }
    Collections.sort(names);
    for (int i = 1; i < names.size(); i++) {
      if (names.get(i).seq() != names.get(i - 1).seq() + 1) {
        throw new IOException("wal: segment sequence is not continuous in " + dir + ": "
            + names.get(i - 1).fileName() + " is followed by " + names.get(i).fileName());
      }
    }
    return names;
  }

  /**
   * The position in {@code segments} of the last segment whose name index is at most
   * {@code index}, or -1 if there is none.
   */
  static int searchIndex(List<SegmentName> segments, long index) {
    for (int i = segments.size() - 1; i >= 0; i--) {
      if (Long.compareUnsigned(segments.get(i).index(), index) <= 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Reads segments[from..] in order. The final one is the WAL's last segment: only there may
   * the log end early or torn.
   */
  static End replay(Path dir, List<SegmentName> segments, int from, Visitor visitor)
      throws IOException {
    Integer carry = null;
    End end = null;
    for (int i = from; i < segments.size(); i++) {
      Path path = segments.get(i).in(dir);
      boolean last = i == segments.size() - 1;
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
        SegmentReader reader = new SegmentReader(ch, path, last, carry);
        for (WalRecord r = reader.next(); r != null; r = reader.next()) {
          visitor.record(r, path);
        }
        carry = reader.lastCrc();
        end = new End(path, reader.offset(), reader.lastCrc(), reader.end());
      }
    }
    return end;
  }
}
