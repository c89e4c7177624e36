package io.etcdj.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads and verifies the frames of one segment, in order, following the rules of package-info:
 * it tells the clean or torn end of the last segment apart from corruption, which it reports as
 * a {@link WalCorruptException} naming the file and offset.
 *
 * <p>Invariants: {@link #offset()} is the offset just after the last verified frame;
 * {@link #lastCrc()} is that frame's crc. The first frame must be a CRC record; when the
 * reader is told the crc the previous segment ended with, the carried value must equal it.
 */
final class SegmentReader {
  /** How a segment's frames ended. */
  enum End {
    /** At the end of the file, or at a zero header word: nothing was lost. */
    CLEAN,
    /** At a frame cut short by a crash (see package-info); the tail must be zeroed. */
    TORN
  }

  private final FileChannel channel;
  private final Path path;
  private final boolean last;
  private final Integer expectedCarry;
  private final long fileSize;
  private final CRC32C crc = new CRC32C();

  private ByteBuffer buf;
  private long bufStart; // file offset of buf[0]; buf.limit() bytes are valid
  private long offset;
  private int lastCrc;
  private boolean first = true;
  private End end;

  /**
   * @param last whether this is the last segment (only there may the log end before the end
   *     of the file or in a torn frame)
   * @param expectedCarry the crc the previous segment ended with, or null to trust the
   *     segment's own CRC record (the first segment read)
   */
  SegmentReader(FileChannel channel, Path path, boolean last, Integer expectedCarry)
      throws IOException {
    this.channel = channel;
    this.path = path;
    this.last = last;
    this.expectedCarry = expectedCarry;
    this.fileSize = channel.size();
    this.buf = ByteBuffer.allocate((int) Math.max(4096, Math.min(1 << 20, fileSize)))
        .order(ByteOrder.LITTLE_ENDIAN);
    buf.limit(0);
  }

  long offset() {
    return offset;
  }

  int lastCrc() {
    return lastCrc;
  }

  /** How the segment ended; null until {@link #next()} has returned null. */
  End end() {
    return end;
  }

  /** The next verified record, or null at the end of the segment's log. */
  WalRecord next() throws IOException {
    if (end != null) {
      return null;
    }
    long o = offset;
    long remaining = fileSize - o;
    if (remaining == 0) {
      return finish(End.CLEAN, "the segment has no records");
    }
    if (remaining < WalFormat.HEADER_BYTES) {
      return finish(End.TORN, "a partial header word");
    }
    fill(WalFormat.HEADER_BYTES);
    long header = buf.getLong(at(o));
    if (header == 0) {
      return finish(End.CLEAN, "a zero header word before the end of the file");
    }
    int length = (int) header;
    RecordType type = RecordType.ofCode((int) (header >>> 32) & 0xFF);
    long lengthAndType = header & 0xFF_FFFF_FFFFL;
    if (WalFormat.headerCheck(lengthAndType) != (int) (header >>> 40)) {
      throw corrupt(o, "header check mismatch");
    }
    if (type == null || length < 0 || length > WalFormat.MAX_BODY) {
      throw corrupt(o, "bad header (type " + ((header >>> 32) & 0xFF) + ", length "
          + Integer.toUnsignedString(length) + ")");
    }
    long frame = WalFormat.frameLength(length);
    if (frame > remaining) {
      return finish(End.TORN, "a frame extending beyond the end of the file");
    }
    fill((int) frame);
    int h = at(o);
    int bodyEnd = h + WalFormat.HEADER_BYTES + length;
    int trailerAt = h + WalFormat.HEADER_BYTES + WalFormat.padded(length);
    long trailer = buf.getLong(trailerAt);
    crc.reset();
    crc.update(RecordEncoder.le32(first ? carriedCrc(type, h, length) : lastCrc));
    ByteBuffer covered = buf.duplicate();
    covered.position(h).limit(bodyEnd);
    crc.update(covered);
    int computed = (int) crc.getValue();
    boolean padOk = true;
    for (int i = bodyEnd; i < trailerAt; i++) {
      padOk &= buf.get(i) == 0;
    }
    if (trailer != WalFormat.trailerWord(computed) || !padOk) {
      if (trailer == 0 || hasZeroSector(o + WalFormat.HEADER_BYTES, o + trailerAt - h)) {
        return finish(End.TORN, "a frame with a lost sector");
      }
      throw corrupt(o, padOk ? "crc mismatch" : "non-zero padding");
    }
    if (first) {
      if (type != RecordType.CRC) {
        throw corrupt(o, "segment does not start with a CRC record but with " + type);
      }
      int carried = carriedCrc(type, h, length);
      if (expectedCarry != null && expectedCarry != carried) {
        throw corrupt(o, String.format("crc chain broken: segment carries %08x, previous segment"
            + " ended with %08x", carried, expectedCarry));
      }
      first = false;
    }
    byte[] body = new byte[length];
    buf.get(h + WalFormat.HEADER_BYTES, body);
    lastCrc = computed;
    offset = o + frame;
    return new WalRecord(type, body, o);
  }

  private int carriedCrc(RecordType type, int h, int length) throws WalCorruptException {
    if (type != RecordType.CRC || length != 4) {
      throw corrupt(offset, "segment does not start with a CRC record");
    }
    return buf.getInt(h + WalFormat.HEADER_BYTES);
  }

  private WalRecord finish(End how, String what) throws WalCorruptException {
    if (first) {
      throw corrupt(offset, "the segment's head CRC record is missing: " + what);
    }
    if (!last && !(how == End.CLEAN && offset == fileSize)) {
      throw corrupt(offset, what + " in a segment that is not the last");
    }
    end = how;
    return null;
  }

  /** Whether a whole 512-byte-aligned sector within [from, to) of the file is zero. */
  private boolean hasZeroSector(long from, long to) {
    long s = (from + WalFormat.SECTOR_BYTES - 1) & -WalFormat.SECTOR_BYTES;
    for (; s + WalFormat.SECTOR_BYTES <= to; s += WalFormat.SECTOR_BYTES) {
      boolean zero = true;
      for (int i = at(s), e = i + WalFormat.SECTOR_BYTES; zero && i < e; i += 8) {
        zero = buf.getLong(i) == 0;
      }
      if (zero) {
        return true;
      }
    }
    return false;
  }

  private WalCorruptException corrupt(long at, String what) {
    return new WalCorruptException(path, at, what);
  }

  private int at(long fileOffset) {
    return (int) (fileOffset - bufStart);
  }

  /** Makes bytes [offset, offset + n) of the file available in buf; they must exist. */
  private void fill(int n) throws IOException {
    if (offset + n <= bufStart + buf.limit()) {
      return;
    }
    buf.position(at(offset));
    buf.compact(); // position = bytes kept
    bufStart = offset;
    if (buf.capacity() < n) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(n, buf.capacity() * 2))
          .order(ByteOrder.LITTLE_ENDIAN);
      buf.flip();
      bigger.put(buf);
      buf = bigger;
    }
    while (buf.position() < n) {
      int r = channel.read(buf, bufStart + buf.position());
      if (r < 0) {
        throw new IOException(path + " shrank while being read");
      }
    }
    buf.flip();
  }
}
