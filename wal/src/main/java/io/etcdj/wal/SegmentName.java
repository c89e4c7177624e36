package io.etcdj.wal;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a WAL segment, {@code %016x-%016x.wal}: its sequence number and the raft index
 * of the first entry that was to be written into it. Ordering by sequence is file order.
 */
record SegmentName(long seq, long index) implements Comparable<SegmentName> {
  private static final Pattern NAME = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.wal");

  static Optional<SegmentName> parse(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new SegmentName(
        Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)));
  }

  String fileName() {
    return String.format("%016x-%016x.wal", seq, index);
  }

  Path in(Path dir) {
    return dir.resolve(fileName());
  }

  @Override
  public int compareTo(SegmentName o) {
    return Long.compareUnsigned(seq, o.seq);
  }
}
